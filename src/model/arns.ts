/**
 * ARNs of IAM entities (reference_identifiers.html#identifiers-arns). Paths start and end with `/`.
 * Every ARN names its partition (`arn:aws:`, `arn:aws-cn:`, ...): the one its account lives in (see
 * model/partitions.ts), never a constant.
 */
import { PARTITION_IDS } from './partitions.js';

export const roleArn = (partition: string, account: string, path: string, name: string): string => `arn:${partition}:iam::${account}:role${path}${name}`;
export const userArn = (partition: string, account: string, path: string, name: string): string => `arn:${partition}:iam::${account}:user${path}${name}`;
export const groupArn = (partition: string, account: string, path: string, name: string): string => `arn:${partition}:iam::${account}:group${path}${name}`;
export const policyArn = (partition: string, account: string, path: string, name: string): string => `arn:${partition}:iam::${account}:policy${path}${name}`;
export const instanceProfileArn = (partition: string, account: string, path: string, name: string): string =>
  `arn:${partition}:iam::${account}:instance-profile${path}${name}`;
export const mfaDeviceArn = (partition: string, account: string, path: string, name: string): string => `arn:${partition}:iam::${account}:mfa${path}${name}`;
export const oidcProviderArn = (partition: string, account: string, url: string): string => `arn:${partition}:iam::${account}:oidc-provider/${url}`;
export const samlProviderArn = (partition: string, account: string, name: string): string => `arn:${partition}:iam::${account}:saml-provider/${name}`;
export const rootArn = (partition: string, account: string): string => `arn:${partition}:iam::${account}:root`;
export const assumedRoleArn = (partition: string, account: string, roleName: string, sessionName: string): string =>
  `arn:${partition}:sts::${account}:assumed-role/${roleName}/${sessionName}`;
/** A GetFederationToken session's ARN (`arn:aws:sts::ACCOUNT:federated-user/NAME`). */
export const federatedUserArn = (partition: string, account: string, name: string): string => `arn:${partition}:sts::${account}:federated-user/${name}`;

/** The account that owns AWS managed policies (`arn:aws:iam::aws:policy/...`). */
export const AWS_MANAGED_ACCOUNT = 'aws';

/** An AWS managed policy's ARN in a partition (`arn:aws-cn:iam::aws:policy/ReadOnlyAccess`); `name` may carry its path. */
export const awsManagedPolicyArn = (partition: string, pathAndName: string): string => `arn:${partition}:iam::${AWS_MANAGED_ACCOUNT}:policy/${pathAndName}`;

/**
 * The resource IAM authorizes a List call on: the listed path under the account, e.g.
 * `arn:aws:iam::ACCOUNT:role/` for ListRoles (AWS's denials read "iam:ListRoles on resource:
 * arn:aws:iam::ACCOUNT:role/"), or `.../role/PATH/` with a PathPrefix.
 */
export const listedPathArn = (
  partition: string,
  account: string,
  type: 'role' | 'user' | 'group' | 'instance-profile' | 'mfa',
  pathPrefix: string | undefined,
): string => `arn:${partition}:iam::${account}:${type}${pathPrefix ?? '/'}`;

/** `aws|aws-cn|aws-us-gov|...` for the ARN patterns below: only partitions AWS has. */
export const PARTITION_PATTERN = `(${PARTITION_IDS.join('|')})`;

const ROLE_ARN = new RegExp(`^arn:${PARTITION_PATTERN}:iam::(\\d{12}):role\\/(?:[\\u0021-\\u007E]*\\/)?([\\w+=,.@-]+)$`);

/** The partition, account and name a role ARN names, or undefined when it is not a role ARN. */
export function parseRoleArn(arn: string): { partition: string; account: string; name: string } | undefined {
  const match = ROLE_ARN.exec(arn);
  return match ? { partition: match[1]!, account: match[2]!, name: match[3]! } : undefined;
}

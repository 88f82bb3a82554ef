/** ARNs of IAM entities (reference_identifiers.html#identifiers-arns). Paths start and end with `/`. */

export const PARTITION = 'aws';

export const roleArn = (account: string, path: string, name: string): string => `arn:${PARTITION}:iam::${account}:role${path}${name}`;
export const userArn = (account: string, path: string, name: string): string => `arn:${PARTITION}:iam::${account}:user${path}${name}`;
export const groupArn = (account: string, path: string, name: string): string => `arn:${PARTITION}:iam::${account}:group${path}${name}`;
export const policyArn = (account: string, path: string, name: string): string => `arn:${PARTITION}:iam::${account}:policy${path}${name}`;
export const instanceProfileArn = (account: string, path: string, name: string): string =>
  `arn:${PARTITION}:iam::${account}:instance-profile${path}${name}`;
export const mfaDeviceArn = (account: string, path: string, name: string): string => `arn:${PARTITION}:iam::${account}:mfa${path}${name}`;
export const oidcProviderArn = (account: string, url: string): string => `arn:${PARTITION}:iam::${account}:oidc-provider/${url}`;
export const samlProviderArn = (account: string, name: string): string => `arn:${PARTITION}:iam::${account}:saml-provider/${name}`;
export const rootArn = (account: string): string => `arn:${PARTITION}:iam::${account}:root`;
export const assumedRoleArn = (account: string, roleName: string, sessionName: string): string =>
  `arn:${PARTITION}:sts::${account}:assumed-role/${roleName}/${sessionName}`;
/** A GetFederationToken session's ARN (`arn:aws:sts::ACCOUNT:federated-user/NAME`). */
export const federatedUserArn = (account: string, name: string): string => `arn:${PARTITION}:sts::${account}:federated-user/${name}`;

/** The account that owns AWS managed policies (`arn:aws:iam::aws:policy/...`). */
export const AWS_MANAGED_ACCOUNT = 'aws';

/**
 * The resource IAM authorizes a List call on: the listed path under the account, e.g.
 * `arn:aws:iam::ACCOUNT:role/` for ListRoles (AWS's denials read "iam:ListRoles on resource:
 * arn:aws:iam::ACCOUNT:role/"), or `.../role/PATH/` with a PathPrefix.
 */
export const listedPathArn = (account: string, type: 'role' | 'user' | 'group' | 'instance-profile' | 'mfa', pathPrefix: string | undefined): string =>
  `arn:${PARTITION}:iam::${account}:${type}${pathPrefix ?? '/'}`;

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\u0021-\u007E]*\/)?([\w+=,.@-]+)$/;

/** The account and name a role ARN names, or undefined when it is not a role ARN. */
export function parseRoleArn(arn: string): { account: string; name: string } | undefined {
  const match = ROLE_ARN.exec(arn);
  return match ? { account: match[1]!, name: match[2]! } : undefined;
}

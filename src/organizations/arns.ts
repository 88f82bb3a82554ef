/**
 * ARNs of Organizations resources (list_awsorganizations.html#awsorganizations-resources-for-iam-policies).
 * All live in the management account's namespace: `arn:<partition>:organizations::<management>:<type>/o-.../...`;
 * AWS managed policies in the `aws` namespace of the same partition (`awspolicy`:
 * `arn:${Partition}:organizations::aws:policy/${PolicyType}/p-${PolicyId}`). Policy ARNs carry the policy
 * type in lower case.
 */
import { DEFAULT_PARTITION, partitionOfArn } from '../model/partitions.js';

/** Where an organization's ARNs live: the partition of its management account, and that account. */
export interface OrganizationScope {
  partition: string;
  management: string;
}

/** The scope of a stored organization: its own ARN names the partition it was created in. */
export const scopeOf = (organization: { Arn: string; MasterAccountId: string }): OrganizationScope => ({
  partition: partitionOfArn(organization.Arn) ?? DEFAULT_PARTITION,
  management: organization.MasterAccountId,
});

const base = ({ partition, management }: OrganizationScope) => `arn:${partition}:organizations::${management}`;

export const organizationArn = (scope: OrganizationScope, organizationId: string): string => `${base(scope)}:organization/${organizationId}`;
export const rootArn = (scope: OrganizationScope, organizationId: string, rootId: string): string =>
  `${base(scope)}:root/${organizationId}/${rootId}`;
export const organizationalUnitArn = (scope: OrganizationScope, organizationId: string, ouId: string): string =>
  `${base(scope)}:ou/${organizationId}/${ouId}`;
export const accountArn = (scope: OrganizationScope, organizationId: string, accountId: string): string =>
  `${base(scope)}:account/${organizationId}/${accountId}`;
export const policyArn = (scope: OrganizationScope, organizationId: string, type: string, policyId: string): string =>
  `${base(scope)}:policy/${organizationId}/${type.toLowerCase()}/${policyId}`;
export const awsManagedPolicyArn = (partition: string, type: string, policyId: string): string =>
  `arn:${partition}:organizations::aws:policy/${type.toLowerCase()}/${policyId}`;

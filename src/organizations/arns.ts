/**
 * ARNs of Organizations resources (list_awsorganizations.html#awsorganizations-resources-for-iam-policies).
 * All live in the management account's namespace: `arn:aws:organizations::<management>:<type>/o-.../...`;
 * AWS managed policies in the `aws` namespace. Policy ARNs carry the policy type in lower case.
 */
import { PARTITION } from '../model/arns.js';

const base = (management: string) => `arn:${PARTITION}:organizations::${management}`;

export const organizationArn = (management: string, organizationId: string): string => `${base(management)}:organization/${organizationId}`;
export const rootArn = (management: string, organizationId: string, rootId: string): string =>
  `${base(management)}:root/${organizationId}/${rootId}`;
export const organizationalUnitArn = (management: string, organizationId: string, ouId: string): string =>
  `${base(management)}:ou/${organizationId}/${ouId}`;
export const accountArn = (management: string, organizationId: string, accountId: string): string =>
  `${base(management)}:account/${organizationId}/${accountId}`;
export const policyArn = (management: string, organizationId: string, type: string, policyId: string): string =>
  `${base(management)}:policy/${organizationId}/${type.toLowerCase()}/${policyId}`;
export const awsManagedPolicyArn = (type: string, policyId: string): string =>
  `arn:${PARTITION}:organizations::aws:policy/${type.toLowerCase()}/${policyId}`;

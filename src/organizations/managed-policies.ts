/**
 * The AWS managed organization policies: FullAWSAccess (the SCP attached to every root, OU and account
 * while SCPs are enabled) and RCPFullAWSAccess (likewise for RCPs, and not detachable). Their ids and
 * documents are AWS's (orgs_manage_policies_scps.html, orgs_manage_policies_rcps.html). Their ARNs name the
 * organization's partition (managedPolicyArn), as every ARN of an account's partition does.
 */
import { awsManagedPolicyArn } from './arns.js';
import type { PolicyType } from './records.js';

export interface ManagedOrganizationPolicy {
  Id: string;
  Name: string;
  Description: string;
  Type: PolicyType;
  Content: string;
  /** RCPFullAWSAccess cannot be detached (orgs_manage_policies_rcps_syntax.html). */
  Detachable: boolean;
}

const FULL_ACCESS_SCP = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, null, 4);
const FULL_ACCESS_RCP = JSON.stringify(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] },
  null,
  4,
);

export const FULL_AWS_ACCESS: ManagedOrganizationPolicy = {
  Id: 'p-FullAWSAccess',
  Name: 'FullAWSAccess',
  Description: 'Allows access to every operation',
  Type: 'SERVICE_CONTROL_POLICY',
  Content: FULL_ACCESS_SCP,
  Detachable: true,
};

export const RCP_FULL_AWS_ACCESS: ManagedOrganizationPolicy = {
  Id: 'p-RCPFullAWSAccess',
  Name: 'RCPFullAWSAccess',
  Description: 'Allows access to every operation',
  Type: 'RESOURCE_CONTROL_POLICY',
  Content: FULL_ACCESS_RCP,
  Detachable: false,
};

const MANAGED: ReadonlyMap<string, ManagedOrganizationPolicy> = new Map([FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS].map((p) => [p.Id, p]));

/** Its ARN in a partition: `arn:aws-cn:organizations::aws:policy/service_control_policy/p-FullAWSAccess` in China. */
export function managedPolicyArn(policy: ManagedOrganizationPolicy, partition: string): string {
  return awsManagedPolicyArn(partition, policy.Type, policy.Id);
}

/** The AWS managed policy with this id, if it is one. */
export function managedOrganizationPolicy(policyId: string): ManagedOrganizationPolicy | undefined {
  return MANAGED.get(policyId);
}

/** The managed policy AWS attaches everywhere when a policy type is enabled. */
export function defaultPolicyOf(type: PolicyType): ManagedOrganizationPolicy {
  return type === 'SERVICE_CONTROL_POLICY' ? FULL_AWS_ACCESS : RCP_FULL_AWS_ACCESS;
}

/**
 * The organization policies that govern an account, as the policy engine takes them: for each enabled
 * type, one level per node from the root through each OU down to the account, each level holding the
 * policies attached there (orgs_manage_policies_scps_evaluation.html: every level must allow). A type that
 * is not enabled contributes no levels, so it restricts nothing. The management account is named so the
 * engine can exempt its principals (SCPs) and its resources (RCPs).
 */
import type { PolicyInput } from '../policy/types.js';
import type { StoreReader } from '../store/types.js';
import { membershipOf, type PolicyType } from './records.js';
import { findPolicy, organizationalUnitChain } from './scope.js';

export interface OrganizationPolicies {
  managementAccount?: string;
  /** Root first, then each OU, then the account; empty when SCPs are not enabled. */
  serviceControlPolicies: PolicyInput[][];
  /** As for SCPs; empty when RCPs are not enabled. */
  resourceControlPolicies: PolicyInput[][];
}

/** The SCP and RCP levels of an account; undefined when the account is in no organization. */
export async function organizationPoliciesFor(reader: StoreReader, accountId: string): Promise<OrganizationPolicies | undefined> {
  const membership = await membershipOf(reader, accountId);
  if (!membership) return undefined;
  const { organization, member } = membership;
  const chain = await organizationalUnitChain(reader, organization.Id, member.ParentId);
  const levels = [organization.Root.PolicyIds, ...chain.map((ou) => ou.PolicyIds), member.PolicyIds];

  const levelsOf = async (type: PolicyType): Promise<PolicyInput[][]> => {
    if (!organization.Root.EnabledPolicyTypes.includes(type)) return [];
    const result: PolicyInput[][] = [];
    for (const ids of levels) {
      const level: PolicyInput[] = [];
      for (const id of ids) {
        const policy = await findPolicy(reader, organization, id);
        if (policy?.Type === type) level.push({ name: policy.Name, document: policy.Content });
      }
      result.push(level);
    }
    return result;
  };

  return {
    managementAccount: organization.MasterAccountId,
    serviceControlPolicies: await levelsOf('SERVICE_CONTROL_POLICY'),
    resourceControlPolicies: await levelsOf('RESOURCE_CONTROL_POLICY'),
  };
}

/**
 * Enabling and disabling a policy type in the root (API_EnablePolicyType.html, API_DisablePolicyType.html):
 * enabling attaches the type's AWS managed policy (FullAWSAccess, RCPFullAWSAccess) to the root, every OU
 * and every account; disabling detaches every policy of the type from all of them. New OUs and accounts get
 * the managed policy of each enabled type when they are created.
 */
import type { StoreWriter } from '../store/types.js';
import { defaultPolicyOf, managedOrganizationPolicy } from './managed-policies.js';
import {
  listCustomerPolicies, listMembers, listOrganizationalUnits, saveMember, saveOrganization, saveOrganizationalUnit,
  type OrganizationRecord, type PolicyType,
} from './records.js';

/** The policies a new OU or account starts with: the managed policy of each enabled type. */
export function defaultPolicyIds(organization: OrganizationRecord): string[] {
  return organization.Root.EnabledPolicyTypes.map((type) => defaultPolicyOf(type).Id);
}

/** Changes the policy ids of the root, every OU and every account, in the caller's transaction. */
async function updateEveryNode(writer: StoreWriter, organization: OrganizationRecord, change: (ids: string[]) => string[]): Promise<void> {
  organization.Root.PolicyIds = change(organization.Root.PolicyIds);
  await saveOrganization(writer, organization);
  for (const ou of await listOrganizationalUnits(writer, organization.Id)) {
    ou.PolicyIds = change(ou.PolicyIds);
    await saveOrganizationalUnit(writer, organization.Id, ou);
  }
  for (const member of await listMembers(writer, organization.Id)) {
    member.PolicyIds = change(member.PolicyIds);
    await saveMember(writer, member);
  }
}

/** Enables the type and attaches its managed policy everywhere. */
export async function enablePolicyType(writer: StoreWriter, organization: OrganizationRecord, type: PolicyType): Promise<void> {
  organization.Root.EnabledPolicyTypes = [...organization.Root.EnabledPolicyTypes, type];
  const managedId = defaultPolicyOf(type).Id;
  await updateEveryNode(writer, organization, (ids) => (ids.includes(managedId) ? ids : [...ids, managedId]));
}

/** Disables the type and detaches every policy of it everywhere. */
export async function disablePolicyType(writer: StoreWriter, organization: OrganizationRecord, type: PolicyType): Promise<void> {
  organization.Root.EnabledPolicyTypes = organization.Root.EnabledPolicyTypes.filter((enabled) => enabled !== type);
  const ofType = new Set((await listCustomerPolicies(writer, organization.Id)).filter((policy) => policy.Type === type).map((policy) => policy.Id));
  const isOfType = (id: string) => ofType.has(id) || managedOrganizationPolicy(id)?.Type === type;
  await updateEveryNode(writer, organization, (ids) => ids.filter((id) => !isOfType(id)));
}

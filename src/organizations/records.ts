/**
 * How an organization is stored. Everything of one organization lives under the organization's id as
 * the store's account: the organization itself (kind `organization`, key `o-...`), one membership record
 * per account (kind `organization`, key = the 12-digit account id, so `find` answers "which organization
 * is this account in" in one read), CreateAccount requests (kind `organization`, key `car-...`), OUs
 * (kind `organizationalUnit`) and customer policies (kind `organizationPolicy`). Policy attachments are
 * kept on their targets (root, OU, membership), which is what enforcement reads on every request.
 */
import type { Tag } from '../model/entities.js';
import type { StoreReader, StoreWriter } from '../store/types.js';

export type FeatureSet = 'ALL' | 'CONSOLIDATED_BILLING';

/** The policy types Rolecall enforces. */
export type PolicyType = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
export const POLICY_TYPES: readonly PolicyType[] = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'];

export interface OrganizationRecord {
  Record: 'organization';
  Id: string;
  Arn: string;
  FeatureSet: FeatureSet;
  MasterAccountId: string;
  MasterAccountArn: string;
  MasterAccountEmail?: string;
  CreateDate: string;
  Root: RootRecord;
}

export interface RootRecord {
  Id: string;
  Arn: string;
  Name: string;
  /** Policy types enabled in the root, in the order they were enabled. */
  EnabledPolicyTypes: PolicyType[];
  PolicyIds: string[];
}

export interface MemberRecord {
  Record: 'account';
  OrganizationId: string;
  Id: string;
  Arn: string;
  Name: string;
  Email?: string;
  JoinedMethod: 'INVITED' | 'CREATED';
  JoinedTimestamp: string;
  /** The root or OU the account is in. */
  ParentId: string;
  PolicyIds: string[];
  Tags: Tag[];
}

export interface CreateAccountStatusRecord {
  Record: 'createAccountStatus';
  OrganizationId: string;
  Id: string;
  AccountName: string;
  State: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  RequestedTimestamp: string;
  CompletedTimestamp?: string;
  AccountId?: string;
  FailureReason?: string;
}

export interface OrganizationalUnitRecord {
  Id: string;
  Arn: string;
  Name: string;
  ParentId: string;
  PolicyIds: string[];
  CreateDate: string;
  Tags: Tag[];
}

export interface PolicyRecord {
  Id: string;
  Arn: string;
  Name: string;
  Description: string;
  Type: PolicyType;
  /** The document exactly as given. */
  Content: string;
  CreateDate: string;
  Tags: Tag[];
}

type OrganizationEntry = OrganizationRecord | MemberRecord | CreateAccountStatusRecord;

/** The organization an account belongs to, with its membership; undefined when it is in none. */
export async function membershipOf(reader: StoreReader, accountId: string): Promise<{ organization: OrganizationRecord; member: MemberRecord } | undefined> {
  const entry = await reader.find<OrganizationEntry>('organization', accountId);
  if (entry?.Record !== 'account') return undefined;
  const organization = await reader.get<OrganizationEntry>('organization', entry.OrganizationId, entry.OrganizationId);
  if (organization?.Record !== 'organization') return undefined;
  return { organization, member: entry };
}

export async function getMember(reader: StoreReader, organizationId: string, accountId: string): Promise<MemberRecord | undefined> {
  const entry = await reader.get<OrganizationEntry>('organization', organizationId, accountId);
  return entry?.Record === 'account' ? entry : undefined;
}

/** Every account of the organization, by id. */
export async function listMembers(reader: StoreReader, organizationId: string): Promise<MemberRecord[]> {
  const entries = await reader.list<OrganizationEntry>('organization', organizationId);
  return entries.filter((entry): entry is MemberRecord => entry.Record === 'account');
}

export async function getCreateAccountStatus(reader: StoreReader, organizationId: string, requestId: string): Promise<CreateAccountStatusRecord | undefined> {
  const entry = await reader.get<OrganizationEntry>('organization', organizationId, requestId);
  return entry?.Record === 'createAccountStatus' ? entry : undefined;
}

export const saveOrganization = (writer: StoreWriter, organization: OrganizationRecord) =>
  writer.put('organization', organization.Id, organization.Id, organization);
export const saveMember = (writer: StoreWriter, member: MemberRecord) => writer.put('organization', member.OrganizationId, member.Id, member);
export const saveCreateAccountStatus = (writer: StoreWriter, status: CreateAccountStatusRecord) =>
  writer.put('organization', status.OrganizationId, status.Id, status);

export const getOrganizationalUnit = (reader: StoreReader, organizationId: string, ouId: string) =>
  reader.get<OrganizationalUnitRecord>('organizationalUnit', organizationId, ouId);
export const listOrganizationalUnits = (reader: StoreReader, organizationId: string) =>
  reader.list<OrganizationalUnitRecord>('organizationalUnit', organizationId);
export const saveOrganizationalUnit = (writer: StoreWriter, organizationId: string, ou: OrganizationalUnitRecord) =>
  writer.put('organizationalUnit', organizationId, ou.Id, ou);

export const getCustomerPolicy = (reader: StoreReader, organizationId: string, policyId: string) =>
  reader.get<PolicyRecord>('organizationPolicy', organizationId, policyId);
export const listCustomerPolicies = (reader: StoreReader, organizationId: string) =>
  reader.list<PolicyRecord>('organizationPolicy', organizationId);
export const saveCustomerPolicy = (writer: StoreWriter, organizationId: string, policy: PolicyRecord) =>
  writer.put('organizationPolicy', organizationId, policy.Id, policy);

/** Deletes every record of the organization (DeleteOrganization). */
export async function deleteOrganizationRecords(writer: StoreWriter, organizationId: string): Promise<void> {
  for (const entry of await writer.list<OrganizationEntry>('organization', organizationId)) {
    await writer.delete('organization', organizationId, entry.Id);
  }
  for (const ou of await listOrganizationalUnits(writer, organizationId)) await writer.delete('organizationalUnit', organizationId, ou.Id);
  for (const policy of await listCustomerPolicies(writer, organizationId)) await writer.delete('organizationPolicy', organizationId, policy.Id);
}

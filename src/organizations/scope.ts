/**
 * Finding things inside the caller's organization: the organization itself (AWSOrganizationsNotInUse
 * when the account is in none), the management-account check every operation but DescribeOrganization
 * makes (AccessDeniedException for members), parents, policy targets, policies and an entity's chain
 * of OUs up to the root.
 */
import type { StoreReader } from '../store/types.js';
import { scopeOf } from './arns.js';
import { accessDeniedException, notInUse } from './errors.js';
import { idKind } from './ids.js';
import { managedOrganizationPolicy, managedPolicyArn } from './managed-policies.js';
import {
  getCustomerPolicy, getMember, getOrganizationalUnit, membershipOf,
  type MemberRecord, type OrganizationalUnitRecord, type OrganizationRecord, type PolicyType, type RootRecord,
} from './records.js';

export interface Membership {
  organization: OrganizationRecord;
  member: MemberRecord;
}

/** The caller's organization; AWSOrganizationsNotInUseException when the account is in none. */
export async function requireMembership(reader: StoreReader, accountId: string): Promise<Membership> {
  const membership = await membershipOf(reader, accountId);
  if (!membership) throw notInUse();
  return membership;
}

/** The organization the caller manages; members get AccessDeniedException. */
export async function requireManagement(reader: StoreReader, accountId: string): Promise<OrganizationRecord> {
  const { organization } = await requireMembership(reader, accountId);
  if (organization.MasterAccountId !== accountId) throw accessDeniedException();
  return organization;
}

/** A root, OU or account: what policies attach to and what parents hold. */
export type Node =
  | { kind: 'root'; id: string; root: RootRecord }
  | { kind: 'organizationalUnit'; id: string; ou: OrganizationalUnitRecord }
  | { kind: 'account'; id: string; member: MemberRecord };

/** The root, OU or account with this id in the organization, if any. */
export async function findNode(reader: StoreReader, organization: OrganizationRecord, id: string): Promise<Node | undefined> {
  switch (idKind(id)) {
    case 'root':
      return id === organization.Root.Id ? { kind: 'root', id, root: organization.Root } : undefined;
    case 'organizationalUnit': {
      const ou = await getOrganizationalUnit(reader, organization.Id, id);
      return ou ? { kind: 'organizationalUnit', id, ou } : undefined;
    }
    case 'account': {
      const member = await getMember(reader, organization.Id, id);
      return member ? { kind: 'account', id, member } : undefined;
    }
    default:
      return undefined;
  }
}

/** The root or OU with this id, if any: a parent of accounts and OUs. */
export async function findParent(reader: StoreReader, organization: OrganizationRecord, id: string): Promise<Node | undefined> {
  const node = await findNode(reader, organization, id);
  return node?.kind === 'account' ? undefined : node;
}

export function policyIdsOf(node: Node): string[] {
  return node.kind === 'root' ? node.root.PolicyIds : node.kind === 'organizationalUnit' ? node.ou.PolicyIds : node.member.PolicyIds;
}

export function nameOf(node: Node): string {
  return node.kind === 'root' ? node.root.Name : node.kind === 'organizationalUnit' ? node.ou.Name : node.member.Name;
}

export function arnOf(node: Node): string {
  return node.kind === 'root' ? node.root.Arn : node.kind === 'organizationalUnit' ? node.ou.Arn : node.member.Arn;
}

/** The wire name of a node's type (TargetType, ParentType). */
export function typeOf(node: Node): 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT' {
  return node.kind === 'root' ? 'ROOT' : node.kind === 'organizationalUnit' ? 'ORGANIZATIONAL_UNIT' : 'ACCOUNT';
}

/** A policy as the API shows it, AWS managed or the organization's own. */
export interface PolicyView {
  Id: string;
  Arn: string;
  Name: string;
  Description: string;
  Type: PolicyType;
  Content: string;
  AwsManaged: boolean;
  Detachable: boolean;
}

/** The AWS managed (with its ARN in the organization's partition) or customer policy with this id, if any. */
export async function findPolicy(reader: StoreReader, organization: OrganizationRecord, policyId: string): Promise<PolicyView | undefined> {
  const managed = managedOrganizationPolicy(policyId);
  if (managed) {
    const { Detachable, ...summary } = managed;
    return { ...summary, Arn: managedPolicyArn(managed, scopeOf(organization).partition), AwsManaged: true, Detachable };
  }
  const policy = await getCustomerPolicy(reader, organization.Id, policyId);
  if (!policy) return undefined;
  return { Id: policy.Id, Arn: policy.Arn, Name: policy.Name, Description: policy.Description, Type: policy.Type, Content: policy.Content, AwsManaged: false, Detachable: true };
}

/** The OUs from the top of the tree down to `parentId` (empty when the parent is the root). */
export async function organizationalUnitChain(reader: StoreReader, organizationId: string, parentId: string): Promise<OrganizationalUnitRecord[]> {
  const chain: OrganizationalUnitRecord[] = [];
  let current = parentId;
  while (idKind(current) === 'organizationalUnit') {
    const ou = await getOrganizationalUnit(reader, organizationId, current);
    if (!ou) break;
    chain.unshift(ou);
    current = ou.ParentId;
  }
  return chain;
}

/** The `Path` of an entity: `o-.../r-.../ou-.../.../<id>/` (API_OrganizationalUnit.html, API_Account.html). */
export function pathOf(organization: OrganizationRecord, chain: readonly OrganizationalUnitRecord[], id: string): string {
  return [organization.Id, organization.Root.Id, ...chain.map((ou) => ou.Id), id].join('/') + '/';
}

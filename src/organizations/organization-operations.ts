/**
 * The organization and its root: CreateOrganization, DescribeOrganization, DeleteOrganization, ListRoots,
 * EnablePolicyType and DisablePolicyType (AWS Organizations API Reference).
 */
import type { Account } from '../model/entities.js';
import { defineOrganizationsOperation } from './operation.js';
import { requestPartition } from '../iam/operation.js';
import { accountArn, organizationArn, rootArn } from './arns.js';
import { authorizeOn, organizationsTarget, policyTypeContext } from './authorization.js';
import { alreadyInOrganization, organizationNotEmpty, policyTypeAlreadyEnabled, policyTypeNotAvailable, policyTypeNotEnabled, rootNotFound } from './errors.js';
import { newOrganizationId, newRootId } from './ids.js';
import { FULL_AWS_ACCESS } from './managed-policies.js';
import { organizationOutput, rootOutput } from './outputs.js';
import { paginate, type PageRequest } from './pagination.js';
import { disablePolicyType, enablePolicyType } from './policy-types.js';
import {
  deleteOrganizationRecords, listMembers, membershipOf, POLICY_TYPES, saveMember, saveOrganization,
  type FeatureSet, type MemberRecord, type OrganizationRecord, type PolicyType,
} from './records.js';
import { requireManagement, requireMembership } from './scope.js';

/** CreateOrganization: the caller's account becomes the management account; SCPs are enabled with ALL features. */
export const createOrganization = defineOrganizationsOperation<{ FeatureSet?: FeatureSet }, { Organization: ReturnType<typeof organizationOutput> }>({
  name: 'CreateOrganization',
  authorize: () => [organizationsTarget('CreateOrganization', '*')],
  async execute(context, input) {
    const management = context.accountId;
    const scope = { partition: requestPartition(context), management };
    const created = context.now.toISOString();
    const organization = await context.store.write(async (writer) => {
      if (await membershipOf(writer, management)) throw alreadyInOrganization();
      const account = await writer.get<Account>('account', '', management);
      const id = newOrganizationId();
      const rootId = newRootId();
      const organization: OrganizationRecord = {
        Record: 'organization',
        Id: id,
        Arn: organizationArn(scope, id),
        FeatureSet: input.FeatureSet ?? 'ALL',
        MasterAccountId: management,
        MasterAccountArn: accountArn(scope, id, management),
        ...(account?.Email ? { MasterAccountEmail: account.Email } : {}),
        CreateDate: created,
        Root: { Id: rootId, Arn: rootArn(scope, id, rootId), Name: 'Root', EnabledPolicyTypes: [], PolicyIds: [] },
      };
      const member: MemberRecord = {
        Record: 'account',
        OrganizationId: id,
        Id: management,
        Arn: organization.MasterAccountArn,
        Name: account?.Name ?? management,
        ...(account?.Email ? { Email: account.Email } : {}),
        // AWS shows the management account as having joined by invitation, when the organization was made.
        JoinedMethod: 'INVITED',
        JoinedTimestamp: created,
        ParentId: rootId,
        PolicyIds: [],
        Tags: [],
      };
      if (organization.FeatureSet === 'ALL') {
        organization.Root.EnabledPolicyTypes = ['SERVICE_CONTROL_POLICY'];
        organization.Root.PolicyIds = [FULL_AWS_ACCESS.Id];
        member.PolicyIds = [FULL_AWS_ACCESS.Id];
      }
      await saveOrganization(writer, organization);
      await saveMember(writer, member);
      return organization;
    });
    return { Organization: organizationOutput(organization) };
  },
});

/** DescribeOrganization: any account of the organization may call it. */
export const describeOrganization = defineOrganizationsOperation<Record<string, never>, { Organization: ReturnType<typeof organizationOutput> }>({
  name: 'DescribeOrganization',
  authorize: () => [organizationsTarget('DescribeOrganization', '*')],
  async execute(context) {
    const { organization } = await context.store.read((reader) => requireMembership(reader, context.accountId));
    return { Organization: organizationOutput(organization) };
  },
});

/** DeleteOrganization: only once the management account is the organization's only account. */
export const deleteOrganization = defineOrganizationsOperation<Record<string, never>, Record<string, never>>({
  name: 'DeleteOrganization',
  authorize: () => [organizationsTarget('DeleteOrganization', '*')],
  async execute(context) {
    await context.store.write(async (writer) => {
      const organization = await requireManagement(writer, context.accountId);
      const members = await listMembers(writer, organization.Id);
      if (members.some((member) => member.Id !== organization.MasterAccountId)) throw organizationNotEmpty();
      await deleteOrganizationRecords(writer, organization.Id);
    });
    return {};
  },
});

/** ListRoots: the organization's one root. */
export const listRoots = defineOrganizationsOperation<PageRequest, { Roots: ReturnType<typeof rootOutput>[]; NextToken?: string }>({
  name: 'ListRoots',
  authorize: () => [organizationsTarget('ListRoots', '*')],
  async execute(context, input) {
    const organization = await context.store.read((reader) => requireManagement(reader, context.accountId));
    const page = paginate([organization.Root], (root) => root.Id, input);
    return { Roots: page.items.map(rootOutput), ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
  },
});

interface PolicyTypeInput {
  RootId: string;
  PolicyType: string;
}

/** The root named by RootId with a policy type Rolecall supports, or AWS's error. */
function checkRootAndType(organization: OrganizationRecord, input: PolicyTypeInput): PolicyType {
  if (input.RootId !== organization.Root.Id) throw rootNotFound();
  const type = POLICY_TYPES.find((supported) => supported === input.PolicyType);
  // Tag, backup, AI opt-out and the other management policy types are not part of Rolecall.
  if (!type || organization.FeatureSet !== 'ALL') throw policyTypeNotAvailable();
  return type;
}

/** EnablePolicyType: FullAWSAccess / RCPFullAWSAccess attached to the root, every OU and every account. */
export const enablePolicyTypeOperation = defineOrganizationsOperation<PolicyTypeInput, { Root: ReturnType<typeof rootOutput> }>({
  name: 'EnablePolicyType',
  authorize: authorizeOn<PolicyTypeInput>('EnablePolicyType', (input) => input.RootId, (input) => policyTypeContext(input.PolicyType)),
  async execute(context, input) {
    const organization = await context.store.write(async (writer) => {
      const organization = await requireManagement(writer, context.accountId);
      const type = checkRootAndType(organization, input);
      if (organization.Root.EnabledPolicyTypes.includes(type)) throw policyTypeAlreadyEnabled();
      await enablePolicyType(writer, organization, type);
      return organization;
    });
    return { Root: rootOutput(organization.Root) };
  },
});

/** DisablePolicyType: every policy of the type detached everywhere. */
export const disablePolicyTypeOperation = defineOrganizationsOperation<PolicyTypeInput, { Root: ReturnType<typeof rootOutput> }>({
  name: 'DisablePolicyType',
  authorize: authorizeOn<PolicyTypeInput>('DisablePolicyType', (input) => input.RootId, (input) => policyTypeContext(input.PolicyType)),
  async execute(context, input) {
    const organization = await context.store.write(async (writer) => {
      const organization = await requireManagement(writer, context.accountId);
      const type = checkRootAndType(organization, input);
      if (!organization.Root.EnabledPolicyTypes.includes(type)) throw policyTypeNotEnabled();
      await disablePolicyType(writer, organization, type);
      return organization;
    });
    return { Root: rootOutput(organization.Root) };
  },
});

export const ORGANIZATION_OPERATIONS = [
  createOrganization, describeOrganization, deleteOrganization, listRoots, enablePolicyTypeOperation, disablePolicyTypeOperation,
];

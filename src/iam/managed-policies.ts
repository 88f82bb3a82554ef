/**
 * Managed policies: customer managed policies stored per account and the AWS managed ones from code, seen
 * through one view; CreatePolicy, GetPolicy, DeletePolicy, ListPolicies, tags and ListEntitiesForPolicy;
 * and the bookkeeping of who uses a policy (attachments and permissions boundaries), which the attach,
 * detach and boundary operations update in their own transactions.
 */
import type { Group, ManagedPolicy, Role, Tag, User } from '../model/entities.js';
import { policyArn } from '../model/arns.js';
import { deleteConflict, entityAlreadyExists, invalidInput, limitExceeded, noSuchEntity } from '../model/errors.js';
import { newUniqueId } from '../model/ids.js';
import { EntityConflictError, type StoreReader, type StoreWriter } from '../store/types.js';
import {
  getAwsManagedPolicy,
  isAwsManagedPolicyArn,
  listAwsManagedPolicies,
  readAllAwsPolicyUsage,
  readAwsPolicyUsage,
  writeAwsPolicyUsage,
  type AwsManagedPolicy,
  type AwsManagedPolicyUsage,
} from './aws-managed-policies.js';
import { accountPartition, findCustomerPolicy } from './lookup.js';
import { defineOperation, requestPartition, type AuthorizationTarget, type OperationContext } from './operation.js';
import { paginate, type PageRequest } from './pagination.js';
import { checkRequestTags, mergeTags, pageOfTags, removeTags, requestTagContext, resourceTagContext, tagKeysContext, tagsForOutput } from './tags.js';
import { checkPolicyArn, checkPolicyDocument } from './validation.js';

/** Customer managed policies per account (reference_iam-quotas.html, "Customer managed policies in an AWS account"). */
export const MAX_CUSTOMER_POLICIES = 1500;

export type AttachmentTarget = { type: 'role' | 'user' | 'group'; name: string };

/** A customer or AWS managed policy with its usage in the caller's account. */
export interface PolicyView {
  source: 'customer' | 'aws';
  Arn: string;
  PolicyName: string;
  PolicyId: string;
  Path: string;
  DefaultVersionId: string;
  Description?: string;
  CreateDate: string;
  UpdateDate: string;
  Tags: Tag[];
  Attachments: AttachmentTarget[];
  PermissionsBoundaryUsageCount: number;
  /** The stored entity, for customer managed policies. */
  customer?: ManagedPolicy;
  /** The catalog entry, for AWS managed policies. */
  aws?: AwsManagedPolicy;
}

/** The Policy structure of IAM's responses. */
export interface PolicyOutput {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  AttachmentCount: number;
  PermissionsBoundaryUsageCount: number;
  IsAttachable: boolean;
  Description?: string;
  CreateDate: string;
  UpdateDate: string;
  Tags?: Tag[];
}

/** A stored customer managed policy as the Policy structure's source. */
export function customerView(policy: ManagedPolicy): PolicyView {
  return {
    source: 'customer',
    Arn: policy.Arn,
    PolicyName: policy.PolicyName,
    PolicyId: policy.PolicyId,
    Path: policy.Path,
    DefaultVersionId: policy.DefaultVersionId,
    ...(policy.Description !== undefined ? { Description: policy.Description } : {}),
    CreateDate: policy.CreateDate,
    UpdateDate: policy.UpdateDate,
    Tags: policy.Tags,
    Attachments: policy.Attachments,
    PermissionsBoundaryUsageCount: policy.PermissionsBoundaryUsageCount,
    customer: policy,
  };
}

function awsView(policy: AwsManagedPolicy, usage: AwsManagedPolicyUsage | undefined): PolicyView {
  return {
    source: 'aws',
    Arn: policy.Arn,
    PolicyName: policy.PolicyName,
    PolicyId: policy.PolicyId,
    Path: policy.Path,
    DefaultVersionId: policy.DefaultVersionId,
    CreateDate: policy.CreateDate,
    UpdateDate: policy.UpdateDate,
    Tags: [],
    Attachments: usage?.Attachments ?? [],
    PermissionsBoundaryUsageCount: usage?.PermissionsBoundaryUsageCount ?? 0,
    aws: policy,
  };
}

/** The managed policy with this ARN visible from the account (its own or an AWS managed one), if any. */
export async function findPolicy(reader: StoreReader, account: string, arn: string): Promise<PolicyView | undefined> {
  if (isAwsManagedPolicyArn(arn)) {
    const policy = getAwsManagedPolicy(arn);
    return policy ? awsView(policy, await readAwsPolicyUsage(reader, account, arn)) : undefined;
  }
  const policy = await findCustomerPolicy(reader, account, arn);
  return policy ? customerView(policy) : undefined;
}

/** The policy, or NoSuchEntity "Policy ARN was not found." (GetPolicy, DeletePolicy, versions, tags). */
export async function requirePolicy(reader: StoreReader, account: string, arn: string): Promise<PolicyView> {
  checkPolicyArn(arn, await accountPartition(reader, account));
  const policy = await findPolicy(reader, account, arn);
  if (!policy) throw noSuchEntity(`Policy ${arn} was not found.`);
  return policy;
}

/** The policy, or NoSuchEntity "Policy ARN does not exist or is not attachable." (Attach*Policy). */
export async function requireAttachablePolicy(reader: StoreReader, account: string, arn: string): Promise<PolicyView> {
  checkPolicyArn(arn, await accountPartition(reader, account));
  const policy = await findPolicy(reader, account, arn);
  if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return policy;
}

/** The policy a permissions boundary names, or NoSuchEntity "Scope ARN: ARN does not exist or is not attachable." */
export async function requireBoundaryPolicy(reader: StoreReader, account: string, arn: string): Promise<PolicyView> {
  checkPolicyArn(arn, await accountPartition(reader, account));
  const policy = await findPolicy(reader, account, arn);
  if (!policy) throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
  return policy;
}

/** The customer managed policy, refusing AWS managed ones, which no account may change. */
export function requireCustomerPolicy(policy: PolicyView): ManagedPolicy {
  if (!policy.customer) throw invalidInput(`Policy ${policy.Arn} is an AWS managed policy and cannot be modified.`);
  return policy.customer;
}

function sameTarget(a: AttachmentTarget, b: AttachmentTarget): boolean {
  return a.type === b.type && a.name.toLowerCase() === b.name.toLowerCase();
}

/** Adds or removes an entity in the policy's attachments, in the caller's transaction. */
export async function recordAttachment(writer: StoreWriter, account: string, arn: string, target: AttachmentTarget, attached: boolean): Promise<void> {
  await updateUsage(writer, account, arn, (usage) => {
    const others = usage.Attachments.filter((current) => !sameTarget(current, target));
    usage.Attachments = attached ? [...others, { type: target.type, name: target.name }] : others;
  });
}

/** Counts one more (+1) or one fewer (-1) entity using the policy as its permissions boundary. */
export async function recordBoundaryUsage(writer: StoreWriter, account: string, arn: string, delta: 1 | -1): Promise<void> {
  await updateUsage(writer, account, arn, (usage) => {
    usage.PermissionsBoundaryUsageCount = Math.max(0, usage.PermissionsBoundaryUsageCount + delta);
  });
}

async function updateUsage(
  writer: StoreWriter,
  account: string,
  arn: string,
  change: (usage: { Attachments: AttachmentTarget[]; PermissionsBoundaryUsageCount: number }) => void,
): Promise<void> {
  if (isAwsManagedPolicyArn(arn)) {
    const usage = await readAwsPolicyUsage(writer, account, arn);
    change(usage);
    await writeAwsPolicyUsage(writer, account, usage);
    return;
  }
  const policy = await findCustomerPolicy(writer, account, arn);
  // A policy deleted meanwhile has nothing left to count (DeletePolicy refuses while it is in use).
  if (!policy) return;
  change(policy);
  await writer.put('policy', account, policy.PolicyName, policy);
}

/** The Policy structure: `Description` for GetPolicy only, `Tags` where IAM returns them ('always': `Tags: []` when none). */
export function policyOutput(policy: PolicyView, options: { description?: boolean; tags?: boolean | 'always' } = {}): PolicyOutput {
  const tags = options.tags === 'always' ? policy.Tags.map((tag) => ({ ...tag })) : options.tags ? tagsForOutput(policy.Tags) : undefined;
  return {
    PolicyName: policy.PolicyName,
    PolicyId: policy.PolicyId,
    Arn: policy.Arn,
    Path: policy.Path,
    DefaultVersionId: policy.DefaultVersionId,
    AttachmentCount: policy.Attachments.length,
    PermissionsBoundaryUsageCount: policy.PermissionsBoundaryUsageCount,
    IsAttachable: true,
    ...(options.description && policy.Description !== undefined ? { Description: policy.Description } : {}),
    CreateDate: policy.CreateDate,
    UpdateDate: policy.UpdateDate,
    ...(tags ? { Tags: tags } : {}),
  };
}

/** The authorization target of an operation on an existing policy: its ARN and its tags. */
export async function policyTarget(context: OperationContext, action: string, arn: string, extra = {}): Promise<AuthorizationTarget[]> {
  const policy = arn ? await context.store.read((reader) => findPolicy(reader, context.accountId, arn)) : undefined;
  return [{ action, resource: arn || '*', context: { ...resourceTagContext(policy?.Tags), ...extra } }];
}

// ---------------------------------------------------------------------------------------------------
// Operations

export interface CreatePolicyInput {
  PolicyName: string;
  Path?: string;
  PolicyDocument: string;
  Description?: string;
  Tags?: Tag[];
}

/** CreatePolicy (API_CreatePolicy.html): version v1 as default, validated as a managed identity policy. */
export const createPolicy = defineOperation<CreatePolicyInput, { Policy: PolicyOutput }>({
  service: 'iam',
  name: 'CreatePolicy',
  authorize: (context, input) => [
    { action: 'iam:CreatePolicy', resource: policyArn(requestPartition(context), context.accountId, input.Path ?? '/', input.PolicyName), context: requestTagContext(input.Tags) },
  ],
  async execute(context, input) {
    checkRequestTags(input.Tags);
    checkPolicyDocument(input.PolicyDocument, 'identity', requestPartition(context));
    const path = input.Path ?? '/';
    const now = context.now.toISOString();
    const policy: ManagedPolicy = {
      AccountId: context.accountId,
      PolicyName: input.PolicyName,
      PolicyId: newUniqueId('ANPA'),
      Arn: policyArn(requestPartition(context), context.accountId, path, input.PolicyName),
      Path: path,
      DefaultVersionId: 'v1',
      ...(input.Description !== undefined ? { Description: input.Description } : {}),
      CreateDate: now,
      UpdateDate: now,
      Tags: (input.Tags ?? []).map((tag) => ({ Key: tag.Key, Value: tag.Value })),
      Versions: [{ VersionId: 'v1', Document: input.PolicyDocument, IsDefaultVersion: true, CreateDate: now }],
      NextVersionNumber: 2,
      Attachments: [],
      PermissionsBoundaryUsageCount: 0,
    };
    await context.store.write(async (writer) => {
      if ((await writer.count('policy', context.accountId)) >= MAX_CUSTOMER_POLICIES) {
        throw limitExceeded(`Cannot exceed quota for PoliciesPerAccount: ${MAX_CUSTOMER_POLICIES}`);
      }
      try {
        await writer.insert('policy', context.accountId, policy.PolicyName, policy);
      } catch (error) {
        if (error instanceof EntityConflictError) {
          throw entityAlreadyExists(`A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`);
        }
        throw error;
      }
    });
    return { Policy: policyOutput(customerView(policy), { tags: true }) };
  },
});

/** GetPolicy: the policy with its description, tags and usage counts. */
export const getPolicy = defineOperation<{ PolicyArn: string }, { Policy: PolicyOutput }>({
  service: 'iam',
  name: 'GetPolicy',
  authorize: (context, input) => policyTarget(context, 'iam:GetPolicy', input.PolicyArn),
  async execute(context, input) {
    const policy = await context.store.read((reader) => requirePolicy(reader, context.accountId, input.PolicyArn));
    // GetPolicy answers `Tags: []` for a policy without tags (AWS-recorded responses, issue 11).
    return { Policy: policyOutput(policy, { description: true, tags: 'always' }) };
  },
});

/** DeletePolicy: refused while attached or used as a boundary, or while it keeps non-default versions. */
export const deletePolicy = defineOperation<{ PolicyArn: string }, Record<string, never>>({
  service: 'iam',
  name: 'DeletePolicy',
  authorize: (context, input) => policyTarget(context, 'iam:DeletePolicy', input.PolicyArn),
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const policy = requireCustomerPolicy(await requirePolicy(writer, context.accountId, input.PolicyArn));
      if (policy.Attachments.length > 0 || policy.PermissionsBoundaryUsageCount > 0) throw deleteConflict('Cannot delete a policy attached to entities.');
      if (policy.Versions.length > 1) {
        throw deleteConflict(
          "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        );
      }
      await writer.delete('policy', context.accountId, policy.PolicyName);
    });
    return {};
  },
});

export interface ListPoliciesInput extends PageRequest {
  Scope?: 'All' | 'AWS' | 'Local';
  OnlyAttached?: boolean;
  PathPrefix?: string;
  PolicyUsageFilter?: 'PermissionsPolicy' | 'PermissionsBoundary';
}

/** Whether a policy passes ListPolicies' OnlyAttached and PolicyUsageFilter filters. */
function isListed(policy: PolicyView, input: ListPoliciesInput): boolean {
  const attached = policy.Attachments.length > 0;
  const boundary = policy.PermissionsBoundaryUsageCount > 0;
  // PolicyUsageFilter narrows the list to policies used that way; OnlyAttached to policies in use at all.
  if (input.PolicyUsageFilter === 'PermissionsPolicy' && !attached) return false;
  if (input.PolicyUsageFilter === 'PermissionsBoundary' && !boundary) return false;
  if (input.OnlyAttached && !attached && !boundary) return false;
  return true;
}

/** ListPolicies: customer and AWS managed policies by name, with Scope, OnlyAttached, PathPrefix and usage filters. */
export const listPolicies = defineOperation<ListPoliciesInput, { Policies: PolicyOutput[]; IsTruncated: boolean; Marker?: string }>({
  service: 'iam',
  name: 'ListPolicies',
  // AWS names no ARN here: its denials read "iam:ListPolicies on resource: policy path /", so only a
  // Resource of "*" grants it.
  authorize: (_context, input) => [{ action: 'iam:ListPolicies', resource: `policy path ${input.PathPrefix ?? '/'}` }],
  async execute(context, input) {
    const scope = input.Scope ?? 'All';
    const prefix = input.PathPrefix ?? '/';
    const views = await context.store.read(async (reader) => {
      const found: PolicyView[] = [];
      if (scope !== 'AWS') for (const policy of await reader.list<ManagedPolicy>('policy', context.accountId)) found.push(customerView(policy));
      if (scope !== 'Local') {
        const usage = await readAllAwsPolicyUsage(reader, context.accountId);
        for (const policy of listAwsManagedPolicies(requestPartition(context))) found.push(awsView(policy, usage.get(policy.Arn)));
      }
      return found;
    });
    // Names repeat across customer and AWS managed policies; ids do not, and keep the marker short.
    const keyOf = (policy: PolicyView) => `${policy.PolicyName} ${policy.PolicyId}`;
    const listed = views
      .filter((policy) => policy.Path.startsWith(prefix) && isListed(policy, input))
      .sort((a, b) => (keyOf(a).toLowerCase() < keyOf(b).toLowerCase() ? -1 : 1));
    const page = paginate(listed, keyOf, input);
    return { Policies: page.items.map((policy) => policyOutput(policy)), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  },
});

/** TagPolicy: adds or overwrites tags on a customer managed policy. */
export const tagPolicy = defineOperation<{ PolicyArn: string; Tags: Tag[] }, Record<string, never>>({
  service: 'iam',
  name: 'TagPolicy',
  authorize: (context, input) => policyTarget(context, 'iam:TagPolicy', input.PolicyArn, requestTagContext(input.Tags)),
  async execute(context, input) {
    checkRequestTags(input.Tags);
    await context.store.write(async (writer) => {
      const policy = requireCustomerPolicy(await requirePolicy(writer, context.accountId, input.PolicyArn));
      policy.Tags = mergeTags(policy.Tags, input.Tags);
      await writer.put('policy', context.accountId, policy.PolicyName, policy);
    });
    return {};
  },
});

/** UntagPolicy: removes tags by key. */
export const untagPolicy = defineOperation<{ PolicyArn: string; TagKeys: string[] }, Record<string, never>>({
  service: 'iam',
  name: 'UntagPolicy',
  authorize: (context, input) => policyTarget(context, 'iam:UntagPolicy', input.PolicyArn, tagKeysContext(input.TagKeys)),
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const policy = requireCustomerPolicy(await requirePolicy(writer, context.accountId, input.PolicyArn));
      policy.Tags = removeTags(policy.Tags, input.TagKeys);
      await writer.put('policy', context.accountId, policy.PolicyName, policy);
    });
    return {};
  },
});

/** ListPolicyTags: the policy's tags, paginated. */
export const listPolicyTags = defineOperation<{ PolicyArn: string } & PageRequest, { Tags: Tag[]; IsTruncated: boolean; Marker?: string }>({
  service: 'iam',
  name: 'ListPolicyTags',
  authorize: (context, input) => policyTarget(context, 'iam:ListPolicyTags', input.PolicyArn),
  async execute(context, input) {
    const policy = await context.store.read((reader) => requirePolicy(reader, context.accountId, input.PolicyArn));
    return pageOfTags(policy.Tags, input, 'shortest-first');
  },
});

export interface ListEntitiesForPolicyInput extends PageRequest {
  PolicyArn: string;
  EntityFilter?: 'User' | 'Role' | 'Group' | 'LocalManagedPolicy' | 'AWSManagedPolicy';
  PathPrefix?: string;
  PolicyUsageFilter?: 'PermissionsPolicy' | 'PermissionsBoundary';
}

export interface ListEntitiesForPolicyOutput {
  PolicyGroups: Array<{ GroupName: string; GroupId: string }>;
  PolicyUsers: Array<{ UserName: string; UserId: string }>;
  PolicyRoles: Array<{ RoleName: string; RoleId: string }>;
  IsTruncated: boolean;
  Marker?: string;
}

type PolicyEntity = { type: 'group'; entity: Group } | { type: 'user'; entity: User } | { type: 'role'; entity: Role };

function usesPolicy(entity: Role | User | Group, arn: string, usage: ListEntitiesForPolicyInput['PolicyUsageFilter']): boolean {
  const attached = entity.AttachedPolicyArns.includes(arn);
  const boundary = 'PermissionsBoundaryArn' in entity && entity.PermissionsBoundaryArn === arn;
  if (usage === 'PermissionsPolicy') return attached;
  if (usage === 'PermissionsBoundary') return boundary;
  return attached || boundary;
}

/** ListEntitiesForPolicy: the groups, users and roles that use the policy (as permissions or as boundary). */
export const listEntitiesForPolicy = defineOperation<ListEntitiesForPolicyInput, ListEntitiesForPolicyOutput>({
  service: 'iam',
  name: 'ListEntitiesForPolicy',
  authorize: (context, input) => policyTarget(context, 'iam:ListEntitiesForPolicy', input.PolicyArn),
  async execute(context, input) {
    const filter = input.EntityFilter;
    const prefix = input.PathPrefix ?? '/';
    const entities = await context.store.read(async (reader) => {
      const policy = await requirePolicy(reader, context.accountId, input.PolicyArn);
      const found: PolicyEntity[] = [];
      // Entities are scanned rather than read from the policy's attachment list so boundaries, which only
      // carry a count on the policy, are found the same way.
      if (!filter || filter === 'Group') {
        for (const entity of await reader.list<Group>('group', context.accountId)) found.push({ type: 'group', entity });
      }
      if (!filter || filter === 'User') for (const entity of await reader.list<User>('user', context.accountId)) found.push({ type: 'user', entity });
      if (!filter || filter === 'Role') for (const entity of await reader.list<Role>('role', context.accountId)) found.push({ type: 'role', entity });
      return found.filter(({ entity }) => entity.Path.startsWith(prefix) && usesPolicy(entity, policy.Arn, input.PolicyUsageFilter));
    });
    const keyOf = (item: PolicyEntity) => `${item.type} ${nameOfEntity(item)}`;
    const sorted = entities.sort((a, b) => (keyOf(a).toLowerCase() < keyOf(b).toLowerCase() ? -1 : 1));
    const page = paginate(sorted, keyOf, input);
    const output: ListEntitiesForPolicyOutput = { PolicyGroups: [], PolicyUsers: [], PolicyRoles: [], IsTruncated: page.IsTruncated };
    for (const item of page.items) {
      if (item.type === 'group') output.PolicyGroups.push({ GroupName: item.entity.GroupName, GroupId: item.entity.GroupId });
      if (item.type === 'user') output.PolicyUsers.push({ UserName: item.entity.UserName, UserId: item.entity.UserId });
      if (item.type === 'role') output.PolicyRoles.push({ RoleName: item.entity.RoleName, RoleId: item.entity.RoleId });
    }
    if (page.Marker) output.Marker = page.Marker;
    return output;
  },
});

function nameOfEntity(item: PolicyEntity): string {
  if (item.type === 'group') return item.entity.GroupName;
  if (item.type === 'user') return item.entity.UserName;
  return item.entity.RoleName;
}


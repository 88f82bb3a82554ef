/**
 * Managed policies attached to roles, users and groups (Attach/Detach/ListAttached{Role,User,Group}Policies):
 * at most 10 per entity by default (reference_iam-quotas.html), attaching twice is a no-op, and the
 * policy's own record of its attachments changes in the same transaction as the entity.
 * Also the description of the three kinds of policy holders that inline-policies.ts shares.
 */
import type { Group, Role, User } from '../model/entities.js';
import { groupArn, roleArn, userArn } from '../model/arns.js';
import { limitExceeded, noSuchEntity } from '../model/errors.js';
import type { ContextValue } from '../policy/index.js';
import type { StoreReader, StoreWriter } from '../store/types.js';
import { requireGroup, requireRole, requireUser } from './lookup.js';
import { recordAttachment, requireAttachablePolicy } from './managed-policies.js';
import { defineOperation, requestPartition, type AnyOperation, type AuthorizationTarget, type OperationContext } from './operation.js';
import { paginate, type PageRequest } from './pagination.js';
import { checkRoleModifiable, roleContext } from './roles.js';
import { resourceTagContext } from './tags.js';
import { checkPolicyArn } from './validation.js';

/** Managed policies per role, user or group (default quota; AWS allows raising it to 20). */
export const MAX_ATTACHED_POLICIES = 10;

type Holder = Role | User | Group;

/** What the policy operations need to know about one kind of entity that holds policies. */
export interface PolicyHolder<E extends Holder> {
  type: 'role' | 'user' | 'group';
  /** As in operation names: AttachRolePolicy, PutUserPolicy, ... */
  noun: 'Role' | 'User' | 'Group';
  nameMember: 'RoleName' | 'UserName' | 'GroupName';
  /** Total size of inline policies, white space excluded (reference_iam-quotas.html). */
  inlinePolicyQuota: number;
  nameOf(entity: E): string;
  load(reader: StoreReader, account: string, name: string): Promise<E>;
  fallbackArn(partition: string, account: string, name: string): string;
  /** The entity's condition keys: tags, and its permissions boundary for the actions that take it. */
  context(entity: E | undefined, withBoundary: boolean): Record<string, ContextValue>;
  /** Refuses changes IAM does not allow on this entity (service-linked roles). */
  checkModifiable(entity: E): void;
}

export const ROLE_HOLDER: PolicyHolder<Role> = {
  type: 'role',
  noun: 'Role',
  nameMember: 'RoleName',
  inlinePolicyQuota: 10240,
  nameOf: (role) => role.RoleName,
  load: requireRole,
  fallbackArn: (partition, account, name) => roleArn(partition, account, '/', name),
  context: roleContext,
  checkModifiable: checkRoleModifiable,
};

export const USER_HOLDER: PolicyHolder<User> = {
  type: 'user',
  noun: 'User',
  nameMember: 'UserName',
  inlinePolicyQuota: 2048,
  nameOf: (user) => user.UserName,
  load: requireUser,
  fallbackArn: (partition, account, name) => userArn(partition, account, '/', name),
  context: (user, withBoundary) => ({
    ...resourceTagContext(user?.Tags, true),
    ...(withBoundary && user?.PermissionsBoundaryArn ? { 'iam:PermissionsBoundary': user.PermissionsBoundaryArn } : {}),
  }),
  checkModifiable: () => undefined,
};

export const GROUP_HOLDER: PolicyHolder<Group> = {
  type: 'group',
  noun: 'Group',
  nameMember: 'GroupName',
  inlinePolicyQuota: 5120,
  nameOf: (group) => group.GroupName,
  load: requireGroup,
  fallbackArn: (partition, account, name) => groupArn(partition, account, '/', name),
  // Groups carry neither tags nor boundaries.
  context: () => ({}),
  checkModifiable: () => undefined,
};

/** The authorization target of an action on a (possibly missing) policy holder. */
export async function holderTarget<E extends Holder>(
  context: OperationContext,
  holder: PolicyHolder<E>,
  action: string,
  name: string,
  options: { boundary?: boolean; extra?: Record<string, ContextValue> } = {},
): Promise<AuthorizationTarget[]> {
  const entity = name ? await context.store.read((reader) => reader.get<E>(holder.type, context.accountId, name)) : undefined;
  return [
    {
      action,
      resource: entity?.Arn ?? holder.fallbackArn(requestPartition(context), context.accountId, name),
      context: { ...holder.context(entity, options.boundary ?? false), ...options.extra },
    },
  ];
}

/** Stores the entity back under its name. */
export async function saveHolder<E extends Holder>(writer: StoreWriter, holder: PolicyHolder<E>, entity: E): Promise<void> {
  await writer.put(holder.type, entity.AccountId, holder.nameOf(entity), entity);
}

export type NamedInput = Record<string, string | number | undefined>;

/** The entity name an input carries in its RoleName, UserName or GroupName member. */
export function nameIn(input: NamedInput, member: PolicyHolder<Holder>['nameMember']): string {
  return String(input[member] ?? '');
}

/** Attach{Role,User,Group}Policy. */
function attachOperation<E extends Holder>(holder: PolicyHolder<E>) {
  return defineOperation<NamedInput & { PolicyArn: string }, Record<string, never>>({
    service: 'iam',
    name: `Attach${holder.noun}Policy`,
    authorize: (context, input) =>
      holderTarget(context, holder, `iam:Attach${holder.noun}Policy`, nameIn(input, holder.nameMember), {
        boundary: true,
        extra: { 'iam:PolicyARN': input.PolicyArn },
      }),
    async execute(context, input) {
      await context.store.write(async (writer) => {
        const entity = await holder.load(writer, context.accountId, nameIn(input, holder.nameMember));
        holder.checkModifiable(entity);
        const policy = await requireAttachablePolicy(writer, context.accountId, input.PolicyArn);
        if (entity.AttachedPolicyArns.includes(policy.Arn)) return;
        if (entity.AttachedPolicyArns.length >= MAX_ATTACHED_POLICIES) {
          throw limitExceeded(`Cannot exceed quota for PoliciesPer${holder.noun}: ${MAX_ATTACHED_POLICIES}`);
        }
        entity.AttachedPolicyArns.push(policy.Arn);
        await saveHolder(writer, holder, entity);
        await recordAttachment(writer, context.accountId, policy.Arn, { type: holder.type, name: holder.nameOf(entity) }, true);
      });
      return {};
    },
  });
}

/** Detach{Role,User,Group}Policy. */
function detachOperation<E extends Holder>(holder: PolicyHolder<E>) {
  return defineOperation<NamedInput & { PolicyArn: string }, Record<string, never>>({
    service: 'iam',
    name: `Detach${holder.noun}Policy`,
    authorize: (context, input) =>
      holderTarget(context, holder, `iam:Detach${holder.noun}Policy`, nameIn(input, holder.nameMember), {
        boundary: true,
        extra: { 'iam:PolicyARN': input.PolicyArn },
      }),
    async execute(context, input) {
      await context.store.write(async (writer) => {
        const entity = await holder.load(writer, context.accountId, nameIn(input, holder.nameMember));
        holder.checkModifiable(entity);
        checkPolicyArn(input.PolicyArn, requestPartition(context));
        if (!entity.AttachedPolicyArns.includes(input.PolicyArn)) throw noSuchEntity(`Policy ${input.PolicyArn} was not found.`);
        entity.AttachedPolicyArns = entity.AttachedPolicyArns.filter((arn) => arn !== input.PolicyArn);
        await saveHolder(writer, holder, entity);
        await recordAttachment(writer, context.accountId, input.PolicyArn, { type: holder.type, name: holder.nameOf(entity) }, false);
      });
      return {};
    },
  });
}

export interface AttachedPolicy {
  PolicyName: string;
  PolicyArn: string;
}

/** The name and path in a managed policy's ARN (`arn:aws:iam::ACCOUNT:policy/path/NAME`). */
export function attachedPolicyOf(arn: string): AttachedPolicy & { Path: string } {
  const resource = arn.slice(arn.indexOf(':policy/') + ':policy'.length);
  const cut = resource.lastIndexOf('/');
  return { PolicyName: resource.slice(cut + 1), PolicyArn: arn, Path: resource.slice(0, cut + 1) };
}

/** ListAttached{Role,User,Group}Policies: by policy name, filtered by the policies' path prefix. */
function listAttachedOperation<E extends Holder>(holder: PolicyHolder<E>) {
  return defineOperation<NamedInput & { PathPrefix?: string } & PageRequest, { AttachedPolicies: AttachedPolicy[]; IsTruncated: boolean; Marker?: string }>({
    service: 'iam',
    name: `ListAttached${holder.noun}Policies`,
    authorize: (context, input) =>
      holderTarget(context, holder, `iam:ListAttached${holder.noun}Policies`, nameIn(input, holder.nameMember)),
    async execute(context, input) {
      const entity = await context.store.read((reader) => holder.load(reader, context.accountId, nameIn(input, holder.nameMember)));
      const prefix = input.PathPrefix ?? '/';
      // A customer policy may share its name with an AWS managed one; the owning account tells them apart.
      const keyOf = (policy: AttachedPolicy) => `${policy.PolicyName} ${policy.PolicyArn.split(':')[4]}`;
      const attached = entity.AttachedPolicyArns.map(attachedPolicyOf)
        .filter((policy) => policy.Path.startsWith(prefix))
        .sort((a, b) => (keyOf(a).toLowerCase() < keyOf(b).toLowerCase() ? -1 : 1));
      const page = paginate(attached, keyOf, input);
      return {
        AttachedPolicies: page.items.map((policy) => ({ PolicyName: policy.PolicyName, PolicyArn: policy.PolicyArn })),
        IsTruncated: page.IsTruncated,
        ...(page.Marker ? { Marker: page.Marker } : {}),
      };
    },
  });
}

export const attachRolePolicy = attachOperation(ROLE_HOLDER);
export const detachRolePolicy = detachOperation(ROLE_HOLDER);
export const listAttachedRolePolicies = listAttachedOperation(ROLE_HOLDER);
export const attachUserPolicy = attachOperation(USER_HOLDER);
export const detachUserPolicy = detachOperation(USER_HOLDER);
export const listAttachedUserPolicies = listAttachedOperation(USER_HOLDER);
export const attachGroupPolicy = attachOperation(GROUP_HOLDER);
export const detachGroupPolicy = detachOperation(GROUP_HOLDER);
export const listAttachedGroupPolicies = listAttachedOperation(GROUP_HOLDER);

/** The attachment operations for roles, users and groups. */
export const ATTACHMENT_OPERATIONS: AnyOperation[] = [
  attachRolePolicy,
  detachRolePolicy,
  listAttachedRolePolicies,
  attachUserPolicy,
  detachUserPolicy,
  listAttachedUserPolicies,
  attachGroupPolicy,
  detachGroupPolicy,
  listAttachedGroupPolicies,
];

/**
 * IAM roles (id_roles.html, API_CreateRole.html and its siblings): names unique ignoring case, the ARN
 * carries the path, the trust policy is validated as one, MaxSessionDuration 3600–43200 s, permissions
 * boundaries counted on their policy, tags; service-linked roles are created for a service under
 * `/aws-service-role/<service>/` and protected from changes, as are the roles AWS reserves for itself
 * under `/aws-reserved/` (IAM Identity Center's `AWSReservedSSO_*` roles).
 */
import type { InstanceProfile, Role, RoleLastUsed, Tag } from '../model/entities.js';
import { awsManagedPolicyArn, roleArn, listedPathArn } from '../model/arns.js';
import { AwsError, deleteConflict, entityAlreadyExists, invalidInput, limitExceeded, unmodifiableEntity } from '../model/errors.js';
import { newUniqueId } from '../model/ids.js';
import type { ContextValue } from '../policy/index.js';
import { EntityConflictError, type StoreReader, type StoreWriter } from '../store/types.js';
import { getAwsManagedPolicy } from './aws-managed-policies.js';
import { linkedServiceOf, serviceLinkedRoleName, SERVICE_ROLE_PATH } from './service-linked-role-catalog.js';
import { requireRole } from './lookup.js';
import { trustPolicyToStore } from './principal-existence.js';
import { replaceDeletedPrincipalInTrustPolicies } from './deleted-principals.js';
import { recordAttachment, recordBoundaryUsage, requireBoundaryPolicy } from './managed-policies.js';
import { defineOperation, requestPartition, type AuthorizationTarget, type OperationContext } from './operation.js';
import { paginate, type PageRequest } from './pagination.js';
import { checkRequestTags, mergeTags, pageOfTags, removeTags, requestTagContext, resourceTagContext, tagKeysContext, tagsForOutput } from './tags.js';
import { checkPolicyDocument } from './validation.js';

/** Roles per account (reference_iam-quotas.html, "Roles in an AWS account", default quota). */
export const MAX_ROLES_PER_ACCOUNT = 1000;
export const DEFAULT_MAX_SESSION_DURATION = 3600;

/** The Role structure of IAM's responses (GetRole's full form; other operations leave members out). */
export interface RoleOutput {
  Path: string;
  RoleName: string;
  RoleId: string;
  Arn: string;
  CreateDate: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration?: number;
  PermissionsBoundary?: { PermissionsBoundaryType: 'Policy'; PermissionsBoundaryArn: string };
  Tags?: Tag[];
  RoleLastUsed?: Partial<RoleLastUsed>;
}

/** The role as ListRoles returns it: no boundary, tags or last use (API_ListRoles.html). */
export function roleSummary(role: Role): RoleOutput {
  return {
    Path: role.Path,
    RoleName: role.RoleName,
    RoleId: role.RoleId,
    Arn: role.Arn,
    CreateDate: role.CreateDate,
    AssumeRolePolicyDocument: role.AssumeRolePolicyDocument,
    ...(role.Description !== undefined ? { Description: role.Description } : {}),
    MaxSessionDuration: role.MaxSessionDuration,
  };
}

/** The role as GetRole returns it; RoleLastUsed is present, empty until the role is first used. */
export function roleDetail(role: Role): RoleOutput {
  const tags = tagsForOutput(role.Tags);
  return {
    ...roleSummary(role),
    ...(role.PermissionsBoundaryArn ? { PermissionsBoundary: boundaryOutput(role.PermissionsBoundaryArn) } : {}),
    ...(tags ? { Tags: tags } : {}),
    RoleLastUsed: role.RoleLastUsed ? { ...role.RoleLastUsed } : {},
  };
}

/** The role as CreateRole returns it (API_CreateRole.html example): no MaxSessionDuration or RoleLastUsed. */
function roleCreated(role: Role): RoleOutput {
  const { MaxSessionDuration: _unused, RoleLastUsed: _notYet, ...created } = roleDetail(role);
  return created;
}

function boundaryOutput(arn: string): { PermissionsBoundaryType: 'Policy'; PermissionsBoundaryArn: string } {
  return { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn };
}

/** Whether the role is service-linked: AWS creates those under /aws-service-role/ and owns them. */
export function isServiceLinkedRole(role: Role): boolean {
  return role.Path.startsWith(SERVICE_ROLE_PATH);
}

/**
 * The path under which AWS keeps roles that are not service-linked but still its own: IAM
 * Identity Center creates its permission-set roles `AWSReservedSSO_*` under `/aws-reserved/sso.amazonaws.com/`
 * (singlesignon using-service-linked-roles.html), and IAM refuses users' changes to them with the same
 * UnmodifiableEntity text as for service-linked roles (recorded on DeleteRole, DetachRolePolicy and
 * PutRolePolicy against AWSReservedSSO_* roles).
 */
export const RESERVED_ROLE_PATH = '/aws-reserved/';

/** Whether only AWS may change the role: a service-linked role, or one under AWS's reserved path. */
export function isAwsOwnedRole(role: Role): boolean {
  return isServiceLinkedRole(role) || role.Path.startsWith(RESERVED_ROLE_PATH);
}

/** Refuses changes to a role only AWS may change, as IAM does (only the owning service may change it). */
export function checkRoleModifiable(role: Role): void {
  if (isAwsOwnedRole(role)) {
    throw unmodifiableEntity(`Cannot perform the operation on the protected role '${role.RoleName}' - this role is only modifiable by AWS`);
  }
}

/** The condition keys an existing role contributes: its tags and, for the actions that take it, its boundary. */
export function roleContext(role: Role | undefined, withBoundary: boolean): Record<string, ContextValue> {
  return {
    ...resourceTagContext(role?.Tags, true),
    ...(withBoundary && role?.PermissionsBoundaryArn ? { 'iam:PermissionsBoundary': role.PermissionsBoundaryArn } : {}),
  };
}

/** The authorization target of an action on a (possibly missing) role: its ARN with path, tags and boundary. */
export async function roleTarget(
  context: OperationContext,
  action: string,
  roleName: string,
  options: { boundary?: boolean; extra?: Record<string, ContextValue> } = {},
): Promise<AuthorizationTarget[]> {
  const role = roleName ? await context.store.read((reader) => reader.get<Role>('role', context.accountId, roleName)) : undefined;
  return [
    {
      action,
      resource: role?.Arn ?? roleArn(requestPartition(context), context.accountId, '/', roleName),
      context: { ...roleContext(role, options.boundary ?? false), ...options.extra },
    },
  ];
}

async function saveRole(writer: StoreWriter, role: Role): Promise<void> {
  await writer.put('role', role.AccountId, role.RoleName, role);
}

/** The instance profiles that hold the role. */
export async function instanceProfilesOfRole(reader: StoreReader, account: string, roleName: string): Promise<InstanceProfile[]> {
  const profiles = await reader.list<InstanceProfile>('instanceProfile', account);
  const name = roleName.toLowerCase();
  return profiles.filter((profile) => profile.RoleNames.some((held) => held.toLowerCase() === name));
}

async function insertRole(writer: StoreWriter, role: Role, nameTaken: () => AwsError): Promise<void> {
  if ((await writer.count('role', role.AccountId)) >= MAX_ROLES_PER_ACCOUNT) {
    throw limitExceeded(`Cannot exceed quota for RolesPerAccount: ${MAX_ROLES_PER_ACCOUNT}`);
  }
  try {
    await writer.insert('role', role.AccountId, role.RoleName, role);
  } catch (error) {
    if (error instanceof EntityConflictError) throw nameTaken();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// Operations

export interface CreateRoleInput {
  RoleName: string;
  Path?: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration?: number;
  PermissionsBoundary?: string;
  Tags?: Tag[];
}

/** CreateRole (API_CreateRole.html). */
export const createRole = defineOperation<CreateRoleInput, { Role: RoleOutput }>({
  service: 'iam',
  name: 'CreateRole',
  authorize: (context, input) => [
    {
      action: 'iam:CreateRole',
      resource: roleArn(requestPartition(context), context.accountId, input.Path ?? '/', input.RoleName),
      context: { ...(input.PermissionsBoundary ? { 'iam:PermissionsBoundary': input.PermissionsBoundary } : {}), ...requestTagContext(input.Tags) },
    },
  ],
  async execute(context, input) {
    checkRequestTags(input.Tags);
    checkPolicyDocument(input.AssumeRolePolicyDocument, 'trust', requestPartition(context));
    const path = input.Path ?? '/';
    const role: Role = {
      AccountId: context.accountId,
      RoleName: input.RoleName,
      RoleId: newUniqueId('AROA'),
      Path: path,
      Arn: roleArn(requestPartition(context), context.accountId, path, input.RoleName),
      CreateDate: context.now.toISOString(),
      AssumeRolePolicyDocument: input.AssumeRolePolicyDocument,
      ...(input.Description !== undefined ? { Description: input.Description } : {}),
      MaxSessionDuration: input.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
      Tags: (input.Tags ?? []).map((tag) => ({ Key: tag.Key, Value: tag.Value })),
      InlinePolicies: {},
      AttachedPolicyArns: [],
    };
    await context.store.write(async (writer) => {
      role.AssumeRolePolicyDocument = await trustPolicyToStore(writer, input.AssumeRolePolicyDocument, context.accountId);
      if (input.PermissionsBoundary) {
        role.PermissionsBoundaryArn = (await requireBoundaryPolicy(writer, context.accountId, input.PermissionsBoundary)).Arn;
      }
      await insertRole(writer, role, () => entityAlreadyExists(`Role with name ${input.RoleName} already exists.`));
      if (role.PermissionsBoundaryArn) await recordBoundaryUsage(writer, context.accountId, role.PermissionsBoundaryArn, 1);
    });
    return { Role: roleCreated(role) };
  },
});

/** GetRole: the role with its boundary, tags and RoleLastUsed. */
export const getRole = defineOperation<{ RoleName: string }, { Role: RoleOutput }>({
  service: 'iam',
  name: 'GetRole',
  authorize: (context, input) => roleTarget(context, 'iam:GetRole', input.RoleName),
  async execute(context, input) {
    const role = await context.store.read((reader) => requireRole(reader, context.accountId, input.RoleName));
    return { Role: roleDetail(role) };
  },
});

/** UpdateRole: the description and/or the maximum session duration. */
export const updateRole = defineOperation<{ RoleName: string; Description?: string; MaxSessionDuration?: number }, Record<string, never>>({
  service: 'iam',
  name: 'UpdateRole',
  authorize: (context, input) => roleTarget(context, 'iam:UpdateRole', input.RoleName),
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const role = await requireRole(writer, context.accountId, input.RoleName);
      checkRoleModifiable(role);
      if (input.Description !== undefined) role.Description = input.Description;
      if (input.MaxSessionDuration !== undefined) role.MaxSessionDuration = input.MaxSessionDuration;
      await saveRole(writer, role);
    });
    return {};
  },
});

/** UpdateRoleDescription: allowed on service-linked roles too (id_roles_manage_modify.html). */
export const updateRoleDescription = defineOperation<{ RoleName: string; Description: string }, { Role: RoleOutput }>({
  service: 'iam',
  name: 'UpdateRoleDescription',
  authorize: (context, input) => roleTarget(context, 'iam:UpdateRoleDescription', input.RoleName),
  async execute(context, input) {
    const role = await context.store.write(async (writer) => {
      const role = await requireRole(writer, context.accountId, input.RoleName);
      role.Description = input.Description;
      await saveRole(writer, role);
      return role;
    });
    return { Role: roleDetail(role) };
  },
});

/**
 * DeleteRole (API_DeleteRole.html): the role must first lose its inline policies, its attached managed
 * policies and its instance profiles; a permissions boundary does not block it.
 */
export const deleteRole = defineOperation<{ RoleName: string }, Record<string, never>>({
  service: 'iam',
  name: 'DeleteRole',
  authorize: (context, input) => roleTarget(context, 'iam:DeleteRole', input.RoleName),
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const role = await requireRole(writer, context.accountId, input.RoleName);
      checkRoleModifiable(role);
      if (Object.keys(role.InlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
      if (role.AttachedPolicyArns.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      if ((await instanceProfilesOfRole(writer, context.accountId, role.RoleName)).length > 0) {
        throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
      }
      await writer.delete('role', context.accountId, role.RoleName);
      if (role.PermissionsBoundaryArn) await recordBoundaryUsage(writer, context.accountId, role.PermissionsBoundaryArn, -1);
      await replaceDeletedPrincipalInTrustPolicies(writer, { AccountId: role.AccountId, Arn: role.Arn, UniqueId: role.RoleId });
    });
    return {};
  },
});

/** ListRoles: by name, filtered by path prefix, paginated; without boundary, tags or last use. */
export const listRoles = defineOperation<{ PathPrefix?: string } & PageRequest, { Roles: RoleOutput[]; IsTruncated: boolean; Marker?: string }>({
  service: 'iam',
  name: 'ListRoles',
  authorize: (context, input) => [{ action: 'iam:ListRoles', resource: listedPathArn(requestPartition(context), context.accountId, 'role', input.PathPrefix) }],
  async execute(context, input) {
    const prefix = input.PathPrefix ?? '/';
    const roles = await context.store.read((reader) => reader.list<Role>('role', context.accountId));
    const page = paginate(
      roles.filter((role) => role.Path.startsWith(prefix)),
      (role) => role.RoleName,
      input,
    );
    return { Roles: page.items.map(roleSummary), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  },
});

/** UpdateAssumeRolePolicy: replaces the trust policy, validated as a trust policy. */
export const updateAssumeRolePolicy = defineOperation<{ RoleName: string; PolicyDocument: string }, Record<string, never>>({
  service: 'iam',
  name: 'UpdateAssumeRolePolicy',
  authorize: (context, input) => roleTarget(context, 'iam:UpdateAssumeRolePolicy', input.RoleName),
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const role = await requireRole(writer, context.accountId, input.RoleName);
      checkRoleModifiable(role);
      checkPolicyDocument(input.PolicyDocument, 'trust', requestPartition(context));
      role.AssumeRolePolicyDocument = await trustPolicyToStore(writer, input.PolicyDocument, context.accountId);
      await saveRole(writer, role);
    });
    return {};
  },
});

/** TagRole: adds tags, overwriting those whose key matches ignoring case. */
export const tagRole = defineOperation<{ RoleName: string; Tags: Tag[] }, Record<string, never>>({
  service: 'iam',
  name: 'TagRole',
  authorize: (context, input) => roleTarget(context, 'iam:TagRole', input.RoleName, { extra: requestTagContext(input.Tags) }),
  async execute(context, input) {
    checkRequestTags(input.Tags);
    await context.store.write(async (writer) => {
      const role = await requireRole(writer, context.accountId, input.RoleName);
      role.Tags = mergeTags(role.Tags, input.Tags);
      await saveRole(writer, role);
    });
    return {};
  },
});

/** UntagRole: removes tags by key (ignoring case). */
export const untagRole = defineOperation<{ RoleName: string; TagKeys: string[] }, Record<string, never>>({
  service: 'iam',
  name: 'UntagRole',
  authorize: (context, input) => roleTarget(context, 'iam:UntagRole', input.RoleName, { extra: tagKeysContext(input.TagKeys) }),
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const role = await requireRole(writer, context.accountId, input.RoleName);
      role.Tags = removeTags(role.Tags, input.TagKeys);
      await saveRole(writer, role);
    });
    return {};
  },
});

/** ListRoleTags: the role's tags, paginated. */
export const listRoleTags = defineOperation<{ RoleName: string } & PageRequest, { Tags: Tag[]; IsTruncated: boolean; Marker?: string }>({
  service: 'iam',
  name: 'ListRoleTags',
  authorize: (context, input) => roleTarget(context, 'iam:ListRoleTags', input.RoleName),
  async execute(context, input) {
    const role = await context.store.read((reader) => requireRole(reader, context.accountId, input.RoleName));
    return pageOfTags(role.Tags, input);
  },
});

/** PutRolePermissionsBoundary: sets or replaces the boundary, moving the usage count between policies. */
export const putRolePermissionsBoundary = defineOperation<{ RoleName: string; PermissionsBoundary: string }, Record<string, never>>({
  service: 'iam',
  name: 'PutRolePermissionsBoundary',
  authorize: (context, input) =>
    roleTarget(context, 'iam:PutRolePermissionsBoundary', input.RoleName, {
      extra: input.PermissionsBoundary ? { 'iam:PermissionsBoundary': input.PermissionsBoundary } : {},
    }),
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const role = await requireRole(writer, context.accountId, input.RoleName);
      checkRoleModifiable(role);
      const boundary = await requireBoundaryPolicy(writer, context.accountId, input.PermissionsBoundary);
      if (role.PermissionsBoundaryArn === boundary.Arn) return;
      if (role.PermissionsBoundaryArn) await recordBoundaryUsage(writer, context.accountId, role.PermissionsBoundaryArn, -1);
      role.PermissionsBoundaryArn = boundary.Arn;
      await saveRole(writer, role);
      await recordBoundaryUsage(writer, context.accountId, boundary.Arn, 1);
    });
    return {};
  },
});

/** DeleteRolePermissionsBoundary: removes the boundary (nothing to do when there is none). */
export const deleteRolePermissionsBoundary = defineOperation<{ RoleName: string }, Record<string, never>>({
  service: 'iam',
  name: 'DeleteRolePermissionsBoundary',
  authorize: (context, input) => roleTarget(context, 'iam:DeleteRolePermissionsBoundary', input.RoleName, { boundary: true }),
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const role = await requireRole(writer, context.accountId, input.RoleName);
      checkRoleModifiable(role);
      const previous = role.PermissionsBoundaryArn;
      if (!previous) return;
      delete role.PermissionsBoundaryArn;
      await saveRole(writer, role);
      await recordBoundaryUsage(writer, context.accountId, previous, -1);
    });
    return {};
  },
});

// ---------------------------------------------------------------------------------------------------
// Service-linked roles (using-service-linked-roles.html; which services, from data: service-linked-role-catalog.ts)

export interface CreateServiceLinkedRoleInput {
  AWSServiceName: string;
  Description?: string;
  CustomSuffix?: string;
}

/** CreateServiceLinkedRole: the service's role, trusting the service, with the service's AWS managed policy attached. */
export const createServiceLinkedRole = defineOperation<CreateServiceLinkedRoleInput, { Role: RoleOutput }>({
  service: 'iam',
  name: 'CreateServiceLinkedRole',
  authorize: (context, input) => {
    const linked = serviceLinkedRoleName(input.AWSServiceName, input.CustomSuffix);
    const resource = linked ? roleArn(requestPartition(context), context.accountId, linked.path, linked.roleName) : roleArn(requestPartition(context), context.accountId, `${SERVICE_ROLE_PATH}${input.AWSServiceName}/`, '*');
    return [{ action: 'iam:CreateServiceLinkedRole', resource, context: { 'iam:AWSServiceName': input.AWSServiceName } }];
  },
  async execute(context, input) {
    const service = linkedServiceOf(input.AWSServiceName);
    // Rolecall's wording: AWS's answer for a service without a service-linked role was not found.
    if (!service) throw invalidInput(`Service ${input.AWSServiceName} does not support service-linked roles.`);
    // AWS: "Custom suffix is not allowed for elasticbeanstalk.amazonaws.com" (InvalidInput).
    if (input.CustomSuffix !== undefined && !service.customSuffix) throw invalidInput(`Custom suffix is not allowed for ${input.AWSServiceName}`);
    const { roleName, path } = serviceLinkedRoleName(input.AWSServiceName, input.CustomSuffix)!;
    const policy = service.policyName ? getAwsManagedPolicy(awsManagedPolicyArn(requestPartition(context), `${SERVICE_ROLE_PATH.slice(1)}${service.policyName}`)) : undefined;
    const role: Role = {
      AccountId: context.accountId,
      RoleName: roleName,
      RoleId: newUniqueId('AROA'),
      Path: path,
      Arn: roleArn(requestPartition(context), context.accountId, path, roleName),
      CreateDate: context.now.toISOString(),
      // The trust policy AWS writes for a service-linked role: the service, and sts:AssumeRole only.
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: input.AWSServiceName }, Action: 'sts:AssumeRole' }],
      }),
      ...(input.Description !== undefined ? { Description: input.Description } : {}),
      MaxSessionDuration: DEFAULT_MAX_SESSION_DURATION,
      Tags: [],
      InlinePolicies: {},
      AttachedPolicyArns: policy ? [policy.Arn] : [],
    };
    await context.store.write(async (writer) => {
      // AWS: "Service role name AWSServiceRoleForECS has been taken in this account, please try a different suffix."
      await insertRole(writer, role, () => invalidInput(`Service role name ${roleName} has been taken in this account, please try a different suffix.`));
      if (policy) await recordAttachment(writer, context.accountId, policy.Arn, { type: 'role', name: roleName }, true);
    });
    return { Role: roleDetail(role) };
  },
});

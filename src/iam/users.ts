/**
 * IAM users (API_CreateUser.html, API_GetUser.html, API_UpdateUser.html, API_DeleteUser.html,
 * API_ListUsers.html, API_TagUser.html, API_UntagUser.html, API_ListUserTags.html,
 * API_PutUserPermissionsBoundary.html, API_DeleteUserPermissionsBoundary.html): the user entity's
 * lifecycle. Inline and managed policies of users belong to the policy operations.
 */
import type { Tag, User } from '../model/entities.js';
import { rootArn, userArn, listedPathArn } from '../model/arns.js';
import { newUniqueId } from '../model/ids.js';
import { deleteConflict, entityAlreadyExists, limitExceeded } from '../model/errors.js';
import { EntityConflictError, type StoreWriter } from '../store/types.js';
import { refuseDeleteWhileCredentialsExist, renameCredentialOwner } from './credential-owners.js';
import { requireUser } from './lookup.js';
import { recordAttachment, recordBoundaryUsage, requireBoundaryPolicy, type AttachmentTarget } from './managed-policies.js';
import { defineOperation, requestPartition, type OperationContext } from './operation.js';
import { paginate, type PageRequest } from './pagination.js';
import { impliedUserName, impliedUserTarget, userTarget } from './user-targets.js';
import { replaceDeletedPrincipalInTrustPolicies } from './deleted-principals.js';
import { checkRequestTags, mergeTags, pageOfTags, removeTags, requestTagContext, tagKeysContext, tagsForOutput } from './tags.js';

/** IAM quotas (reference_iam-quotas.html): IAM users per account. */
export const USERS_PER_ACCOUNT = 5000;

/** AWS's `AttachedPermissionsBoundary` shape; IAM answers the type as `Policy`. */
export interface PermissionsBoundaryView {
  PermissionsBoundaryType: 'Policy';
  PermissionsBoundaryArn: string;
}

/** AWS's `User` shape as the API returns it (root's view has no Path or UserName). */
export interface UserView {
  Path?: string;
  UserName?: string;
  UserId: string;
  Arn: string;
  CreateDate: string;
  PasswordLastUsed?: string;
  PermissionsBoundary?: PermissionsBoundaryView;
  Tags?: Tag[];
}

/** The boundary as AWS's `AttachedPermissionsBoundary`, or nothing. */
export function boundaryView(arn: string | undefined): PermissionsBoundaryView | undefined {
  return arn ? { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn } : undefined;
}

/** The listing form of a user (ListUsers, GetGroup): AWS's list operations leave out tags and boundary. */
export function userListView(user: User): UserView {
  return {
    Path: user.Path,
    UserName: user.UserName,
    UserId: user.UserId,
    Arn: user.Arn,
    CreateDate: user.CreateDate,
    ...(user.PasswordLastUsed ? { PasswordLastUsed: user.PasswordLastUsed } : {}),
  };
}

/** The full form of a user (CreateUser, GetUser): with its boundary and tags. */
export function userView(user: User): UserView {
  const boundary = boundaryView(user.PermissionsBoundaryArn);
  const tags = tagsForOutput(user.Tags);
  return { ...userListView(user), ...(boundary ? { PermissionsBoundary: boundary } : {}), ...(tags ? { Tags: tags } : {}) };
}

/**
 * Moves a renamed user or group in the attachment records of the managed policies attached to it
 * (the policies' AttachmentCount counts those records).
 */
export async function renameInAttachmentRecords(
  writer: StoreWriter,
  account: string,
  policyArns: readonly string[],
  type: AttachmentTarget['type'],
  oldName: string,
  newName: string,
): Promise<void> {
  for (const arn of policyArns) {
    await recordAttachment(writer, account, arn, { type, name: oldName }, false);
    await recordAttachment(writer, account, arn, { type, name: newName }, true);
  }
}

function userExists(userName: string) {
  return entityAlreadyExists(`User with name ${userName} already exists.`);
}

// ---- CreateUser ----------------------------------------------------------------------------------

export interface CreateUserInput {
  UserName: string;
  Path?: string;
  PermissionsBoundary?: string;
  Tags?: Tag[];
}

export const createUser = defineOperation<CreateUserInput, { User: UserView }>({
  service: 'iam',
  name: 'CreateUser',
  authorize(context, input) {
    return [
      {
        action: 'iam:CreateUser',
        resource: userArn(requestPartition(context), context.accountId, input.Path ?? '/', input.UserName),
        context: {
          ...requestTagContext(input.Tags),
          ...(input.PermissionsBoundary ? { 'iam:PermissionsBoundary': input.PermissionsBoundary } : {}),
        },
      },
    ];
  },
  async execute(context, input) {
    checkRequestTags(input.Tags);
    const account = context.accountId;
    const path = input.Path ?? '/';
    const user = await context.store.write(async (writer) => {
      if (await writer.get<User>('user', account, input.UserName)) throw userExists(input.UserName);
      if ((await writer.count('user', account)) >= USERS_PER_ACCOUNT) throw limitExceeded(`Cannot exceed quota for UsersPerAccount: ${USERS_PER_ACCOUNT}`);
      const boundary = input.PermissionsBoundary === undefined ? undefined : (await requireBoundaryPolicy(writer, account, input.PermissionsBoundary)).Arn;
      const created: User = {
        AccountId: account,
        UserName: input.UserName,
        UserId: newUniqueId('AIDA'),
        Path: path,
        Arn: userArn(requestPartition(context), account, path, input.UserName),
        CreateDate: context.now.toISOString(),
        ...(boundary ? { PermissionsBoundaryArn: boundary } : {}),
        Tags: (input.Tags ?? []).map((tag) => ({ Key: tag.Key, Value: tag.Value })),
        InlinePolicies: {},
        AttachedPolicyArns: [],
        Groups: [],
      };
      try {
        await writer.insert('user', account, created.UserName, created);
      } catch (error) {
        throw error instanceof EntityConflictError ? userExists(input.UserName) : error;
      }
      if (boundary) await recordBoundaryUsage(writer, account, boundary, 1);
      return created;
    });
    return { User: userView(user) };
  },
});

// ---- GetUser -------------------------------------------------------------------------------------

export interface GetUserInput {
  UserName?: string;
}

export const getUser = defineOperation<GetUserInput, { User: UserView }>({
  service: 'iam',
  name: 'GetUser',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:GetUser', input.UserName)];
  },
  async execute(context, input) {
    const userName = impliedUserName(context, input.UserName);
    if (userName === undefined) return { User: await rootUserView(context) };
    const user = await context.store.read((reader) => requireUser(reader, context.accountId, userName));
    return { User: userView(user) };
  },
});

/**
 * GetUser without a name, called with root credentials: AWS answers with the account id as UserId, the
 * root ARN and the account's creation date, and no UserName or Path.
 */
async function rootUserView(context: OperationContext): Promise<UserView> {
  // Accounts form one global collection (kind 'account', account '', keyed by id).
  const account = await context.store.read((reader) => reader.get<{ CreateDate: string }>('account', '', context.accountId));
  return { UserId: context.accountId, Arn: rootArn(requestPartition(context), context.accountId), CreateDate: account?.CreateDate ?? context.now.toISOString() };
}

// ---- UpdateUser ----------------------------------------------------------------------------------

export interface UpdateUserInput {
  UserName: string;
  NewPath?: string;
  NewUserName?: string;
}

export const updateUser = defineOperation<UpdateUserInput, Record<string, never>>({
  service: 'iam',
  name: 'UpdateUser',
  async authorize(context, input) {
    // Renaming or moving needs the permission on both the old and the new user (API_UpdateUser.html).
    const current = await userTarget(context, 'iam:UpdateUser', input.UserName);
    if (input.NewUserName === undefined && input.NewPath === undefined) return [current];
    const user = await context.store.read((reader) => reader.get<User>('user', context.accountId, input.UserName));
    const renamed = userArn(requestPartition(context), context.accountId, input.NewPath ?? user?.Path ?? '/', input.NewUserName ?? user?.UserName ?? input.UserName);
    return renamed === current.resource ? [current] : [current, { action: 'iam:UpdateUser', resource: renamed }];
  },
  async execute(context, input) {
    const account = context.accountId;
    await context.store.write(async (writer) => {
      const user = await requireUser(writer, account, input.UserName);
      const newName = input.NewUserName ?? user.UserName;
      const newPath = input.NewPath ?? user.Path;
      const sameKey = newName.toLowerCase() === user.UserName.toLowerCase();
      if (!sameKey && (await writer.get<User>('user', account, newName))) throw userExists(newName);
      await writer.delete('user', account, user.UserName);
      await writer.put<User>('user', account, newName, { ...user, UserName: newName, Path: newPath, Arn: userArn(requestPartition(context), account, newPath, newName) });
      if (newName === user.UserName) return;
      // Credentials and the policies' attachment records point at the user by name: move them along.
      await renameCredentialOwner(writer, account, user.UserName, newName);
      await renameInAttachmentRecords(writer, account, user.AttachedPolicyArns, 'user', user.UserName, newName);
    });
    return {};
  },
});

// ---- DeleteUser ----------------------------------------------------------------------------------

export interface DeleteUserInput {
  UserName: string;
}

export const deleteUser = defineOperation<DeleteUserInput, Record<string, never>>({
  service: 'iam',
  name: 'DeleteUser',
  async authorize(context, input) {
    return [await userTarget(context, 'iam:DeleteUser', input.UserName)];
  },
  async execute(context, input) {
    const account = context.accountId;
    await context.store.write(async (writer) => {
      const user = await requireUser(writer, account, input.UserName);
      // AWS refuses while anything still hangs off the user (API_DeleteUser.html lists what to remove first).
      await refuseDeleteWhileCredentialsExist(writer, account, user.UserName);
      if (Object.keys(user.InlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
      if (user.AttachedPolicyArns.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      if (user.Groups.length > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
      await writer.delete('user', account, user.UserName);
      if (user.PermissionsBoundaryArn) await recordBoundaryUsage(writer, account, user.PermissionsBoundaryArn, -1);
      await replaceDeletedPrincipalInTrustPolicies(writer, { AccountId: user.AccountId, Arn: user.Arn, UniqueId: user.UserId });
    });
    return {};
  },
});

// ---- ListUsers -----------------------------------------------------------------------------------

export interface ListUsersInput extends PageRequest {
  PathPrefix?: string;
}

export interface ListUsersOutput {
  Users: UserView[];
  IsTruncated: boolean;
  Marker?: string;
}

export const listUsers = defineOperation<ListUsersInput, ListUsersOutput>({
  service: 'iam',
  name: 'ListUsers',
  authorize(context, input) {
    return [{ action: 'iam:ListUsers', resource: listedPathArn(requestPartition(context), context.accountId, 'user', input.PathPrefix) }];
  },
  async execute(context, input) {
    const prefix = input.PathPrefix ?? '/';
    const users = await context.store.read((reader) => reader.list<User>('user', context.accountId));
    const page = paginate(
      users.filter((user) => user.Path.startsWith(prefix)),
      (user) => user.UserName,
      input,
    );
    return { Users: page.items.map(userListView), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  },
});

// ---- Tags ----------------------------------------------------------------------------------------

export interface TagUserInput {
  UserName: string;
  Tags: Tag[];
}

export const tagUser = defineOperation<TagUserInput, Record<string, never>>({
  service: 'iam',
  name: 'TagUser',
  async authorize(context, input) {
    return [await userTarget(context, 'iam:TagUser', input.UserName, requestTagContext(input.Tags))];
  },
  async execute(context, input) {
    checkRequestTags(input.Tags);
    await context.store.write(async (writer) => {
      const user = await requireUser(writer, context.accountId, input.UserName);
      await writer.put<User>('user', context.accountId, user.UserName, { ...user, Tags: mergeTags(user.Tags, input.Tags) });
    });
    return {};
  },
});

export interface UntagUserInput {
  UserName: string;
  TagKeys: string[];
}

export const untagUser = defineOperation<UntagUserInput, Record<string, never>>({
  service: 'iam',
  name: 'UntagUser',
  async authorize(context, input) {
    return [await userTarget(context, 'iam:UntagUser', input.UserName, tagKeysContext(input.TagKeys))];
  },
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const user = await requireUser(writer, context.accountId, input.UserName);
      await writer.put<User>('user', context.accountId, user.UserName, { ...user, Tags: removeTags(user.Tags, input.TagKeys) });
    });
    return {};
  },
});

export interface ListUserTagsInput extends PageRequest {
  UserName: string;
}

export const listUserTags = defineOperation<ListUserTagsInput, { Tags: Tag[]; IsTruncated: boolean; Marker?: string }>({
  service: 'iam',
  name: 'ListUserTags',
  async authorize(context, input) {
    return [await userTarget(context, 'iam:ListUserTags', input.UserName)];
  },
  async execute(context, input) {
    const user = await context.store.read((reader) => requireUser(reader, context.accountId, input.UserName));
    return pageOfTags(user.Tags, input);
  },
});

// ---- Permissions boundary ------------------------------------------------------------------------

export interface PutUserPermissionsBoundaryInput {
  UserName: string;
  PermissionsBoundary: string;
}

export const putUserPermissionsBoundary = defineOperation<PutUserPermissionsBoundaryInput, Record<string, never>>({
  service: 'iam',
  name: 'PutUserPermissionsBoundary',
  async authorize(context, input) {
    return [await userTarget(context, 'iam:PutUserPermissionsBoundary', input.UserName, { 'iam:PermissionsBoundary': input.PermissionsBoundary })];
  },
  async execute(context, input) {
    const account = context.accountId;
    await context.store.write(async (writer) => {
      const user = await requireUser(writer, account, input.UserName);
      const boundary = (await requireBoundaryPolicy(writer, account, input.PermissionsBoundary)).Arn;
      if (user.PermissionsBoundaryArn === boundary) return;
      if (user.PermissionsBoundaryArn) await recordBoundaryUsage(writer, account, user.PermissionsBoundaryArn, -1);
      await writer.put<User>('user', account, user.UserName, { ...user, PermissionsBoundaryArn: boundary });
      await recordBoundaryUsage(writer, account, boundary, 1);
    });
    return {};
  },
});

export interface DeleteUserPermissionsBoundaryInput {
  UserName: string;
}

export const deleteUserPermissionsBoundary = defineOperation<DeleteUserPermissionsBoundaryInput, Record<string, never>>({
  service: 'iam',
  name: 'DeleteUserPermissionsBoundary',
  async authorize(context, input) {
    // iam:PermissionsBoundary names the boundary being removed (list_awsidentityandaccessmanagementiam.html).
    const user = await context.store.read((reader) => reader.get<User>('user', context.accountId, input.UserName));
    const boundary = user?.PermissionsBoundaryArn;
    return [await userTarget(context, 'iam:DeleteUserPermissionsBoundary', input.UserName, boundary ? { 'iam:PermissionsBoundary': boundary } : {})];
  },
  async execute(context, input) {
    const account = context.accountId;
    await context.store.write(async (writer) => {
      const user = await requireUser(writer, account, input.UserName);
      if (!user.PermissionsBoundaryArn) return;
      const { PermissionsBoundaryArn: removed, ...rest } = user;
      await writer.put<User>('user', account, user.UserName, rest);
      await recordBoundaryUsage(writer, account, removed, -1);
    });
    return {};
  },
});

/** The user operations, for the registry. */
export const USER_OPERATIONS = [
  createUser,
  getUser,
  updateUser,
  deleteUser,
  listUsers,
  tagUser,
  untagUser,
  listUserTags,
  putUserPermissionsBoundary,
  deleteUserPermissionsBoundary,
];

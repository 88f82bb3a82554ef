/**
 * IAM groups and their members (API_CreateGroup.html, API_GetGroup.html, API_UpdateGroup.html,
 * API_DeleteGroup.html, API_ListGroups.html, API_AddUserToGroup.html, API_RemoveUserFromGroup.html,
 * API_ListGroupsForUser.html). Membership is stored on the user (User.Groups); a group's members are
 * the users that name it.
 */
import type { Group, User } from '../model/entities.js';
import { groupArn, listedPathArn } from '../model/arns.js';
import { newUniqueId } from '../model/ids.js';
import { deleteConflict, entityAlreadyExists, limitExceeded } from '../model/errors.js';
import { EntityConflictError, type StoreReader } from '../store/types.js';
import { requireGroup, requireUser } from './lookup.js';
import { defineOperation, requestPartition, type AuthorizationTarget, type OperationContext } from './operation.js';
import { paginate, type PageRequest } from './pagination.js';
import { renameInAttachmentRecords, userListView, type UserView } from './users.js';
import { userTarget } from './user-targets.js';

/** IAM quotas (reference_iam-quotas.html): groups per account and groups a user may belong to. */
export const GROUPS_PER_ACCOUNT = 300;
export const GROUPS_PER_USER = 10;

/** AWS's `Group` shape. */
export interface GroupView {
  Path: string;
  GroupName: string;
  GroupId: string;
  Arn: string;
  CreateDate: string;
}

/** A group as the API returns it. */
export function groupView(group: Group): GroupView {
  return { Path: group.Path, GroupName: group.GroupName, GroupId: group.GroupId, Arn: group.Arn, CreateDate: group.CreateDate };
}

/** The users that belong to a group, ordered by lower-cased name. */
export async function membersOf(reader: StoreReader, account: string, groupName: string): Promise<User[]> {
  const users = await reader.list<User>('user', account);
  const wanted = groupName.toLowerCase();
  return users.filter((user) => user.Groups.some((name) => name.toLowerCase() === wanted));
}

/** The group target of an action: the stored group's ARN (with its path), else the default path. Groups carry no tags. */
async function groupTarget(context: OperationContext, action: string, groupName: string): Promise<AuthorizationTarget> {
  const group = await context.store.read((reader) => reader.get<Group>('group', context.accountId, groupName));
  return { action, resource: group ? group.Arn : groupArn(requestPartition(context), context.accountId, '/', groupName) };
}

function groupExists(groupName: string) {
  return entityAlreadyExists(`Group with name ${groupName} already exists.`);
}

function page<T>(items: readonly T[], keyOf: (item: T) => string, request: PageRequest): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const result = paginate(items, keyOf, request);
  return { items: result.items, IsTruncated: result.IsTruncated, ...(result.Marker ? { Marker: result.Marker } : {}) };
}

// ---- CreateGroup ---------------------------------------------------------------------------------

export interface CreateGroupInput {
  GroupName: string;
  Path?: string;
}

export const createGroup = defineOperation<CreateGroupInput, { Group: GroupView }>({
  service: 'iam',
  name: 'CreateGroup',
  authorize(context, input) {
    return [{ action: 'iam:CreateGroup', resource: groupArn(requestPartition(context), context.accountId, input.Path ?? '/', input.GroupName) }];
  },
  async execute(context, input) {
    const account = context.accountId;
    const path = input.Path ?? '/';
    const group = await context.store.write(async (writer) => {
      if (await writer.get<Group>('group', account, input.GroupName)) throw groupExists(input.GroupName);
      if ((await writer.count('group', account)) >= GROUPS_PER_ACCOUNT) throw limitExceeded(`Cannot exceed quota for GroupsPerAccount: ${GROUPS_PER_ACCOUNT}`);
      const created: Group = {
        AccountId: account,
        GroupName: input.GroupName,
        GroupId: newUniqueId('AGPA'),
        Path: path,
        Arn: groupArn(requestPartition(context), account, path, input.GroupName),
        CreateDate: context.now.toISOString(),
        InlinePolicies: {},
        AttachedPolicyArns: [],
      };
      try {
        await writer.insert('group', account, created.GroupName, created);
      } catch (error) {
        throw error instanceof EntityConflictError ? groupExists(input.GroupName) : error;
      }
      return created;
    });
    return { Group: groupView(group) };
  },
});

// ---- GetGroup ------------------------------------------------------------------------------------

export interface GetGroupInput extends PageRequest {
  GroupName: string;
}

export interface GetGroupOutput {
  Group: GroupView;
  Users: UserView[];
  IsTruncated: boolean;
  Marker?: string;
}

export const getGroup = defineOperation<GetGroupInput, GetGroupOutput>({
  service: 'iam',
  name: 'GetGroup',
  async authorize(context, input) {
    return [await groupTarget(context, 'iam:GetGroup', input.GroupName)];
  },
  async execute(context, input) {
    const { group, members } = await context.store.read(async (reader) => {
      const group = await requireGroup(reader, context.accountId, input.GroupName);
      return { group, members: await membersOf(reader, context.accountId, group.GroupName) };
    });
    const { items, ...more } = page(members, (user) => user.UserName, input);
    return { Group: groupView(group), Users: items.map(userListView), ...more };
  },
});

// ---- UpdateGroup ---------------------------------------------------------------------------------

export interface UpdateGroupInput {
  GroupName: string;
  NewPath?: string;
  NewGroupName?: string;
}

export const updateGroup = defineOperation<UpdateGroupInput, Record<string, never>>({
  service: 'iam',
  name: 'UpdateGroup',
  async authorize(context, input) {
    // Renaming or moving needs the permission on both the old and the new group (API_UpdateGroup.html).
    const current = await groupTarget(context, 'iam:UpdateGroup', input.GroupName);
    if (input.NewGroupName === undefined && input.NewPath === undefined) return [current];
    const group = await context.store.read((reader) => reader.get<Group>('group', context.accountId, input.GroupName));
    const renamed = groupArn(requestPartition(context), context.accountId, input.NewPath ?? group?.Path ?? '/', input.NewGroupName ?? group?.GroupName ?? input.GroupName);
    return renamed === current.resource ? [current] : [current, { action: 'iam:UpdateGroup', resource: renamed }];
  },
  async execute(context, input) {
    const account = context.accountId;
    await context.store.write(async (writer) => {
      const group = await requireGroup(writer, account, input.GroupName);
      const newName = input.NewGroupName ?? group.GroupName;
      const newPath = input.NewPath ?? group.Path;
      if (newName.toLowerCase() !== group.GroupName.toLowerCase() && (await writer.get<Group>('group', account, newName))) throw groupExists(newName);
      await writer.delete('group', account, group.GroupName);
      await writer.put<Group>('group', account, newName, { ...group, GroupName: newName, Path: newPath, Arn: groupArn(requestPartition(context), account, newPath, newName) });
      if (newName === group.GroupName) return;
      // Members and the policies' attachment records point at the group by name: move them along.
      for (const user of await membersOf(writer, account, group.GroupName)) {
        const groups = user.Groups.map((name) => (name.toLowerCase() === group.GroupName.toLowerCase() ? newName : name));
        await writer.put<User>('user', account, user.UserName, { ...user, Groups: groups });
      }
      await renameInAttachmentRecords(writer, account, group.AttachedPolicyArns, 'group', group.GroupName, newName);
    });
    return {};
  },
});

// ---- DeleteGroup ---------------------------------------------------------------------------------

export interface DeleteGroupInput {
  GroupName: string;
}

export const deleteGroup = defineOperation<DeleteGroupInput, Record<string, never>>({
  service: 'iam',
  name: 'DeleteGroup',
  async authorize(context, input) {
    return [await groupTarget(context, 'iam:DeleteGroup', input.GroupName)];
  },
  async execute(context, input) {
    const account = context.accountId;
    await context.store.write(async (writer) => {
      const group = await requireGroup(writer, account, input.GroupName);
      // AWS refuses while the group has members or policies (API_DeleteGroup.html).
      if ((await membersOf(writer, account, group.GroupName)).length > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
      if (Object.keys(group.InlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
      if (group.AttachedPolicyArns.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      await writer.delete('group', account, group.GroupName);
    });
    return {};
  },
});

// ---- ListGroups ----------------------------------------------------------------------------------

export interface ListGroupsInput extends PageRequest {
  PathPrefix?: string;
}

export interface GroupListOutput {
  Groups: GroupView[];
  IsTruncated: boolean;
  Marker?: string;
}

export const listGroups = defineOperation<ListGroupsInput, GroupListOutput>({
  service: 'iam',
  name: 'ListGroups',
  authorize(context, input) {
    return [{ action: 'iam:ListGroups', resource: listedPathArn(requestPartition(context), context.accountId, 'group', input.PathPrefix) }];
  },
  async execute(context, input) {
    const prefix = input.PathPrefix ?? '/';
    const groups = await context.store.read((reader) => reader.list<Group>('group', context.accountId));
    const { items, ...more } = page(
      groups.filter((group) => group.Path.startsWith(prefix)),
      (group) => group.GroupName,
      input,
    );
    return { Groups: items.map(groupView), ...more };
  },
});

// ---- Membership ----------------------------------------------------------------------------------

export interface GroupMembershipInput {
  GroupName: string;
  UserName: string;
}

export const addUserToGroup = defineOperation<GroupMembershipInput, Record<string, never>>({
  service: 'iam',
  name: 'AddUserToGroup',
  async authorize(context, input) {
    return [await groupTarget(context, 'iam:AddUserToGroup', input.GroupName)];
  },
  async execute(context, input) {
    const account = context.accountId;
    await context.store.write(async (writer) => {
      // AWS looks the user up first: with both missing it names the user (AWS-recorded responses, issue 11).
      const user = await requireUser(writer, account, input.UserName);
      const group = await requireGroup(writer, account, input.GroupName);
      // Adding a member twice changes nothing, as in AWS.
      if (user.Groups.some((name) => name.toLowerCase() === group.GroupName.toLowerCase())) return;
      if (user.Groups.length >= GROUPS_PER_USER) throw limitExceeded(`Cannot exceed quota for GroupsPerUser: ${GROUPS_PER_USER}`);
      await writer.put<User>('user', account, user.UserName, { ...user, Groups: [...user.Groups, group.GroupName] });
    });
    return {};
  },
});

export const removeUserFromGroup = defineOperation<GroupMembershipInput, Record<string, never>>({
  service: 'iam',
  name: 'RemoveUserFromGroup',
  async authorize(context, input) {
    return [await groupTarget(context, 'iam:RemoveUserFromGroup', input.GroupName)];
  },
  async execute(context, input) {
    const account = context.accountId;
    await context.store.write(async (writer) => {
      // AWS looks the user up first: with both missing it names the user (AWS-recorded responses, issue 11).
      const user = await requireUser(writer, account, input.UserName);
      const group = await requireGroup(writer, account, input.GroupName);
      const groups = user.Groups.filter((name) => name.toLowerCase() !== group.GroupName.toLowerCase());
      // Removing a user who is not a member succeeds without a change, as AWS answers.
      if (groups.length === user.Groups.length) return;
      await writer.put<User>('user', account, user.UserName, { ...user, Groups: groups });
    });
    return {};
  },
});

export interface ListGroupsForUserInput extends PageRequest {
  UserName: string;
}

export const listGroupsForUser = defineOperation<ListGroupsForUserInput, GroupListOutput>({
  service: 'iam',
  name: 'ListGroupsForUser',
  async authorize(context, input) {
    return [await userTarget(context, 'iam:ListGroupsForUser', input.UserName)];
  },
  async execute(context, input) {
    const groups = await context.store.read(async (reader) => {
      const user = await requireUser(reader, context.accountId, input.UserName);
      const found: Group[] = [];
      for (const name of user.Groups) {
        const group = await reader.get<Group>('group', context.accountId, name);
        if (group) found.push(group);
      }
      return found.sort((a, b) => (a.GroupName.toLowerCase() < b.GroupName.toLowerCase() ? -1 : 1));
    });
    const { items, ...more } = page(groups, (group) => group.GroupName, input);
    return { Groups: items.map(groupView), ...more };
  },
});

/** The group operations, for the registry. */
export const GROUP_OPERATIONS = [createGroup, getGroup, updateGroup, deleteGroup, listGroups, addUserToGroup, removeUserFromGroup, listGroupsForUser];

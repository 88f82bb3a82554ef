/**
 * Instance profiles (id_roles_use_switch-role-ec2_instance-profiles.html): a container for one role that
 * EC2 passes to an instance. At most one role per profile (InstanceRolesPerInstanceProfile = 1); a
 * profile holding a role cannot be deleted; adding a role passes it to EC2, so the caller also needs
 * iam:PassRole on the role.
 */
import type { InstanceProfile, Role, Tag } from '../model/entities.js';
import { instanceProfileArn, listedPathArn } from '../model/arns.js';
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from '../model/errors.js';
import { newUniqueId } from '../model/ids.js';
import { EntityConflictError, type StoreReader, type StoreWriter } from '../store/types.js';
import { requireInstanceProfile, requireRole } from './lookup.js';
import { defineOperation, requestPartition, type AuthorizationTarget, type OperationContext } from './operation.js';
import { paginate, type PageRequest } from './pagination.js';
import { checkRoleModifiable, instanceProfilesOfRole, roleSummary, roleTarget, type RoleOutput } from './roles.js';
import { checkRequestTags, mergeTags, pageOfTags, removeTags, requestTagContext, resourceTagContext, tagKeysContext, tagsForOutput } from './tags.js';

/** Instance profiles per account (reference_iam-quotas.html, default quota). */
export const MAX_INSTANCE_PROFILES_PER_ACCOUNT = 1000;
/** Roles per instance profile; AWS cannot raise it. */
export const MAX_ROLES_PER_INSTANCE_PROFILE = 1;

export interface InstanceProfileOutput {
  Path: string;
  InstanceProfileName: string;
  InstanceProfileId: string;
  Arn: string;
  CreateDate: string;
  Roles: RoleOutput[];
  Tags?: Tag[];
}

/** The InstanceProfile structure; `withTags` 'always' answers `Tags: []` when there are none, as GetInstanceProfile does. */
async function profileOutput(reader: StoreReader, profile: InstanceProfile, withTags: boolean | 'always'): Promise<InstanceProfileOutput> {
  const roles: RoleOutput[] = [];
  for (const name of profile.RoleNames) {
    const role = await reader.get<Role>('role', profile.AccountId, name);
    if (role) roles.push(roleSummary(role));
  }
  const tags = withTags === 'always' ? profile.Tags.map((tag) => ({ ...tag })) : withTags ? tagsForOutput(profile.Tags) : undefined;
  return {
    Path: profile.Path,
    InstanceProfileName: profile.InstanceProfileName,
    InstanceProfileId: profile.InstanceProfileId,
    Arn: profile.Arn,
    CreateDate: profile.CreateDate,
    Roles: roles,
    ...(tags ? { Tags: tags } : {}),
  };
}

async function profileTarget(context: OperationContext, action: string, name: string, extra = {}): Promise<AuthorizationTarget[]> {
  const profile = name ? await context.store.read((reader) => reader.get<InstanceProfile>('instanceProfile', context.accountId, name)) : undefined;
  return [{ action, resource: profile?.Arn ?? instanceProfileArn(requestPartition(context), context.accountId, '/', name), context: { ...resourceTagContext(profile?.Tags), ...extra } }];
}

async function saveProfile(writer: StoreWriter, profile: InstanceProfile): Promise<void> {
  await writer.put('instanceProfile', profile.AccountId, profile.InstanceProfileName, profile);
}

export interface CreateInstanceProfileInput {
  InstanceProfileName: string;
  Path?: string;
  Tags?: Tag[];
}

/** CreateInstanceProfile: an empty profile. */
export const createInstanceProfile = defineOperation<CreateInstanceProfileInput, { InstanceProfile: InstanceProfileOutput }>({
  service: 'iam',
  name: 'CreateInstanceProfile',
  authorize: (context, input) => [
    {
      action: 'iam:CreateInstanceProfile',
      resource: instanceProfileArn(requestPartition(context), context.accountId, input.Path ?? '/', input.InstanceProfileName),
      context: requestTagContext(input.Tags),
    },
  ],
  async execute(context, input) {
    checkRequestTags(input.Tags);
    const path = input.Path ?? '/';
    const profile: InstanceProfile = {
      AccountId: context.accountId,
      InstanceProfileName: input.InstanceProfileName,
      InstanceProfileId: newUniqueId('AIPA'),
      Path: path,
      Arn: instanceProfileArn(requestPartition(context), context.accountId, path, input.InstanceProfileName),
      CreateDate: context.now.toISOString(),
      Tags: (input.Tags ?? []).map((tag) => ({ Key: tag.Key, Value: tag.Value })),
      RoleNames: [],
    };
    await context.store.write(async (writer) => {
      if ((await writer.count('instanceProfile', context.accountId)) >= MAX_INSTANCE_PROFILES_PER_ACCOUNT) {
        throw limitExceeded(`Cannot exceed quota for InstanceProfilesPerAccount: ${MAX_INSTANCE_PROFILES_PER_ACCOUNT}`);
      }
      try {
        await writer.insert('instanceProfile', context.accountId, profile.InstanceProfileName, profile);
      } catch (error) {
        if (error instanceof EntityConflictError) throw entityAlreadyExists(`Instance Profile ${input.InstanceProfileName} already exists.`);
        throw error;
      }
    });
    return { InstanceProfile: await context.store.read((reader) => profileOutput(reader, profile, true)) };
  },
});

/** GetInstanceProfile: the profile with its role and tags. */
export const getInstanceProfile = defineOperation<{ InstanceProfileName: string }, { InstanceProfile: InstanceProfileOutput }>({
  service: 'iam',
  name: 'GetInstanceProfile',
  authorize: (context, input) => profileTarget(context, 'iam:GetInstanceProfile', input.InstanceProfileName),
  async execute(context, input) {
    const output = await context.store.read(async (reader) =>
      // GetInstanceProfile answers `Tags: []` for a profile without tags (AWS-recorded responses, issue 11).
      profileOutput(reader, await requireInstanceProfile(reader, context.accountId, input.InstanceProfileName), 'always'),
    );
    return { InstanceProfile: output };
  },
});

/** DeleteInstanceProfile: refused while the profile holds a role. */
export const deleteInstanceProfile = defineOperation<{ InstanceProfileName: string }, Record<string, never>>({
  service: 'iam',
  name: 'DeleteInstanceProfile',
  authorize: (context, input) => profileTarget(context, 'iam:DeleteInstanceProfile', input.InstanceProfileName),
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const profile = await requireInstanceProfile(writer, context.accountId, input.InstanceProfileName);
      if (profile.RoleNames.length > 0) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
      await writer.delete('instanceProfile', context.accountId, profile.InstanceProfileName);
    });
    return {};
  },
});

/** ListInstanceProfiles: by name, filtered by path prefix, without tags (API_ListInstanceProfiles.html). */
export const listInstanceProfiles = defineOperation<
  { PathPrefix?: string } & PageRequest,
  { InstanceProfiles: InstanceProfileOutput[]; IsTruncated: boolean; Marker?: string }
>({
  service: 'iam',
  name: 'ListInstanceProfiles',
  authorize: (context, input) => [
    { action: 'iam:ListInstanceProfiles', resource: listedPathArn(requestPartition(context), context.accountId, 'instance-profile', input.PathPrefix) },
  ],
  async execute(context, input) {
    const prefix = input.PathPrefix ?? '/';
    return context.store.read(async (reader) => {
      const profiles = (await reader.list<InstanceProfile>('instanceProfile', context.accountId)).filter((profile) => profile.Path.startsWith(prefix));
      const page = paginate(profiles, (profile) => profile.InstanceProfileName, input);
      const items: InstanceProfileOutput[] = [];
      for (const profile of page.items) items.push(await profileOutput(reader, profile, false));
      return { InstanceProfiles: items, IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
    });
  },
});

/** ListInstanceProfilesForRole: the profiles that hold the role. */
export const listInstanceProfilesForRole = defineOperation<
  { RoleName: string } & PageRequest,
  { InstanceProfiles: InstanceProfileOutput[]; IsTruncated: boolean; Marker?: string }
>({
  service: 'iam',
  name: 'ListInstanceProfilesForRole',
  authorize: (context, input) => roleTarget(context, 'iam:ListInstanceProfilesForRole', input.RoleName),
  async execute(context, input) {
    return context.store.read(async (reader) => {
      const role = await requireRole(reader, context.accountId, input.RoleName);
      const page = paginate(await instanceProfilesOfRole(reader, context.accountId, role.RoleName), (profile) => profile.InstanceProfileName, input);
      const items: InstanceProfileOutput[] = [];
      for (const profile of page.items) items.push(await profileOutput(reader, profile, false));
      return { InstanceProfiles: items, IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
    });
  },
});

/**
 * AddRoleToInstanceProfile: the profile's one role. Needs iam:PassRole on the role as well, with
 * iam:PassedToService ec2.amazonaws.com (id_roles_use_switch-role-ec2.html, "Permissions required").
 */
export const addRoleToInstanceProfile = defineOperation<{ InstanceProfileName: string; RoleName: string }, Record<string, never>>({
  service: 'iam',
  name: 'AddRoleToInstanceProfile',
  authorize: async (context, input) => [
    ...(await profileTarget(context, 'iam:AddRoleToInstanceProfile', input.InstanceProfileName)),
    ...(await roleTarget(context, 'iam:PassRole', input.RoleName, { extra: { 'iam:PassedToService': 'ec2.amazonaws.com' } })),
  ],
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const profile = await requireInstanceProfile(writer, context.accountId, input.InstanceProfileName);
      const role = await requireRole(writer, context.accountId, input.RoleName);
      checkRoleModifiable(role);
      if (profile.RoleNames.length >= MAX_ROLES_PER_INSTANCE_PROFILE) {
        // AWS names the quota InstanceSessionsPerInstanceProfile (AWS-recorded responses, issue 11).
        throw limitExceeded(`Cannot exceed quota for InstanceSessionsPerInstanceProfile: ${MAX_ROLES_PER_INSTANCE_PROFILE}`);
      }
      profile.RoleNames = [...profile.RoleNames, role.RoleName];
      await saveProfile(writer, profile);
    });
    return {};
  },
});

/** RemoveRoleFromInstanceProfile: empties the profile. */
export const removeRoleFromInstanceProfile = defineOperation<{ InstanceProfileName: string; RoleName: string }, Record<string, never>>({
  service: 'iam',
  name: 'RemoveRoleFromInstanceProfile',
  authorize: (context, input) => profileTarget(context, 'iam:RemoveRoleFromInstanceProfile', input.InstanceProfileName),
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const profile = await requireInstanceProfile(writer, context.accountId, input.InstanceProfileName);
      const wanted = input.RoleName.toLowerCase();
      if (!profile.RoleNames.some((name) => name.toLowerCase() === wanted)) {
        throw noSuchEntity(`The role with name ${input.RoleName} cannot be found.`);
      }
      profile.RoleNames = profile.RoleNames.filter((name) => name.toLowerCase() !== wanted);
      await saveProfile(writer, profile);
    });
    return {};
  },
});

/** TagInstanceProfile. */
export const tagInstanceProfile = defineOperation<{ InstanceProfileName: string; Tags: Tag[] }, Record<string, never>>({
  service: 'iam',
  name: 'TagInstanceProfile',
  authorize: (context, input) => profileTarget(context, 'iam:TagInstanceProfile', input.InstanceProfileName, requestTagContext(input.Tags)),
  async execute(context, input) {
    checkRequestTags(input.Tags);
    await context.store.write(async (writer) => {
      const profile = await requireInstanceProfile(writer, context.accountId, input.InstanceProfileName);
      profile.Tags = mergeTags(profile.Tags, input.Tags);
      await saveProfile(writer, profile);
    });
    return {};
  },
});

/** UntagInstanceProfile. */
export const untagInstanceProfile = defineOperation<{ InstanceProfileName: string; TagKeys: string[] }, Record<string, never>>({
  service: 'iam',
  name: 'UntagInstanceProfile',
  authorize: (context, input) => profileTarget(context, 'iam:UntagInstanceProfile', input.InstanceProfileName, tagKeysContext(input.TagKeys)),
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const profile = await requireInstanceProfile(writer, context.accountId, input.InstanceProfileName);
      profile.Tags = removeTags(profile.Tags, input.TagKeys);
      await saveProfile(writer, profile);
    });
    return {};
  },
});

/** ListInstanceProfileTags. */
export const listInstanceProfileTags = defineOperation<{ InstanceProfileName: string } & PageRequest, { Tags: Tag[]; IsTruncated: boolean; Marker?: string }>({
  service: 'iam',
  name: 'ListInstanceProfileTags',
  authorize: (context, input) => profileTarget(context, 'iam:ListInstanceProfileTags', input.InstanceProfileName),
  async execute(context, input) {
    const profile = await context.store.read((reader) => requireInstanceProfile(reader, context.accountId, input.InstanceProfileName));
    return pageOfTags(profile.Tags, input);
  },
});

/**
 * Account-wide views and settings: GetAccountSummary (API_GetAccountSummary.html), the snapshot of every
 * user, group, role and policy with their relationships (API_GetAccountAuthorizationDetails.html), and
 * the account alias (API_CreateAccountAlias.html, API_DeleteAccountAlias.html, API_ListAccountAliases.html).
 */
import type { AccessKey, Group, InstanceProfile, ManagedPolicy, PolicyVersion, Role, RoleLastUsed, SigningCertificate, Tag, User, VirtualMfaDevice } from '../model/entities.js';
import { entityAlreadyExists, noSuchEntity, validationError } from '../model/errors.js';
import type { StoreReader } from '../store/types.js';
import { MAX_ATTACHED_POLICIES } from './attachments.js';
import { getAwsManagedPolicy, readAllAwsPolicyUsage, type AwsManagedPolicy } from './aws-managed-policies.js';
import { policyNameOfArn } from './lookup.js';
import { MAX_INSTANCE_PROFILES_PER_ACCOUNT } from './instance-profiles.js';
import { customerView, MAX_CUSTOMER_POLICIES, policyOutput, type PolicyOutput } from './managed-policies.js';
import { defineOperation } from './operation.js';
import { DEFAULT_MAX_ITEMS, decodeMarker, encodeMarker, type PageRequest } from './pagination.js';
import { MAX_POLICY_VERSIONS } from './policy-versions.js';
import { MAX_ROLES_PER_ACCOUNT } from './roles.js';
import { tagsForOutput } from './tags.js';
import { ACCESS_KEYS_PER_USER } from './access-keys.js';
import { GROUPS_PER_ACCOUNT, GROUPS_PER_USER } from './groups.js';
import { boundaryView, USERS_PER_ACCOUNT, type PermissionsBoundaryView } from './users.js';

// ---- GetAccountSummary ---------------------------------------------------------------------------

/**
 * The quotas GetAccountSummary reports, at AWS's defaults (reference_iam-quotas.html): policy sizes in
 * characters, the others in counts. Rolecall enforces the same numbers where it enforces a quota.
 */
export const ACCOUNT_QUOTAS = {
  UsersQuota: USERS_PER_ACCOUNT,
  GroupsQuota: GROUPS_PER_ACCOUNT,
  RolesQuota: MAX_ROLES_PER_ACCOUNT,
  PoliciesQuota: MAX_CUSTOMER_POLICIES,
  InstanceProfilesQuota: MAX_INSTANCE_PROFILES_PER_ACCOUNT,
  ServerCertificatesQuota: 20,
  GroupsPerUserQuota: GROUPS_PER_USER,
  AccessKeysPerUserQuota: ACCESS_KEYS_PER_USER,
  SigningCertificatesPerUserQuota: 2,
  AttachedPoliciesPerUserQuota: MAX_ATTACHED_POLICIES,
  AttachedPoliciesPerGroupQuota: MAX_ATTACHED_POLICIES,
  AttachedPoliciesPerRoleQuota: MAX_ATTACHED_POLICIES,
  PolicySizeQuota: 6144,
  UserPolicySizeQuota: 2048,
  GroupPolicySizeQuota: 5120,
  RolePolicySizeQuota: 10240,
  AssumeRolePolicySizeQuota: 2048,
  VersionsPerPolicyQuota: MAX_POLICY_VERSIONS,
  PolicyVersionsInUseQuota: 10000,
} as const;

export const getAccountSummary = defineOperation<Record<string, never>, { SummaryMap: Record<string, number> }>({
  service: 'iam',
  name: 'GetAccountSummary',
  authorize() {
    return [{ action: 'iam:GetAccountSummary', resource: '*' }];
  },
  async execute(context) {
    const account = context.accountId;
    const usage = await context.store.read(async (reader) => ({
      Users: await reader.count('user', account),
      Groups: await reader.count('group', account),
      Roles: await reader.count('role', account),
      Policies: await reader.count('policy', account),
      InstanceProfiles: await reader.count('instanceProfile', account),
      // OIDC providers (Rolecall has no SAML providers, which AWS counts here too).
      Providers: await reader.count('oidcProvider', account),
      PolicyVersionsInUse: await policyAttachmentCount(reader, account),
      AccountAccessKeysPresent: (await reader.list<AccessKey>('accessKey', account)).some((key) => key.UserName === undefined) ? 1 : 0,
      MFADevices: await reader.count('mfaDevice', account),
      MFADevicesInUse: (await reader.list<VirtualMfaDevice>('mfaDevice', account)).filter((device) => device.UserName !== undefined).length,
      // The root user's own certificates are the ones without a user name, as with its access keys.
      AccountSigningCertificatesPresent: (await reader.list<SigningCertificate>('signingCertificate', account)).some((certificate) => certificate.UserName === undefined) ? 1 : 0,
    }));
    return {
      SummaryMap: {
        ...usage,
        ...ACCOUNT_QUOTAS,
        // The root user's MFA devices and password, and server certificates, are not modelled.
        AccountMFAEnabled: 0,
        AccountPasswordPresent: 0,
        ServerCertificates: 0,
        GlobalEndpointTokenVersion: 1,
      },
    };
  },
});

/** How many policy attachments the account has, customer and AWS managed (what PolicyVersionsInUse counts against its quota). */
async function policyAttachmentCount(reader: StoreReader, account: string): Promise<number> {
  const customer = await reader.list<ManagedPolicy>('policy', account);
  let count = customer.reduce((sum, policy) => sum + policy.Attachments.length, 0);
  for (const usage of (await readAllAwsPolicyUsage(reader, account)).values()) count += usage.Attachments.length;
  return count;
}

// ---- GetAccountAuthorizationDetails --------------------------------------------------------------

const ENTITY_TYPES = ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;
type EntityType = (typeof ENTITY_TYPES)[number];

export interface GetAccountAuthorizationDetailsInput extends PageRequest {
  Filter?: string[];
}

export interface PolicyDetail {
  PolicyName: string;
  PolicyDocument: string;
}

export interface AttachedPolicy {
  PolicyName: string;
  PolicyArn: string;
}

export interface UserDetail {
  Path: string;
  UserName: string;
  UserId: string;
  Arn: string;
  CreateDate: string;
  UserPolicyList: PolicyDetail[];
  GroupList: string[];
  AttachedManagedPolicies: AttachedPolicy[];
  PermissionsBoundary?: PermissionsBoundaryView;
  Tags?: Tag[];
}

export interface GroupDetail {
  Path: string;
  GroupName: string;
  GroupId: string;
  Arn: string;
  CreateDate: string;
  GroupPolicyList: PolicyDetail[];
  AttachedManagedPolicies: AttachedPolicy[];
}

export interface InstanceProfileDetail {
  Path: string;
  InstanceProfileName: string;
  InstanceProfileId: string;
  Arn: string;
  CreateDate: string;
  Roles: Array<{ Path: string; RoleName: string; RoleId: string; Arn: string; CreateDate: string; AssumeRolePolicyDocument: string }>;
  Tags?: Tag[];
}

export interface RoleDetail {
  Path: string;
  RoleName: string;
  RoleId: string;
  Arn: string;
  CreateDate: string;
  AssumeRolePolicyDocument: string;
  InstanceProfileList: InstanceProfileDetail[];
  RolePolicyList: PolicyDetail[];
  AttachedManagedPolicies: AttachedPolicy[];
  PermissionsBoundary?: PermissionsBoundaryView;
  Tags?: Tag[];
  RoleLastUsed: Partial<RoleLastUsed>;
}

/** GetAccountAuthorizationDetails' policy: IAM's Policy structure with its versions instead of its tags. */
export interface ManagedPolicyDetail extends Omit<PolicyOutput, 'Tags'> {
  PolicyVersionList: Array<{ Document: string; VersionId: string; IsDefaultVersion: boolean; CreateDate: string }>;
}

export interface GetAccountAuthorizationDetailsOutput {
  UserDetailList: UserDetail[];
  GroupDetailList: GroupDetail[];
  RoleDetailList: RoleDetail[];
  Policies: ManagedPolicyDetail[];
  IsTruncated: boolean;
  Marker?: string;
}

/** One entry of the snapshot, in the order pages walk it: users, groups, roles, local then AWS policies, each by name. */
type Entry =
  | { kind: 'User'; key: string; detail: UserDetail }
  | { kind: 'Group'; key: string; detail: GroupDetail }
  | { kind: 'Role'; key: string; detail: RoleDetail }
  | { kind: 'LocalManagedPolicy' | 'AWSManagedPolicy'; key: string; detail: ManagedPolicyDetail };

export const getAccountAuthorizationDetails = defineOperation<GetAccountAuthorizationDetailsInput, GetAccountAuthorizationDetailsOutput>({
  service: 'iam',
  name: 'GetAccountAuthorizationDetails',
  authorize() {
    return [{ action: 'iam:GetAccountAuthorizationDetails', resource: '*' }];
  },
  async execute(context, input) {
    const wanted = wantedEntityTypes(input.Filter);
    const entries = await context.store.read((reader) => snapshot(reader, context.accountId, wanted));
    const { items, IsTruncated, Marker } = pageOfEntries(entries, input);
    return {
      UserDetailList: items.flatMap((entry) => (entry.kind === 'User' ? [entry.detail] : [])),
      GroupDetailList: items.flatMap((entry) => (entry.kind === 'Group' ? [entry.detail] : [])),
      RoleDetailList: items.flatMap((entry) => (entry.kind === 'Role' ? [entry.detail] : [])),
      Policies: items.flatMap((entry) => (entry.kind === 'LocalManagedPolicy' || entry.kind === 'AWSManagedPolicy' ? [entry.detail] : [])),
      IsTruncated,
      ...(Marker ? { Marker } : {}),
    };
  },
});

/** The entity types a Filter asks for (each one of them: the model's enum); no filter (or an empty one) means all. */
function wantedEntityTypes(filter: readonly string[] | undefined): Set<EntityType> {
  return new Set(filter === undefined || filter.length === 0 ? ENTITY_TYPES : (filter as readonly EntityType[]));
}

async function snapshot(reader: StoreReader, account: string, wanted: Set<EntityType>): Promise<Entry[]> {
  const entries: Entry[] = [];
  if (wanted.has('User')) {
    for (const user of await reader.list<User>('user', account)) entries.push({ kind: 'User', key: user.UserName, detail: userDetail(user) });
  }
  if (wanted.has('Group')) {
    for (const group of await reader.list<Group>('group', account)) entries.push({ kind: 'Group', key: group.GroupName, detail: groupDetail(group) });
  }
  if (wanted.has('Role')) {
    const roles = await reader.list<Role>('role', account);
    const profiles = roles.length ? await reader.list<InstanceProfile>('instanceProfile', account) : [];
    const rolesByName = new Map(roles.map((role) => [role.RoleName.toLowerCase(), role]));
    for (const role of roles) entries.push({ kind: 'Role', key: role.RoleName, detail: roleDetail(role, profiles, rolesByName) });
  }
  if (wanted.has('LocalManagedPolicy')) {
    for (const policy of await reader.list<ManagedPolicy>('policy', account)) {
      entries.push({ kind: 'LocalManagedPolicy', key: policy.PolicyName, detail: customerPolicyDetail(policy) });
    }
  }
  if (wanted.has('AWSManagedPolicy')) {
    // Of the AWS managed policies, the account's snapshot holds those attached to one of its entities.
    const used: Array<{ policy: AwsManagedPolicy; attachments: number; boundaries: number }> = [];
    for (const usage of (await readAllAwsPolicyUsage(reader, account)).values()) {
      const policy = getAwsManagedPolicy(usage.Arn);
      if (policy && usage.Attachments.length > 0) used.push({ policy, attachments: usage.Attachments.length, boundaries: usage.PermissionsBoundaryUsageCount });
    }
    used.sort((a, b) => compareLower(a.policy.PolicyName, b.policy.PolicyName));
    for (const { policy, attachments, boundaries } of used) {
      entries.push({ kind: 'AWSManagedPolicy', key: policy.PolicyName, detail: awsPolicyDetail(policy, attachments, boundaries) });
    }
  }
  return entries;
}

function compareLower(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function inlinePolicies(policies: Record<string, string>): PolicyDetail[] {
  return Object.entries(policies)
    .sort(([a], [b]) => compareLower(a, b))
    .map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument }));
}

function attachedPolicies(arns: readonly string[]): AttachedPolicy[] {
  return arns.map((PolicyArn) => ({ PolicyName: policyNameOfArn(PolicyArn), PolicyArn }));
}

function userDetail(user: User): UserDetail {
  const boundary = boundaryView(user.PermissionsBoundaryArn);
  const tags = tagsForOutput(user.Tags);
  return {
    Path: user.Path,
    UserName: user.UserName,
    UserId: user.UserId,
    Arn: user.Arn,
    CreateDate: user.CreateDate,
    UserPolicyList: inlinePolicies(user.InlinePolicies),
    GroupList: [...user.Groups],
    AttachedManagedPolicies: attachedPolicies(user.AttachedPolicyArns),
    ...(boundary ? { PermissionsBoundary: boundary } : {}),
    ...(tags ? { Tags: tags } : {}),
  };
}

function groupDetail(group: Group): GroupDetail {
  return {
    Path: group.Path,
    GroupName: group.GroupName,
    GroupId: group.GroupId,
    Arn: group.Arn,
    CreateDate: group.CreateDate,
    GroupPolicyList: inlinePolicies(group.InlinePolicies),
    AttachedManagedPolicies: attachedPolicies(group.AttachedPolicyArns),
  };
}

function roleDetail(role: Role, profiles: readonly InstanceProfile[], rolesByName: Map<string, Role>): RoleDetail {
  const boundary = boundaryView(role.PermissionsBoundaryArn);
  const tags = tagsForOutput(role.Tags);
  const name = role.RoleName.toLowerCase();
  return {
    Path: role.Path,
    RoleName: role.RoleName,
    RoleId: role.RoleId,
    Arn: role.Arn,
    CreateDate: role.CreateDate,
    AssumeRolePolicyDocument: role.AssumeRolePolicyDocument,
    InstanceProfileList: profiles
      .filter((profile) => profile.RoleNames.some((held) => held.toLowerCase() === name))
      .map((profile) => instanceProfileDetail(profile, rolesByName)),
    RolePolicyList: inlinePolicies(role.InlinePolicies),
    AttachedManagedPolicies: attachedPolicies(role.AttachedPolicyArns),
    ...(boundary ? { PermissionsBoundary: boundary } : {}),
    ...(tags ? { Tags: tags } : {}),
    // Present even before first use, then empty, as AWS returns it.
    RoleLastUsed: role.RoleLastUsed ? { ...role.RoleLastUsed } : {},
  };
}

function instanceProfileDetail(profile: InstanceProfile, rolesByName: Map<string, Role>): InstanceProfileDetail {
  const tags = tagsForOutput(profile.Tags);
  const roles = profile.RoleNames.flatMap((held) => {
    const role = rolesByName.get(held.toLowerCase());
    return role
      ? [{ Path: role.Path, RoleName: role.RoleName, RoleId: role.RoleId, Arn: role.Arn, CreateDate: role.CreateDate, AssumeRolePolicyDocument: role.AssumeRolePolicyDocument }]
      : [];
  });
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

function versionDetail(version: PolicyVersion): ManagedPolicyDetail['PolicyVersionList'][number] {
  return { Document: version.Document, VersionId: version.VersionId, IsDefaultVersion: version.IsDefaultVersion, CreateDate: version.CreateDate };
}

function customerPolicyDetail(policy: ManagedPolicy): ManagedPolicyDetail {
  return {
    ...policyOutput(customerView(policy), { description: true }),
    PolicyVersionList: [...policy.Versions].sort((a, b) => versionNumber(b.VersionId) - versionNumber(a.VersionId)).map(versionDetail),
  };
}

function versionNumber(versionId: string): number {
  return Number.parseInt(versionId.slice(1), 10);
}

function awsPolicyDetail(policy: AwsManagedPolicy, attachments: number, boundaries: number): ManagedPolicyDetail {
  return {
    PolicyName: policy.PolicyName,
    PolicyId: policy.PolicyId,
    Arn: policy.Arn,
    Path: policy.Path,
    DefaultVersionId: policy.DefaultVersionId,
    AttachmentCount: attachments,
    PermissionsBoundaryUsageCount: boundaries,
    IsAttachable: true,
    CreateDate: policy.CreateDate,
    UpdateDate: policy.UpdateDate,
    // Rolecall keeps only the default version of an AWS managed policy.
    PolicyVersionList: [{ Document: policy.Document, VersionId: policy.DefaultVersionId, IsDefaultVersion: true, CreateDate: policy.UpdateDate }],
  };
}

/**
 * Pages over the snapshot. The marker names the last entry returned (its kind and lower-cased name), so
 * a page resumes after it even when entities were added or removed between calls.
 */
function pageOfEntries(entries: readonly Entry[], request: PageRequest): { items: Entry[]; IsTruncated: boolean; Marker?: string } {
  const after = decodeMarker(request.Marker);
  let start = 0;
  if (after !== undefined) {
    const [kindText, ...nameParts] = after.split('/');
    const kind = ENTITY_TYPES.indexOf(kindText as EntityType);
    const name = nameParts.join('/');
    if (kind < 0) throw validationError('Invalid Marker.');
    start = entries.findIndex((entry) => {
      const order = ENTITY_TYPES.indexOf(entry.kind);
      return order > kind || (order === kind && entry.key.toLowerCase() > name);
    });
    if (start < 0) start = entries.length;
  }
  const max = request.MaxItems ?? DEFAULT_MAX_ITEMS;
  const items = entries.slice(start, start + max);
  if (start + max >= entries.length) return { items, IsTruncated: false };
  const last = items[items.length - 1]!;
  return { items, IsTruncated: true, Marker: encodeMarker(`${last.kind}/${last.key.toLowerCase()}`) };
}

// ---- Account alias -------------------------------------------------------------------------------

/** The alias is stored as a setting of its account under `accountAlias:<alias>`, which also makes it findable across accounts. */
interface AccountAliasSetting {
  Kind: 'accountAlias';
  AccountAlias: string;
  AccountId: string;
}

const ALIAS_KEY_PREFIX = 'accountAlias:';

async function aliasesOf(reader: StoreReader, account: string): Promise<AccountAliasSetting[]> {
  const settings = await reader.list<Partial<AccountAliasSetting>>('setting', account);
  return settings.filter((setting): setting is AccountAliasSetting => setting.Kind === 'accountAlias' && typeof setting.AccountAlias === 'string');
}

export const createAccountAlias = defineOperation<{ AccountAlias: string }, Record<string, never>>({
  service: 'iam',
  name: 'CreateAccountAlias',
  authorize() {
    return [{ action: 'iam:CreateAccountAlias', resource: '*' }];
  },
  async execute(context, input) {
    const alias = input.AccountAlias;
    const account = context.accountId;
    await context.store.write(async (writer) => {
      // Aliases are unique across all accounts (console_account-alias.html).
      const holder = await writer.find<AccountAliasSetting>('setting', ALIAS_KEY_PREFIX + alias);
      if (holder && holder.AccountId !== account) throw entityAlreadyExists(`The account alias ${alias} already exists.`);
      if (holder) return;
      // An account has one alias; a new one replaces the old (console_account-alias.html).
      for (const old of await aliasesOf(writer, account)) await writer.delete('setting', account, ALIAS_KEY_PREFIX + old.AccountAlias);
      await writer.insert<AccountAliasSetting>('setting', account, ALIAS_KEY_PREFIX + alias, { Kind: 'accountAlias', AccountAlias: alias, AccountId: account });
    });
    return {};
  },
});

export const deleteAccountAlias = defineOperation<{ AccountAlias: string }, Record<string, never>>({
  service: 'iam',
  name: 'DeleteAccountAlias',
  authorize() {
    return [{ action: 'iam:DeleteAccountAlias', resource: '*' }];
  },
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const current = await writer.get<AccountAliasSetting>('setting', context.accountId, ALIAS_KEY_PREFIX + input.AccountAlias);
      if (!current || current.Kind !== 'accountAlias') throw noSuchEntity(`The account alias ${input.AccountAlias} cannot be found.`);
      await writer.delete('setting', context.accountId, ALIAS_KEY_PREFIX + current.AccountAlias);
    });
    return {};
  },
});

export const listAccountAliases = defineOperation<PageRequest, { AccountAliases: string[]; IsTruncated: boolean }>({
  service: 'iam',
  name: 'ListAccountAliases',
  authorize() {
    return [{ action: 'iam:ListAccountAliases', resource: '*' }];
  },
  async execute(context) {
    const aliases = await context.store.read((reader) => aliasesOf(reader, context.accountId));
    // At most one alias per account, so one page always holds them all.
    return { AccountAliases: aliases.map((alias) => alias.AccountAlias), IsTruncated: false };
  },
});

/** The account operations, for the registry. */
export const ACCOUNT_OPERATIONS = [getAccountSummary, getAccountAuthorizationDetails, createAccountAlias, deleteAccountAlias, listAccountAliases];

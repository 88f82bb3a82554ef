// The account views over a real (in-memory) SQLite store: GetAccountSummary's usage and quotas,
// GetAccountAuthorizationDetails' snapshot of users, groups, roles and policies with their relations,
// and the account alias.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { SecretSealer, newSealingKey } from '../../src/auth/secrets.js';
import { secretSealing } from '../../src/auth/server-keys.js';
import { AwsError } from '../../src/model/errors.js';
import type { Caller, OperationContext } from '../../src/iam/operation.js';
import {
  createAccountAlias,
  deleteAccountAlias,
  getAccountAuthorizationDetails,
  getAccountSummary,
  listAccountAliases,
  type GetAccountAuthorizationDetailsOutput,
} from '../../src/iam/account.js';
import { createUser } from '../../src/iam/users.js';
import { addUserToGroup, createGroup } from '../../src/iam/groups.js';
import { createAccessKey } from '../../src/iam/access-keys.js';
import { createOpenIDConnectProvider } from '../../src/iam/oidc-providers.js';
import { createRole } from '../../src/iam/roles.js';
import { createPolicy } from '../../src/iam/managed-policies.js';
import { createPolicyVersion } from '../../src/iam/policy-versions.js';
import { attachGroupPolicy, attachRolePolicy, attachUserPolicy } from '../../src/iam/attachments.js';
import { putGroupPolicy, putRolePolicy, putUserPolicy } from '../../src/iam/inline-policies.js';
import { addRoleToInstanceProfile, createInstanceProfile } from '../../src/iam/instance-profiles.js';
import { getAwsManagedPolicy } from '../../src/iam/aws-managed-policies.js';

const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';
const NOW = new Date('2024-05-01T12:00:00.000Z');
const ROOT: Caller = { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, kind: 'root', userId: ACCOUNT, accessKeyId: 'AKIAROOTROOTROOTROOT' };
const SECRETS = secretSealing(new SecretSealer([newSealingKey('test')]));
const READ = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
const WRITE = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }] });
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

function setup(): { store: SqliteStore; context: OperationContext; other: OperationContext } {
  const store = new SqliteStore(':memory:');
  const context: OperationContext = { store, secrets: SECRETS, caller: ROOT, accountId: ACCOUNT, requestId: 'req-1', now: NOW, region: 'us-east-1', sourceIp: '192.0.2.10' };
  const otherRoot: Caller = { ...ROOT, accountId: OTHER_ACCOUNT, arn: `arn:aws:iam::${OTHER_ACCOUNT}:root`, userId: OTHER_ACCOUNT };
  return { store, context, other: { ...context, caller: otherRoot, accountId: OTHER_ACCOUNT } };
}

async function rejectsWith(promise: Promise<unknown>, code: string, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AwsError, `expected an AwsError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

/** A small account: a user in a group, a role in an instance profile, policies inline, attached and as boundary. */
async function populate(context: OperationContext): Promise<{ readArn: string; boundaryArn: string }> {
  const readArn = (await createPolicy.execute(context, { PolicyName: 'ReadObjects', PolicyDocument: READ, Description: 'read' })).Policy.Arn;
  await createPolicyVersion.execute(context, { PolicyArn: readArn, PolicyDocument: WRITE, SetAsDefault: true });
  const boundaryArn = (await createPolicy.execute(context, { PolicyName: 'Boundary', PolicyDocument: READ, Path: '/guard/' })).Policy.Arn;
  await createUser.execute(context, { UserName: 'alice', Tags: [{ Key: 'team', Value: 'a' }], PermissionsBoundary: boundaryArn });
  await putUserPolicy.execute(context, { UserName: 'alice', PolicyName: 'own', PolicyDocument: READ });
  await attachUserPolicy.execute(context, { UserName: 'alice', PolicyArn: readArn });
  await createGroup.execute(context, { GroupName: 'devs' });
  await addUserToGroup.execute(context, { GroupName: 'devs', UserName: 'alice' });
  await putGroupPolicy.execute(context, { GroupName: 'devs', PolicyName: 'shared', PolicyDocument: WRITE });
  await attachGroupPolicy.execute(context, { GroupName: 'devs', PolicyArn: READ_ONLY });
  await createRole.execute(context, { RoleName: 'web', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'tier', Value: 'front' }] });
  await putRolePolicy.execute(context, { RoleName: 'web', PolicyName: 'logs', PolicyDocument: WRITE });
  await attachRolePolicy.execute(context, { RoleName: 'web', PolicyArn: readArn });
  await createInstanceProfile.execute(context, { InstanceProfileName: 'web-profile' });
  await addRoleToInstanceProfile.execute(context, { InstanceProfileName: 'web-profile', RoleName: 'web' });
  return { readArn, boundaryArn };
}

// ---- GetAccountSummary ---------------------------------------------------------------------------

test('GetAccountSummary reports AWS default quotas for an empty account (API_GetAccountSummary.html, reference_iam-quotas.html)', async () => {
  const { context } = setup();
  const { SummaryMap: summary } = await getAccountSummary.execute(context, {});
  const expected: Record<string, number> = {
    Users: 0,
    Groups: 0,
    Roles: 0,
    Policies: 0,
    InstanceProfiles: 0,
    Providers: 0,
    UsersQuota: 5000,
    GroupsQuota: 300,
    RolesQuota: 1000,
    PoliciesQuota: 1500,
    InstanceProfilesQuota: 1000,
    AccessKeysPerUserQuota: 2,
    GroupsPerUserQuota: 10,
    AttachedPoliciesPerUserQuota: 10,
    AttachedPoliciesPerGroupQuota: 10,
    AttachedPoliciesPerRoleQuota: 10,
    PolicySizeQuota: 6144,
    UserPolicySizeQuota: 2048,
    GroupPolicySizeQuota: 5120,
    RolePolicySizeQuota: 10240,
    AssumeRolePolicySizeQuota: 2048,
    VersionsPerPolicyQuota: 5,
    PolicyVersionsInUseQuota: 10000,
    ServerCertificatesQuota: 20,
    SigningCertificatesPerUserQuota: 2,
    AccountMFAEnabled: 0,
    AccountAccessKeysPresent: 0,
    GlobalEndpointTokenVersion: 1,
  };
  for (const [key, value] of Object.entries(expected)) assert.equal(summary[key], value, key);
  const allowed = new Set([
    'Users', 'UsersQuota', 'Groups', 'GroupsQuota', 'ServerCertificates', 'ServerCertificatesQuota', 'UserPolicySizeQuota', 'GroupPolicySizeQuota',
    'GroupsPerUserQuota', 'SigningCertificatesPerUserQuota', 'AccessKeysPerUserQuota', 'MFADevices', 'MFADevicesInUse', 'AccountMFAEnabled',
    'AccountAccessKeysPresent', 'AccountPasswordPresent', 'AccountSigningCertificatesPresent', 'AttachedPoliciesPerGroupQuota',
    'AttachedPoliciesPerRoleQuota', 'AttachedPoliciesPerUserQuota', 'Policies', 'PoliciesQuota', 'PolicySizeQuota', 'PolicyVersionsInUse',
    'PolicyVersionsInUseQuota', 'VersionsPerPolicyQuota', 'GlobalEndpointTokenVersion', 'AssumeRolePolicySizeQuota', 'InstanceProfiles',
    'InstanceProfilesQuota', 'Providers', 'RolePolicySizeQuota', 'Roles', 'RolesQuota',
  ]);
  for (const key of Object.keys(summary)) assert.ok(allowed.has(key), `${key} is one of the model's summaryKeyType values`);
});

test('GetAccountSummary counts the account’s entities, root keys and policy attachments, not another account’s', async () => {
  const { context, other } = setup();
  await populate(context);
  await createOpenIDConnectProvider.execute(context, { Url: 'https://issuer.example.com' });
  await createAccessKey.execute(context, {});
  await createUser.execute(other, { UserName: 'elsewhere' });
  const { SummaryMap: summary } = await getAccountSummary.execute(context, {});
  assert.equal(summary.Users, 1);
  assert.equal(summary.Groups, 1);
  assert.equal(summary.Roles, 1);
  assert.equal(summary.Policies, 2);
  assert.equal(summary.InstanceProfiles, 1);
  assert.equal(summary.Providers, 1);
  assert.equal(summary.AccountAccessKeysPresent, 1);
  assert.equal(summary.PolicyVersionsInUse, 3, 'ReadObjects on alice and web, ReadOnlyAccess on devs');
  assert.equal((await getAccountSummary.execute(other, {})).SummaryMap.Users, 1);
});

// ---- GetAccountAuthorizationDetails --------------------------------------------------------------

test('GetAccountAuthorizationDetails returns users, groups, roles and policies with their relations (API_GetAccountAuthorizationDetails.html)', async () => {
  const { context } = setup();
  const { readArn, boundaryArn } = await populate(context);
  const details = await getAccountAuthorizationDetails.execute(context, {});
  assert.equal(details.IsTruncated, false);

  const [alice, ...otherUsers] = details.UserDetailList;
  assert.equal(otherUsers.length, 0);
  assert.equal(alice!.UserName, 'alice');
  assert.deepEqual(alice!.UserPolicyList, [{ PolicyName: 'own', PolicyDocument: READ }]);
  assert.deepEqual(alice!.GroupList, ['devs']);
  assert.deepEqual(alice!.AttachedManagedPolicies, [{ PolicyName: 'ReadObjects', PolicyArn: readArn }]);
  assert.deepEqual(alice!.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: boundaryArn });
  assert.deepEqual(alice!.Tags, [{ Key: 'team', Value: 'a' }]);

  const [devs] = details.GroupDetailList;
  assert.deepEqual(devs!.GroupPolicyList, [{ PolicyName: 'shared', PolicyDocument: WRITE }]);
  assert.deepEqual(devs!.AttachedManagedPolicies, [{ PolicyName: 'ReadOnlyAccess', PolicyArn: READ_ONLY }]);

  const [web] = details.RoleDetailList;
  assert.equal(web!.AssumeRolePolicyDocument, TRUST);
  assert.deepEqual(web!.RolePolicyList, [{ PolicyName: 'logs', PolicyDocument: WRITE }]);
  assert.deepEqual(web!.AttachedManagedPolicies, [{ PolicyName: 'ReadObjects', PolicyArn: readArn }]);
  assert.deepEqual(web!.Tags, [{ Key: 'tier', Value: 'front' }]);
  assert.deepEqual(web!.RoleLastUsed, {});
  assert.equal(web!.InstanceProfileList.length, 1);
  const profile = web!.InstanceProfileList[0]!;
  assert.equal(profile.InstanceProfileName, 'web-profile');
  assert.match(profile.InstanceProfileId, /^AIPA/);
  assert.deepEqual(profile.Roles.map((role) => [role.RoleName, role.Arn, role.AssumeRolePolicyDocument]), [['web', web!.Arn, TRUST]]);

  const byName = new Map(details.Policies.map((policy) => [policy.PolicyName, policy]));
  assert.deepEqual([...byName.keys()], ['Boundary', 'ReadObjects', 'ReadOnlyAccess'], 'local policies by name, then the attached AWS managed ones');
  const read = byName.get('ReadObjects')!;
  assert.equal(read.AttachmentCount, 2);
  assert.equal(read.DefaultVersionId, 'v2');
  assert.equal(read.Description, 'read');
  assert.deepEqual(read.PolicyVersionList.map((v) => [v.VersionId, v.IsDefaultVersion, v.Document]), [['v2', true, WRITE], ['v1', false, READ]]);
  const boundary = byName.get('Boundary')!;
  assert.equal(boundary.PermissionsBoundaryUsageCount, 1);
  assert.equal(boundary.AttachmentCount, 0);
  assert.equal(boundary.Path, '/guard/');
  const aws = byName.get('ReadOnlyAccess')!;
  const catalog = getAwsManagedPolicy(READ_ONLY)!;
  assert.equal(aws.Arn, READ_ONLY);
  assert.equal(aws.PolicyId, catalog.PolicyId);
  assert.equal(aws.AttachmentCount, 1);
  assert.deepEqual(aws.PolicyVersionList, [{ Document: catalog.Document, VersionId: catalog.DefaultVersionId, IsDefaultVersion: true, CreateDate: catalog.UpdateDate }]);
});

test('GetAccountAuthorizationDetails leaves out AWS managed policies the account does not attach', async () => {
  const { context } = setup();
  await createUser.execute(context, { UserName: 'solo', PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' });
  const details = await getAccountAuthorizationDetails.execute(context, { Filter: ['AWSManagedPolicy'] });
  assert.deepEqual(details.Policies, []);
  await attachUserPolicy.execute(context, { UserName: 'solo', PolicyArn: READ_ONLY });
  const attached = await getAccountAuthorizationDetails.execute(context, { Filter: ['AWSManagedPolicy'] });
  assert.deepEqual(attached.Policies.map((policy) => policy.Arn), [READ_ONLY]);
  assert.deepEqual(attached.UserDetailList, [], 'the filter keeps only the asked types');
});

test('Filter selects entity types and rejects values outside the model enum', async () => {
  const { context } = setup();
  await populate(context);
  const roles = await getAccountAuthorizationDetails.execute(context, { Filter: ['Role'] });
  assert.equal(roles.RoleDetailList.length, 1);
  assert.deepEqual([roles.UserDetailList, roles.GroupDetailList, roles.Policies], [[], [], []]);
  const local = await getAccountAuthorizationDetails.execute(context, { Filter: ['LocalManagedPolicy', 'User'] });
  assert.deepEqual(local.Policies.map((p) => p.PolicyName), ['Boundary', 'ReadObjects']);
  assert.equal(local.UserDetailList.length, 1);
  await rejectsWith(
    getAccountAuthorizationDetails.execute(context, { Filter: ['Users'] }),
    'ValidationError',
    "1 validation error detected: Value '[Users]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]]",
  );
});

test('GetAccountAuthorizationDetails pages across entity types with MaxItems and Marker', async () => {
  const { context } = setup();
  await populate(context);
  for (const name of ['bob', 'carol']) await createUser.execute(context, { UserName: name });
  const everything = await getAccountAuthorizationDetails.execute(context, {});
  const names = (page: GetAccountAuthorizationDetailsOutput) => [
    ...page.UserDetailList.map((u) => `user:${u.UserName}`),
    ...page.GroupDetailList.map((g) => `group:${g.GroupName}`),
    ...page.RoleDetailList.map((r) => `role:${r.RoleName}`),
    ...page.Policies.map((p) => `policy:${p.PolicyName}`),
  ];
  const collected: string[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = await getAccountAuthorizationDetails.execute(context, { MaxItems: 2, ...(marker ? { Marker: marker } : {}) });
    collected.push(...names(page));
    marker = page.IsTruncated ? page.Marker : undefined;
    pages++;
  } while (marker);
  assert.deepEqual(collected, names(everything));
  assert.equal(collected.length, 8);
  assert.equal(pages, 4);
});

test('Account views are authorized on "*" (list_awsidentityandaccessmanagementiam.html)', async () => {
  const { context } = setup();
  assert.deepEqual(await getAccountSummary.authorize(context, {}), [{ action: 'iam:GetAccountSummary', resource: '*' }]);
  assert.deepEqual(await getAccountAuthorizationDetails.authorize(context, {}), [{ action: 'iam:GetAccountAuthorizationDetails', resource: '*' }]);
  assert.deepEqual(await createAccountAlias.authorize(context, { AccountAlias: 'example-corp' }), [{ action: 'iam:CreateAccountAlias', resource: '*' }]);
  assert.deepEqual(await deleteAccountAlias.authorize(context, { AccountAlias: 'example-corp' }), [{ action: 'iam:DeleteAccountAlias', resource: '*' }]);
  assert.deepEqual(await listAccountAliases.authorize(context, {}), [{ action: 'iam:ListAccountAliases', resource: '*' }]);
});

// ---- Account alias -------------------------------------------------------------------------------

test('An account has one alias: a new one replaces the old (console_account-alias.html)', async () => {
  const { context } = setup();
  assert.deepEqual(await listAccountAliases.execute(context, {}), { AccountAliases: [], IsTruncated: false });
  await createAccountAlias.execute(context, { AccountAlias: 'example-corp' });
  assert.deepEqual((await listAccountAliases.execute(context, {})).AccountAliases, ['example-corp']);
  await createAccountAlias.execute(context, { AccountAlias: 'example-corp' });
  await createAccountAlias.execute(context, { AccountAlias: 'example-corp-2' });
  assert.deepEqual((await listAccountAliases.execute(context, {})).AccountAliases, ['example-corp-2']);
});

test('Aliases are unique across accounts: EntityAlreadyExists (API_CreateAccountAlias.html)', async () => {
  const { context, other } = setup();
  await createAccountAlias.execute(context, { AccountAlias: 'taken' });
  await rejectsWith(createAccountAlias.execute(other, { AccountAlias: 'taken' }), 'EntityAlreadyExists', 'The account alias taken already exists.');
  await deleteAccountAlias.execute(context, { AccountAlias: 'taken' });
  await createAccountAlias.execute(other, { AccountAlias: 'taken' });
  assert.deepEqual((await listAccountAliases.execute(other, {})).AccountAliases, ['taken']);
  assert.deepEqual((await listAccountAliases.execute(context, {})).AccountAliases, []);
});

test('DeleteAccountAlias of an alias the account does not have: NoSuchEntity', async () => {
  const { context } = setup();
  await createAccountAlias.execute(context, { AccountAlias: 'mine' });
  await rejectsWith(deleteAccountAlias.execute(context, { AccountAlias: 'other' }), 'NoSuchEntity', 'The account alias other cannot be found.');
  assert.deepEqual((await listAccountAliases.execute(context, {})).AccountAliases, ['mine']);
});

test('Aliases are 3–63 lowercase letters, digits and single hyphens, not at either end (accountAliasType)', async () => {
  const { context } = setup();
  for (const alias of ['Upper', '-lead', 'trail-', 'dou--ble', 'ab', 'a_b']) {
    await rejectsWith(createAccountAlias.execute(context, { AccountAlias: alias }), 'ValidationError', new RegExp(`Value '${alias}' at 'accountAlias' failed to satisfy constraint`));
  }
  await createAccountAlias.execute(context, { AccountAlias: 'a-b-c' });
});

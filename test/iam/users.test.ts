// The IAM user operations over a real (in-memory) SQLite store, called as the root user and as an IAM
// user of account 123456789012; each test names the AWS API reference page whose behaviour it checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { SecretSealer, newSealingKey } from '../../src/auth/secrets.js';
import { secretSealing } from '../../src/auth/server-keys.js';
import { AwsError } from '../../src/model/errors.js';
import type { ManagedPolicy, User } from '../../src/model/entities.js';
import type { Caller, OperationContext } from '../../src/iam/operation.js';
import {
  createUser,
  deleteUser,
  deleteUserPermissionsBoundary,
  getUser,
  listUsers,
  listUserTags,
  putUserPermissionsBoundary,
  tagUser,
  untagUser,
  updateUser,
  USERS_PER_ACCOUNT,
} from '../../src/iam/users.js';
import { createAccessKey, deleteAccessKey, listAccessKeys } from '../../src/iam/access-keys.js';
import { addUserToGroup, createGroup, getGroup, listGroupsForUser, removeUserFromGroup } from '../../src/iam/groups.js';
import { createPolicy, getPolicy, listEntitiesForPolicy } from '../../src/iam/managed-policies.js';
import { attachUserPolicy, detachUserPolicy } from '../../src/iam/attachments.js';
import { deleteUserPolicy, putUserPolicy } from '../../src/iam/inline-policies.js';
import { readAwsPolicyUsage } from '../../src/iam/aws-managed-policies.js';

const ACCOUNT = '123456789012';
const NOW = new Date('2024-05-01T12:00:00.000Z');
const ROOT: Caller = { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, kind: 'root', userId: ACCOUNT, accessKeyId: 'AKIAROOTROOTROOTROOT' };
const SECRETS = secretSealing(new SecretSealer([newSealingKey('test')]));
const DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });

function iamUser(name: string, path = '/'): Caller {
  return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user${path}${name}`, kind: 'user', userId: 'AIDAEXAMPLEEXAMPLE1', accessKeyId: 'AKIAUSERUSERUSERUSER', userName: name };
}

const ROLE_SESSION: Caller = {
  accountId: ACCOUNT,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci`,
  kind: 'assumed-role',
  userId: 'AROAEXAMPLEEXAMPLE1:ci',
  accessKeyId: 'ASIAEXAMPLEEXAMPLE1',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`,
  roleName: 'deployer',
  sessionName: 'ci',
};

function setup(caller: Caller = ROOT): { store: SqliteStore; context: OperationContext; as: (other: Caller) => OperationContext } {
  const store = new SqliteStore(':memory:');
  const as = (who: Caller): OperationContext => ({
    store,
    secrets: SECRETS,
    caller: who,
    accountId: who.accountId,
    requestId: 'req-1',
    now: NOW,
    region: 'us-east-1',
    sourceIp: '192.0.2.10',
  });
  return { store, context: as(caller), as };
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

async function storedUser(store: SqliteStore, name: string): Promise<User | undefined> {
  return store.read((reader) => reader.get<User>('user', ACCOUNT, name));
}

async function customerPolicy(context: OperationContext, name: string): Promise<string> {
  return (await createPolicy.execute(context, { PolicyName: name, PolicyDocument: DOCUMENT })).Policy.Arn;
}

// ---- CreateUser / GetUser ------------------------------------------------------------------------

test('CreateUser returns the user with an AIDA id, the ARN with its path and the tags (API_CreateUser.html)', async () => {
  const { context } = setup();
  const { User: user } = await createUser.execute(context, { UserName: 'Alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'platform' }] });
  assert.match(user.UserId, /^AIDA[A-Z2-7]{17}$/);
  assert.equal(user.Arn, `arn:aws:iam::${ACCOUNT}:user/eng/Alice`);
  assert.equal(user.Path, '/eng/');
  assert.equal(user.UserName, 'Alice');
  assert.equal(user.CreateDate, NOW.toISOString());
  assert.deepEqual(user.Tags, [{ Key: 'team', Value: 'platform' }]);
  assert.equal(user.PermissionsBoundary, undefined);
  const { User: fetched } = await getUser.execute(context, { UserName: 'alice' });
  assert.deepEqual(fetched, user, 'GetUser finds the user ignoring case and returns the same view');
});

test('CreateUser without tags or path uses "/" and leaves Tags out, as AWS does', async () => {
  const { context } = setup();
  const { User: user } = await createUser.execute(context, { UserName: 'bob' });
  assert.equal(user.Path, '/');
  assert.equal(user.Arn, `arn:aws:iam::${ACCOUNT}:user/bob`);
  assert.equal('Tags' in user, false);
});

test('CreateUser refuses a name taken in any case: EntityAlreadyExists (id_users_create.html, names unique ignoring case)', async () => {
  const { context } = setup();
  await createUser.execute(context, { UserName: 'Alice' });
  await rejectsWith(createUser.execute(context, { UserName: 'ALICE' }), 'EntityAlreadyExists', 'User with name ALICE already exists.');
});

test('CreateUser checks the model constraints with AWS ValidationError wording (userNameType, pathType)', async () => {
  const { context, store } = setup();
  await rejectsWith(
    createUser.execute(context, { UserName: 'bad name' }),
    'ValidationError',
    "1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
  );
  await rejectsWith(
    createUser.execute(context, { UserName: 'a'.repeat(65) }),
    'ValidationError',
    `1 validation error detected: Value '${'a'.repeat(65)}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64`,
  );
  await rejectsWith(createUser.execute(context, { UserName: 'carol', Path: 'eng' }), 'ValidationError', 'The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.');
  await rejectsWith(createUser.execute(context, {} as { UserName: string }), 'ValidationError', /Value null at 'userName' failed to satisfy constraint: Member must not be null/);
  assert.equal(await store.read((reader) => reader.count('user', ACCOUNT)), 0, 'nothing is written on bad input');
});

test('CreateUser refuses duplicate tag keys ignoring case: InvalidInput (id_tags.html)', async () => {
  const { context } = setup();
  await rejectsWith(
    createUser.execute(context, { UserName: 'dave', Tags: [{ Key: 'Team', Value: 'a' }, { Key: 'team', Value: 'b' }] }),
    'InvalidInput',
    'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
  );
});

test('CreateUser stops at the users-per-account quota of 5000 (reference_iam-quotas.html)', async () => {
  const { context, store } = setup();
  await store.write(async (writer) => {
    for (let i = 0; i < USERS_PER_ACCOUNT; i++) {
      await writer.insert('user', ACCOUNT, `u${i}`, { UserName: `u${i}`, Path: '/', Groups: [], Tags: [], InlinePolicies: {}, AttachedPolicyArns: [] });
    }
  });
  await rejectsWith(createUser.execute(context, { UserName: 'one-too-many' }), 'LimitExceeded', 'Cannot exceed quota for UsersPerAccount: 5000');
});

test('CreateUser with a customer managed boundary returns it and counts the use on the policy (access_policies_boundaries.html)', async () => {
  const { context } = setup();
  const boundary = await customerPolicy(context, 'DevBoundary');
  const { User: user } = await createUser.execute(context, { UserName: 'erin', PermissionsBoundary: boundary });
  assert.deepEqual(user.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: boundary });
  assert.equal((await getPolicy.execute(context, { PolicyArn: boundary })).Policy.PermissionsBoundaryUsageCount, 1);
  await deleteUser.execute(context, { UserName: 'erin' });
  assert.equal((await getPolicy.execute(context, { PolicyArn: boundary })).Policy.PermissionsBoundaryUsageCount, 0, 'deleting the user releases the boundary');
});

test('CreateUser refuses a boundary that does not exist (NoSuchEntity) or an ARN that is not a policy ARN (InvalidInput)', async () => {
  const { context, store } = setup();
  const missing = `arn:aws:iam::${ACCOUNT}:policy/Nope`;
  await rejectsWith(createUser.execute(context, { UserName: 'frank', PermissionsBoundary: missing }), 'NoSuchEntity', `Scope ARN: ${missing} does not exist or is not attachable.`);
  await rejectsWith(createUser.execute(context, { UserName: 'frank', PermissionsBoundary: 'arn:aws:iam::123456789012:role/x' }), 'InvalidInput', 'ARN arn:aws:iam::123456789012:role/x is not valid.');
  assert.equal(await storedUser(store, 'frank'), undefined);
});

test('CreateUser accepts an AWS managed policy as boundary and records its use for the account', async () => {
  const { context, store } = setup();
  const boundary = 'arn:aws:iam::aws:policy/PowerUserAccess';
  const { User: user } = await createUser.execute(context, { UserName: 'gina', PermissionsBoundary: boundary });
  assert.equal(user.PermissionsBoundary?.PermissionsBoundaryArn, boundary);
  const usage = await store.read((reader) => readAwsPolicyUsage(reader, ACCOUNT, boundary));
  assert.equal(usage.PermissionsBoundaryUsageCount, 1);
});

test('GetUser without a name answers for the calling IAM user (API_GetUser.html)', async () => {
  const { context, as } = setup();
  await createUser.execute(context, { UserName: 'hank', Path: '/ops/' });
  const { User: user } = await getUser.execute(as(iamUser('hank', '/ops/')), {});
  assert.equal(user.UserName, 'hank');
  assert.equal(user.Arn, `arn:aws:iam::${ACCOUNT}:user/ops/hank`);
});

test('GetUser without a name, called as root, returns the root view: account id as UserId, root ARN, no UserName', async () => {
  const { context, store } = setup();
  await store.write((writer) => writer.insert('account', '', ACCOUNT, { AccountId: ACCOUNT, Name: 'default', CreateDate: '2020-01-01T00:00:00.000Z' }));
  const { User: user } = await getUser.execute(context, {});
  assert.deepEqual(user, { UserId: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root`, CreateDate: '2020-01-01T00:00:00.000Z' });
});

test('GetUser without a name from role credentials is a ValidationError', async () => {
  const { as } = setup();
  await rejectsWith(getUser.execute(as(ROLE_SESSION), {}), 'ValidationError', 'Must specify userName when calling with non-User credentials');
});

test('GetUser of a missing user: NoSuchEntity "The user with name X cannot be found."', async () => {
  const { context } = setup();
  await rejectsWith(getUser.execute(context, { UserName: 'ghost' }), 'NoSuchEntity', 'The user with name ghost cannot be found.');
});

// ---- UpdateUser ----------------------------------------------------------------------------------

test('UpdateUser renames and moves a user, keeping its id; its keys, groups and policy records follow (API_UpdateUser.html)', async () => {
  const { context, store } = setup();
  const { User: before } = await createUser.execute(context, { UserName: 'ivan' });
  const key = (await createAccessKey.execute(context, { UserName: 'ivan' })).AccessKey;
  await createGroup.execute(context, { GroupName: 'devs' });
  await addUserToGroup.execute(context, { GroupName: 'devs', UserName: 'ivan' });
  const policy = await customerPolicy(context, 'ReadStuff');
  await attachUserPolicy.execute(context, { UserName: 'ivan', PolicyArn: policy });

  await updateUser.execute(context, { UserName: 'ivan', NewUserName: 'ivana', NewPath: '/team/' });

  await rejectsWith(getUser.execute(context, { UserName: 'ivan' }), 'NoSuchEntity', 'The user with name ivan cannot be found.');
  const { User: after } = await getUser.execute(context, { UserName: 'ivana' });
  assert.equal(after.UserId, before.UserId);
  assert.equal(after.Arn, `arn:aws:iam::${ACCOUNT}:user/team/ivana`);
  const keys = await listAccessKeys.execute(context, { UserName: 'ivana' });
  assert.deepEqual(keys.AccessKeyMetadata.map((k) => [k.AccessKeyId, k.UserName]), [[key.AccessKeyId, 'ivana']]);
  assert.deepEqual((await listGroupsForUser.execute(context, { UserName: 'ivana' })).Groups.map((g) => g.GroupName), ['devs']);
  assert.deepEqual((await getGroup.execute(context, { GroupName: 'devs' })).Users.map((u) => u.UserName), ['ivana']);
  const entities = await listEntitiesForPolicy.execute(context, { PolicyArn: policy });
  assert.deepEqual(entities.PolicyUsers.map((u) => u.UserName), ['ivana']);
  const stored = await store.read((reader) => reader.get<ManagedPolicy>('policy', ACCOUNT, 'ReadStuff'));
  assert.deepEqual(stored?.Attachments, [{ type: 'user', name: 'ivana' }]);
});

test('UpdateUser changes only the case of a name without a conflict with itself', async () => {
  const { context } = setup();
  await createUser.execute(context, { UserName: 'judy' });
  await updateUser.execute(context, { UserName: 'judy', NewUserName: 'Judy' });
  assert.equal((await getUser.execute(context, { UserName: 'judy' })).User.UserName, 'Judy');
});

test('UpdateUser to a name in use: EntityAlreadyExists, nothing changes', async () => {
  const { context } = setup();
  await createUser.execute(context, { UserName: 'kim' });
  await createUser.execute(context, { UserName: 'lee' });
  await rejectsWith(updateUser.execute(context, { UserName: 'kim', NewUserName: 'LEE' }), 'EntityAlreadyExists', 'User with name LEE already exists.');
  assert.equal((await getUser.execute(context, { UserName: 'kim' })).User.UserName, 'kim');
});

test('UpdateUser is authorized on both the old and the new user ARN (API_UpdateUser.html)', async () => {
  const { context } = setup();
  await createUser.execute(context, { UserName: 'bob', Path: '/a/', Tags: [{ Key: 'env', Value: 'prod' }] });
  const targets = await updateUser.authorize(context, { UserName: 'bob', NewUserName: 'robert' });
  assert.deepEqual(
    targets.map((t) => [t.action, t.resource]),
    [
      ['iam:UpdateUser', `arn:aws:iam::${ACCOUNT}:user/a/bob`],
      ['iam:UpdateUser', `arn:aws:iam::${ACCOUNT}:user/a/robert`],
    ],
  );
  assert.equal(targets[0]!.context?.['aws:ResourceTag/env'], 'prod');
});

// ---- DeleteUser ----------------------------------------------------------------------------------

test('DeleteUser refuses while access keys, inline policies, attached policies or groups remain (API_DeleteUser.html)', async () => {
  const { context } = setup();
  await createUser.execute(context, { UserName: 'mia' });
  const key = (await createAccessKey.execute(context, { UserName: 'mia' })).AccessKey;
  await rejectsWith(deleteUser.execute(context, { UserName: 'mia' }), 'DeleteConflict', 'Cannot delete entity, must delete access keys first.');
  await deleteAccessKey.execute(context, { UserName: 'mia', AccessKeyId: key.AccessKeyId });

  await putUserPolicy.execute(context, { UserName: 'mia', PolicyName: 'inline', PolicyDocument: DOCUMENT });
  await rejectsWith(deleteUser.execute(context, { UserName: 'mia' }), 'DeleteConflict', 'Cannot delete entity, must delete policies first.');
  await deleteUserPolicy.execute(context, { UserName: 'mia', PolicyName: 'inline' });

  const policy = await customerPolicy(context, 'Attached');
  await attachUserPolicy.execute(context, { UserName: 'mia', PolicyArn: policy });
  await rejectsWith(deleteUser.execute(context, { UserName: 'mia' }), 'DeleteConflict', 'Cannot delete entity, must detach all policies first.');
  await detachUserPolicy.execute(context, { UserName: 'mia', PolicyArn: policy });

  await createGroup.execute(context, { GroupName: 'ops' });
  await addUserToGroup.execute(context, { GroupName: 'ops', UserName: 'mia' });
  await rejectsWith(deleteUser.execute(context, { UserName: 'mia' }), 'DeleteConflict', 'Cannot delete entity, must remove users from group first.');
  await removeUserFromGroup.execute(context, { GroupName: 'ops', UserName: 'mia' });

  await deleteUser.execute(context, { UserName: 'mia' });
  await rejectsWith(getUser.execute(context, { UserName: 'mia' }), 'NoSuchEntity', 'The user with name mia cannot be found.');
  await rejectsWith(deleteUser.execute(context, { UserName: 'mia' }), 'NoSuchEntity', 'The user with name mia cannot be found.');
});

// ---- ListUsers -----------------------------------------------------------------------------------

test('ListUsers filters by PathPrefix and leaves tags and boundaries out (API_ListUsers.html)', async () => {
  const { context } = setup();
  const boundary = await customerPolicy(context, 'B');
  await createUser.execute(context, { UserName: 'zed', Path: '/eng/backend/', Tags: [{ Key: 'a', Value: 'b' }], PermissionsBoundary: boundary });
  await createUser.execute(context, { UserName: 'amy', Path: '/eng/' });
  await createUser.execute(context, { UserName: 'Bea', Path: '/sales/' });
  const all = await listUsers.execute(context, {});
  assert.deepEqual(all.Users.map((u) => u.UserName), ['amy', 'Bea', 'zed'], 'ordered by name ignoring case');
  assert.equal(all.IsTruncated, false);
  const eng = await listUsers.execute(context, { PathPrefix: '/eng/' });
  assert.deepEqual(eng.Users.map((u) => u.UserName), ['amy', 'zed']);
  assert.equal('Tags' in eng.Users[1]!, false);
  assert.equal('PermissionsBoundary' in eng.Users[1]!, false);
});

test('ListUsers pages with MaxItems and Marker until IsTruncated is false', async () => {
  const { context } = setup();
  for (const name of ['u1', 'u2', 'u3', 'u4', 'u5']) await createUser.execute(context, { UserName: name });
  const seen: string[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = await listUsers.execute(context, { MaxItems: 2, ...(marker ? { Marker: marker } : {}) });
    seen.push(...page.Users.map((u) => u.UserName!));
    marker = page.IsTruncated ? page.Marker : undefined;
    assert.equal(page.IsTruncated, marker !== undefined);
    pages++;
  } while (marker);
  assert.deepEqual(seen, ['u1', 'u2', 'u3', 'u4', 'u5']);
  assert.equal(pages, 3);
  await rejectsWith(listUsers.execute(context, { MaxItems: 0 }), 'ValidationError', /at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1/);
  await rejectsWith(listUsers.execute(context, { MaxItems: 1001 }), 'ValidationError', /Member must have value less than or equal to 1000/);
});

// ---- Tags ----------------------------------------------------------------------------------------

test('TagUser adds and overwrites ignoring key case, UntagUser ignores unknown keys, ListUserTags pages (API_TagUser.html)', async () => {
  const { context } = setup();
  await createUser.execute(context, { UserName: 'nina', Tags: [{ Key: 'Team', Value: 'a' }] });
  await tagUser.execute(context, { UserName: 'nina', Tags: [{ Key: 'team', Value: 'b' }, { Key: 'env', Value: 'dev' }, { Key: 'cost', Value: '42' }] });
  const first = await listUserTags.execute(context, { UserName: 'nina', MaxItems: 2 });
  assert.equal(first.IsTruncated, true);
  const rest = await listUserTags.execute(context, { UserName: 'nina', Marker: first.Marker! });
  assert.deepEqual([...first.Tags, ...rest.Tags].map((t) => `${t.Key}=${t.Value}`).sort(), ['cost=42', 'env=dev', 'team=b']);
  await untagUser.execute(context, { UserName: 'nina', TagKeys: ['ENV', 'missing'] });
  assert.deepEqual((await listUserTags.execute(context, { UserName: 'nina' })).Tags.map((t) => t.Key).sort(), ['cost', 'team']);
});

test('TagUser past 50 tags on the user: LimitExceeded, tags unchanged', async () => {
  const { context } = setup();
  const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  await createUser.execute(context, { UserName: 'olga', Tags: tags });
  await rejectsWith(tagUser.execute(context, { UserName: 'olga', Tags: [{ Key: 'one-more', Value: 'v' }] }), 'LimitExceeded', /tags/);
  assert.equal((await listUserTags.execute(context, { UserName: 'olga' })).Tags.length, 50);
  await tagUser.execute(context, { UserName: 'olga', Tags: [{ Key: 'K0', Value: 'replaced' }] });
  assert.equal((await listUserTags.execute(context, { UserName: 'olga' })).Tags.length, 50, 'overwriting a key does not count as a new tag');
});

test('TagUser of a missing user: NoSuchEntity', async () => {
  const { context } = setup();
  await rejectsWith(tagUser.execute(context, { UserName: 'nobody', Tags: [{ Key: 'a', Value: 'b' }] }), 'NoSuchEntity', 'The user with name nobody cannot be found.');
});

// ---- Permissions boundary ------------------------------------------------------------------------

test('PutUserPermissionsBoundary sets and replaces the boundary, moving the usage count; Delete removes it', async () => {
  const { context } = setup();
  const first = await customerPolicy(context, 'First');
  const second = await customerPolicy(context, 'Second');
  await createUser.execute(context, { UserName: 'pat' });
  await putUserPermissionsBoundary.execute(context, { UserName: 'pat', PermissionsBoundary: first });
  await putUserPermissionsBoundary.execute(context, { UserName: 'pat', PermissionsBoundary: second });
  assert.equal((await getUser.execute(context, { UserName: 'pat' })).User.PermissionsBoundary?.PermissionsBoundaryArn, second);
  assert.equal((await getPolicy.execute(context, { PolicyArn: first })).Policy.PermissionsBoundaryUsageCount, 0);
  assert.equal((await getPolicy.execute(context, { PolicyArn: second })).Policy.PermissionsBoundaryUsageCount, 1);
  await deleteUserPermissionsBoundary.execute(context, { UserName: 'pat' });
  assert.equal((await getUser.execute(context, { UserName: 'pat' })).User.PermissionsBoundary, undefined);
  assert.equal((await getPolicy.execute(context, { PolicyArn: second })).Policy.PermissionsBoundaryUsageCount, 0);
  await deleteUserPermissionsBoundary.execute(context, { UserName: 'pat' });
});

test('PutUserPermissionsBoundary with a missing policy: NoSuchEntity; of a missing user: NoSuchEntity', async () => {
  const { context } = setup();
  await createUser.execute(context, { UserName: 'quinn' });
  const missing = `arn:aws:iam::${ACCOUNT}:policy/Missing`;
  await rejectsWith(putUserPermissionsBoundary.execute(context, { UserName: 'quinn', PermissionsBoundary: missing }), 'NoSuchEntity', `Scope ARN: ${missing} does not exist or is not attachable.`);
  await rejectsWith(putUserPermissionsBoundary.execute(context, { UserName: 'ghost', PermissionsBoundary: missing }), 'NoSuchEntity', 'The user with name ghost cannot be found.');
});

// ---- Authorization targets (list_awsidentityandaccessmanagementiam.html) -------------------------

test('CreateUser is authorized as iam:CreateUser on the new user ARN with request tags and iam:PermissionsBoundary', async () => {
  const { context } = setup();
  const boundary = `arn:aws:iam::${ACCOUNT}:policy/DevBoundary`;
  const [target, ...others] = await createUser.authorize(context, { UserName: 'rae', Path: '/dev/', PermissionsBoundary: boundary, Tags: [{ Key: 'team', Value: 'x' }] });
  assert.equal(others.length, 0);
  assert.equal(target!.action, 'iam:CreateUser');
  assert.equal(target!.resource, `arn:aws:iam::${ACCOUNT}:user/dev/rae`);
  assert.deepEqual(target!.context, { 'aws:RequestTag/team': 'x', 'aws:TagKeys': ['team'], 'iam:PermissionsBoundary': boundary });
});

test('Actions on an existing user carry its ARN with path and its tags; ListUsers is on the listed user path', async () => {
  const { context } = setup();
  const boundary = await customerPolicy(context, 'Bound');
  await createUser.execute(context, { UserName: 'sam', Path: '/x/', Tags: [{ Key: 'env', Value: 'prod' }], PermissionsBoundary: boundary });
  const [get] = await getUser.authorize(context, { UserName: 'sam' });
  assert.equal(get!.resource, `arn:aws:iam::${ACCOUNT}:user/x/sam`);
  assert.deepEqual(get!.context, { 'aws:ResourceTag/env': 'prod', 'iam:ResourceTag/env': 'prod' });
  const [untag] = await untagUser.authorize(context, { UserName: 'sam', TagKeys: ['env'] });
  assert.deepEqual(untag!.context?.['aws:TagKeys'], ['env']);
  const [removeBoundary] = await deleteUserPermissionsBoundary.authorize(context, { UserName: 'sam' });
  assert.equal(removeBoundary!.context?.['iam:PermissionsBoundary'], boundary);
  const [putBoundary] = await putUserPermissionsBoundary.authorize(context, { UserName: 'sam', PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  assert.equal(putBoundary!.context?.['iam:PermissionsBoundary'], 'arn:aws:iam::aws:policy/ReadOnlyAccess');
  assert.deepEqual(await listUsers.authorize(context, {}), [{ action: 'iam:ListUsers', resource: `arn:aws:iam::${ACCOUNT}:user/` }]);
  const [missing] = await deleteUser.authorize(context, { UserName: 'ghost' });
  assert.equal(missing!.resource, `arn:aws:iam::${ACCOUNT}:user/ghost`, 'a missing user is named with the default path');
});

test('GetUser without a name is authorized on the caller itself', async () => {
  const { as } = setup();
  const [target] = await getUser.authorize(as(iamUser('tess')), {});
  assert.equal(target!.resource, `arn:aws:iam::${ACCOUNT}:user/tess`);
});

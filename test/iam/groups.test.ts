// The IAM group operations over a real (in-memory) SQLite store; membership is kept on the users and
// must read the same from both sides. Each test names the AWS API reference page it checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { SecretSealer, newSealingKey } from '../../src/auth/secrets.js';
import { secretSealing } from '../../src/auth/server-keys.js';
import { AwsError } from '../../src/model/errors.js';
import type { Caller, OperationContext } from '../../src/iam/operation.js';
import {
  addUserToGroup,
  createGroup,
  deleteGroup,
  getGroup,
  GROUPS_PER_ACCOUNT,
  GROUPS_PER_USER,
  listGroups,
  listGroupsForUser,
  removeUserFromGroup,
  updateGroup,
} from '../../src/iam/groups.js';
import { createUser, getUser } from '../../src/iam/users.js';
import { createPolicy, listEntitiesForPolicy } from '../../src/iam/managed-policies.js';
import { attachGroupPolicy, detachGroupPolicy } from '../../src/iam/attachments.js';
import { deleteGroupPolicy, putGroupPolicy } from '../../src/iam/inline-policies.js';

const ACCOUNT = '123456789012';
const NOW = new Date('2024-05-01T12:00:00.000Z');
const ROOT: Caller = { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, kind: 'root', userId: ACCOUNT, accessKeyId: 'AKIAROOTROOTROOTROOT' };
const ALICE: Caller = { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/alice`, kind: 'user', userId: 'AIDAEXAMPLEEXAMPLE1', accessKeyId: 'AKIAUSERUSERUSERUSER', userName: 'alice' };
const SECRETS = secretSealing(new SecretSealer([newSealingKey('test')]));
const DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] });

function setup(caller: Caller = ROOT): { store: SqliteStore; context: OperationContext } {
  const store = new SqliteStore(':memory:');
  const context: OperationContext = { store, secrets: SECRETS, caller, accountId: ACCOUNT, requestId: 'req-1', now: NOW, region: 'us-east-1', sourceIp: '192.0.2.10' };
  return { store, context };
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

test('CreateGroup returns the group with an AGPA id and the ARN with its path (API_CreateGroup.html)', async () => {
  const { context } = setup();
  const { Group: group } = await createGroup.execute(context, { GroupName: 'Admins', Path: '/division/' });
  assert.match(group.GroupId, /^AGPA[A-Z2-7]{17}$/);
  assert.deepEqual(group, {
    Path: '/division/',
    GroupName: 'Admins',
    GroupId: group.GroupId,
    Arn: `arn:aws:iam::${ACCOUNT}:group/division/Admins`,
    CreateDate: NOW.toISOString(),
  });
});

test('CreateGroup refuses a name taken in any case (EntityAlreadyExists) and a bad name (ValidationError)', async () => {
  const { context } = setup();
  await createGroup.execute(context, { GroupName: 'admins' });
  await rejectsWith(createGroup.execute(context, { GroupName: 'ADMINS' }), 'EntityAlreadyExists', 'Group with name ADMINS already exists.');
  await rejectsWith(
    createGroup.execute(context, { GroupName: 'x'.repeat(129) }),
    'ValidationError',
    `1 validation error detected: Value '${'x'.repeat(129)}' at 'groupName' failed to satisfy constraint: Member must have length less than or equal to 128`,
  );
});

test('CreateGroup stops at the groups-per-account quota of 300 (reference_iam-quotas.html)', async () => {
  const { context, store } = setup();
  await store.write(async (writer) => {
    for (let i = 0; i < GROUPS_PER_ACCOUNT; i++) await writer.insert('group', ACCOUNT, `g${i}`, { GroupName: `g${i}`, Path: '/' });
  });
  await rejectsWith(createGroup.execute(context, { GroupName: 'late' }), 'LimitExceeded', 'Cannot exceed quota for GroupsPerAccount: 300');
});

test('GetGroup lists its members, paginated, and a missing group is NoSuchEntity (API_GetGroup.html)', async () => {
  const { context } = setup();
  await createGroup.execute(context, { GroupName: 'devs' });
  for (const name of ['carl', 'Anna', 'bert']) {
    await createUser.execute(context, { UserName: name, Tags: [{ Key: 'k', Value: 'v' }] });
    await addUserToGroup.execute(context, { GroupName: 'devs', UserName: name });
  }
  await createUser.execute(context, { UserName: 'outsider' });
  const first = await getGroup.execute(context, { GroupName: 'DEVS', MaxItems: 2 });
  assert.equal(first.Group.GroupName, 'devs');
  assert.deepEqual(first.Users.map((u) => u.UserName), ['Anna', 'bert']);
  assert.equal(first.IsTruncated, true);
  assert.equal('Tags' in first.Users[0]!, false, 'members are listed without their tags');
  const second = await getGroup.execute(context, { GroupName: 'devs', Marker: first.Marker! });
  assert.deepEqual(second.Users.map((u) => u.UserName), ['carl']);
  assert.equal(second.IsTruncated, false);
  assert.equal(second.Marker, undefined);
  await rejectsWith(getGroup.execute(context, { GroupName: 'nope' }), 'NoSuchEntity', 'The group with name nope cannot be found.');
});

test('AddUserToGroup is idempotent and RemoveUserFromGroup of a non-member changes nothing (API_AddUserToGroup.html)', async () => {
  const { context } = setup();
  await createGroup.execute(context, { GroupName: 'ops' });
  await createUser.execute(context, { UserName: 'dana' });
  await addUserToGroup.execute(context, { GroupName: 'ops', UserName: 'dana' });
  await addUserToGroup.execute(context, { GroupName: 'OPS', UserName: 'DANA' });
  assert.deepEqual((await listGroupsForUser.execute(context, { UserName: 'dana' })).Groups.map((g) => g.GroupName), ['ops']);
  await removeUserFromGroup.execute(context, { GroupName: 'ops', UserName: 'dana' });
  await removeUserFromGroup.execute(context, { GroupName: 'ops', UserName: 'dana' });
  assert.deepEqual((await listGroupsForUser.execute(context, { UserName: 'dana' })).Groups, []);
  assert.deepEqual((await getGroup.execute(context, { GroupName: 'ops' })).Users, []);
});

test('AddUserToGroup and RemoveUserFromGroup check the user before the group: with both missing, "The user with name ... cannot be found." (AWS-recorded responses, issue 11)', async () => {
  const { context } = setup();
  for (const operation of [addUserToGroup, removeUserFromGroup]) {
    await rejectsWith(operation.execute(context, { GroupName: 'ghosts', UserName: 'casper' }), 'NoSuchEntity', 'The user with name casper cannot be found.');
  }
  await createUser.execute(context, { UserName: 'casper' });
  for (const operation of [addUserToGroup, removeUserFromGroup]) {
    await rejectsWith(operation.execute(context, { GroupName: 'ghosts', UserName: 'casper' }), 'NoSuchEntity', 'The group with name ghosts cannot be found.');
  }
});

test('A user belongs to at most 10 groups: LimitExceeded "Cannot exceed quota for GroupsPerUser: 10"', async () => {
  const { context } = setup();
  await createUser.execute(context, { UserName: 'eve' });
  for (let i = 0; i < GROUPS_PER_USER; i++) {
    await createGroup.execute(context, { GroupName: `g${i}` });
    await addUserToGroup.execute(context, { GroupName: `g${i}`, UserName: 'eve' });
  }
  await createGroup.execute(context, { GroupName: 'eleventh' });
  await rejectsWith(addUserToGroup.execute(context, { GroupName: 'eleventh', UserName: 'eve' }), 'LimitExceeded', 'Cannot exceed quota for GroupsPerUser: 10');
  const groups = await listGroupsForUser.execute(context, { UserName: 'eve', MaxItems: 4 });
  assert.deepEqual(groups.Groups.map((g) => g.GroupName), ['g0', 'g1', 'g2', 'g3']);
  assert.equal(groups.IsTruncated, true);
});

test('UpdateGroup renames and moves a group; its members and policy records follow (API_UpdateGroup.html)', async () => {
  const { context } = setup();
  const { Group: before } = await createGroup.execute(context, { GroupName: 'qa' });
  await createUser.execute(context, { UserName: 'fay' });
  await addUserToGroup.execute(context, { GroupName: 'qa', UserName: 'fay' });
  const policy = (await createPolicy.execute(context, { PolicyName: 'QaAccess', PolicyDocument: DOCUMENT })).Policy.Arn;
  await attachGroupPolicy.execute(context, { GroupName: 'qa', PolicyArn: policy });

  await updateGroup.execute(context, { GroupName: 'qa', NewGroupName: 'testers', NewPath: '/quality/' });

  await rejectsWith(getGroup.execute(context, { GroupName: 'qa' }), 'NoSuchEntity', 'The group with name qa cannot be found.');
  const after = await getGroup.execute(context, { GroupName: 'testers' });
  assert.equal(after.Group.GroupId, before.GroupId);
  assert.equal(after.Group.Arn, `arn:aws:iam::${ACCOUNT}:group/quality/testers`);
  assert.deepEqual(after.Users.map((u) => u.UserName), ['fay']);
  assert.deepEqual((await listGroupsForUser.execute(context, { UserName: 'fay' })).Groups.map((g) => g.GroupName), ['testers']);
  assert.deepEqual((await listEntitiesForPolicy.execute(context, { PolicyArn: policy })).PolicyGroups.map((g) => g.GroupName), ['testers']);
  await detachGroupPolicy.execute(context, { GroupName: 'testers', PolicyArn: policy });
});

test('UpdateGroup to a name in use: EntityAlreadyExists; authorized on both old and new ARNs', async () => {
  const { context } = setup();
  await createGroup.execute(context, { GroupName: 'a', Path: '/p/' });
  await createGroup.execute(context, { GroupName: 'b' });
  await rejectsWith(updateGroup.execute(context, { GroupName: 'a', NewGroupName: 'B' }), 'EntityAlreadyExists', 'Group with name B already exists.');
  const targets = await updateGroup.authorize(context, { GroupName: 'a', NewPath: '/q/' });
  assert.deepEqual(
    targets.map((t) => t.resource),
    [`arn:aws:iam::${ACCOUNT}:group/p/a`, `arn:aws:iam::${ACCOUNT}:group/q/a`],
  );
});

test('DeleteGroup refuses while members, inline or attached policies remain (API_DeleteGroup.html)', async () => {
  const { context } = setup();
  await createGroup.execute(context, { GroupName: 'temp' });
  await createUser.execute(context, { UserName: 'gus' });
  await addUserToGroup.execute(context, { GroupName: 'temp', UserName: 'gus' });
  await rejectsWith(deleteGroup.execute(context, { GroupName: 'temp' }), 'DeleteConflict', 'Cannot delete entity, must remove users from group first.');
  await removeUserFromGroup.execute(context, { GroupName: 'temp', UserName: 'gus' });

  await putGroupPolicy.execute(context, { GroupName: 'temp', PolicyName: 'p', PolicyDocument: DOCUMENT });
  await rejectsWith(deleteGroup.execute(context, { GroupName: 'temp' }), 'DeleteConflict', 'Cannot delete entity, must delete policies first.');
  await deleteGroupPolicy.execute(context, { GroupName: 'temp', PolicyName: 'p' });

  await attachGroupPolicy.execute(context, { GroupName: 'temp', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  await rejectsWith(deleteGroup.execute(context, { GroupName: 'temp' }), 'DeleteConflict', 'Cannot delete entity, must detach all policies first.');
  await detachGroupPolicy.execute(context, { GroupName: 'temp', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });

  await deleteGroup.execute(context, { GroupName: 'temp' });
  await rejectsWith(getGroup.execute(context, { GroupName: 'temp' }), 'NoSuchEntity', 'The group with name temp cannot be found.');
  assert.equal((await getUser.execute(context, { UserName: 'gus' })).User.UserName, 'gus', 'the former member is untouched');
});

test('ListGroups filters by PathPrefix and pages (API_ListGroups.html)', async () => {
  const { context } = setup();
  for (const [name, path] of [['b', '/eng/'], ['A', '/eng/'], ['c', '/hr/'], ['d', '/eng/x/']] as const) await createGroup.execute(context, { GroupName: name, Path: path });
  assert.deepEqual((await listGroups.execute(context, {})).Groups.map((g) => g.GroupName), ['A', 'b', 'c', 'd']);
  const first = await listGroups.execute(context, { PathPrefix: '/eng/', MaxItems: 2 });
  assert.deepEqual(first.Groups.map((g) => g.GroupName), ['A', 'b']);
  const rest = await listGroups.execute(context, { PathPrefix: '/eng/', MaxItems: 2, Marker: first.Marker! });
  assert.deepEqual(rest.Groups.map((g) => g.GroupName), ['d']);
  assert.equal(rest.IsTruncated, false);
  await rejectsWith(listGroups.execute(context, { PathPrefix: 'eng' }), 'ValidationError', /at 'pathPrefix' failed to satisfy constraint/);
});

test('ListGroupsForUser of a missing user: NoSuchEntity; works for the caller naming itself', async () => {
  const { context, store } = setup();
  await rejectsWith(listGroupsForUser.execute(context, { UserName: 'ghost' }), 'NoSuchEntity', 'The user with name ghost cannot be found.');
  await createUser.execute(context, { UserName: 'alice' });
  const asAlice: OperationContext = { store, secrets: SECRETS, caller: ALICE, accountId: ACCOUNT, requestId: 'r', now: NOW, region: 'us-east-1', sourceIp: '192.0.2.1' };
  assert.deepEqual((await listGroupsForUser.execute(asAlice, { UserName: 'alice' })).Groups, []);
});

test('Group actions are authorized on the group ARN; ListGroups on the listed group path; ListGroupsForUser on the user', async () => {
  const { context } = setup();
  await createGroup.execute(context, { GroupName: 'web', Path: '/svc/' });
  await createUser.execute(context, { UserName: 'hal', Path: '/people/' });
  assert.deepEqual(await addUserToGroup.authorize(context, { GroupName: 'web', UserName: 'hal' }), [
    { action: 'iam:AddUserToGroup', resource: `arn:aws:iam::${ACCOUNT}:group/svc/web` },
  ]);
  assert.deepEqual(await removeUserFromGroup.authorize(context, { GroupName: 'web', UserName: 'hal' }), [
    { action: 'iam:RemoveUserFromGroup', resource: `arn:aws:iam::${ACCOUNT}:group/svc/web` },
  ]);
  assert.deepEqual(await createGroup.authorize(context, { GroupName: 'new', Path: '/x/' }), [{ action: 'iam:CreateGroup', resource: `arn:aws:iam::${ACCOUNT}:group/x/new` }]);
  // AWS's denials name the listed path: "iam:ListGroups on resource: arn:aws:iam::ACCOUNT:group/".
  assert.deepEqual(await listGroups.authorize(context, {}), [{ action: 'iam:ListGroups', resource: `arn:aws:iam::${ACCOUNT}:group/` }]);
  assert.deepEqual(await listGroups.authorize(context, { PathPrefix: '/ops/' }), [{ action: 'iam:ListGroups', resource: `arn:aws:iam::${ACCOUNT}:group/ops/` }]);
  const [forUser] = await listGroupsForUser.authorize(context, { UserName: 'hal' });
  assert.equal(forUser!.action, 'iam:ListGroupsForUser');
  assert.equal(forUser!.resource, `arn:aws:iam::${ACCOUNT}:user/people/hal`);
});

// Access keys of IAM users and of the root user over a real (in-memory) SQLite store: AKIA ids, the
// 40-character secret shown once and stored only sealed, two keys per owner, status changes and last use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { SecretSealer, newSealingKey } from '../../src/auth/secrets.js';
import { secretSealing } from '../../src/auth/server-keys.js';
import { AwsError } from '../../src/model/errors.js';
import type { AccessKey } from '../../src/model/entities.js';
import type { Caller, OperationContext } from '../../src/iam/operation.js';
import { createAccessKey, deleteAccessKey, getAccessKeyLastUsed, listAccessKeys, updateAccessKey } from '../../src/iam/access-keys.js';
import { createUser } from '../../src/iam/users.js';

const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';
const NOW = new Date('2024-05-01T12:00:00.000Z');
const ROOT: Caller = { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, kind: 'root', userId: ACCOUNT, accessKeyId: 'AKIAROOTROOTROOTROOT' };
const SECRETS = secretSealing(new SecretSealer([newSealingKey('test')]));

function iamUser(name: string, account = ACCOUNT): Caller {
  return { accountId: account, arn: `arn:aws:iam::${account}:user/${name}`, kind: 'user', userId: 'AIDAEXAMPLEEXAMPLE1', accessKeyId: 'AKIAUSERUSERUSERUSER', userName: name };
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

function setup(): { store: SqliteStore; as: (caller: Caller) => OperationContext; root: OperationContext } {
  const store = new SqliteStore(':memory:');
  const as = (caller: Caller): OperationContext => ({
    store,
    secrets: SECRETS,
    caller,
    accountId: caller.accountId,
    requestId: 'req-1',
    now: NOW,
    region: 'us-east-1',
    sourceIp: '192.0.2.10',
  });
  return { store, as, root: as(ROOT) };
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

test('CreateAccessKey returns an active AKIA key with a 40-character secret (API_CreateAccessKey.html)', async () => {
  const { root } = setup();
  await createUser.execute(root, { UserName: 'alice' });
  const { AccessKey: key } = await createAccessKey.execute(root, { UserName: 'ALICE' });
  assert.match(key.AccessKeyId, /^AKIA[A-Z2-7]{16}$/);
  assert.equal(key.SecretAccessKey.length, 40);
  assert.equal(key.Status, 'Active');
  assert.equal(key.UserName, 'alice', 'the owner is named as stored');
  assert.equal(key.CreateDate, NOW.toISOString());
});

test('The secret is stored only sealed, bound to the key id, and the key is found by id across accounts', async () => {
  const { root, store } = setup();
  await createUser.execute(root, { UserName: 'bob' });
  const { AccessKey: key } = await createAccessKey.execute(root, { UserName: 'bob' });
  const stored = await store.read((reader) => reader.find<AccessKey>('accessKey', key.AccessKeyId));
  assert.ok(stored);
  assert.equal(stored.AccountId, ACCOUNT);
  assert.equal(stored.UserName, 'bob');
  assert.equal(JSON.stringify(stored).includes(key.SecretAccessKey), false, 'the secret never appears in the stored entity');
  assert.equal(SECRETS.unseal(stored.SealedSecret, key.AccessKeyId), key.SecretAccessKey);
  assert.throws(() => SECRETS.unseal(stored.SealedSecret, 'AKIAANOTHERKEYID0000'), 'the sealed secret is bound to its key id');
});

test('An owner has at most two keys: LimitExceeded "Cannot exceed quota for AccessKeysPerUser: 2"', async () => {
  const { root } = setup();
  await createUser.execute(root, { UserName: 'carol' });
  await createAccessKey.execute(root, { UserName: 'carol' });
  const second = (await createAccessKey.execute(root, { UserName: 'carol' })).AccessKey;
  await rejectsWith(createAccessKey.execute(root, { UserName: 'carol' }), 'LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2');
  await deleteAccessKey.execute(root, { UserName: 'carol', AccessKeyId: second.AccessKeyId });
  await createAccessKey.execute(root, { UserName: 'carol' });
});

test('CreateAccessKey without UserName makes a key for the calling user, or for the root user when root calls', async () => {
  const { root, as, store } = setup();
  await createUser.execute(root, { UserName: 'dave' });
  const userKey = (await createAccessKey.execute(as(iamUser('dave')), {})).AccessKey;
  assert.equal(userKey.UserName, 'dave');
  const rootKey = (await createAccessKey.execute(root, {})).AccessKey;
  assert.equal(rootKey.UserName, undefined, 'root keys have no user name');
  const storedRoot = await store.read((reader) => reader.get<AccessKey>('accessKey', ACCOUNT, rootKey.AccessKeyId));
  assert.equal(storedRoot?.UserName, undefined);
  assert.deepEqual((await listAccessKeys.execute(root, {})).AccessKeyMetadata.map((k) => k.AccessKeyId), [rootKey.AccessKeyId]);
  assert.deepEqual((await listAccessKeys.execute(as(iamUser('dave')), {})).AccessKeyMetadata.map((k) => k.AccessKeyId), [userKey.AccessKeyId]);
});

test('The root user also has at most two keys', async () => {
  const { root } = setup();
  await createAccessKey.execute(root, {});
  await createAccessKey.execute(root, {});
  await rejectsWith(createAccessKey.execute(root, {}), 'LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2');
});

test('Key operations without UserName from role credentials: ValidationError', async () => {
  const { as } = setup();
  await rejectsWith(createAccessKey.execute(as(ROLE_SESSION), {}), 'ValidationError', 'Must specify userName when calling with non-User credentials');
  await rejectsWith(listAccessKeys.execute(as(ROLE_SESSION), {}), 'ValidationError', 'Must specify userName when calling with non-User credentials');
});

test('CreateAccessKey for a missing user: NoSuchEntity', async () => {
  const { root } = setup();
  await rejectsWith(createAccessKey.execute(root, { UserName: 'ghost' }), 'NoSuchEntity', 'The user with name ghost cannot be found.');
});

test('UpdateAccessKey switches between Active and Inactive (API_UpdateAccessKey.html)', async () => {
  const { root } = setup();
  await createUser.execute(root, { UserName: 'erin' });
  const key = (await createAccessKey.execute(root, { UserName: 'erin' })).AccessKey;
  await updateAccessKey.execute(root, { UserName: 'erin', AccessKeyId: key.AccessKeyId, Status: 'Inactive' });
  assert.equal((await listAccessKeys.execute(root, { UserName: 'erin' })).AccessKeyMetadata[0]!.Status, 'Inactive');
  await updateAccessKey.execute(root, { UserName: 'erin', AccessKeyId: key.AccessKeyId, Status: 'Active' });
  assert.equal((await listAccessKeys.execute(root, { UserName: 'erin' })).AccessKeyMetadata[0]!.Status, 'Active');
  await rejectsWith(
    updateAccessKey.execute(root, { UserName: 'erin', AccessKeyId: key.AccessKeyId, Status: 'Paused' as 'Active' }),
    'ValidationError',
    "1 validation error detected: Value 'Paused' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]",
  );
  await rejectsWith(updateAccessKey.execute(root, { UserName: 'erin', AccessKeyId: key.AccessKeyId, Status: 'Expired' }), 'InvalidInput', /Expired/);
});

test('A key is only found under its owner: another user or a wrong id is NoSuchEntity "The Access Key with id X cannot be found."', async () => {
  const { root, as } = setup();
  await createUser.execute(root, { UserName: 'fay' });
  await createUser.execute(root, { UserName: 'gil' });
  const key = (await createAccessKey.execute(root, { UserName: 'fay' })).AccessKey;
  const message = `The Access Key with id ${key.AccessKeyId} cannot be found.`;
  await rejectsWith(updateAccessKey.execute(root, { UserName: 'gil', AccessKeyId: key.AccessKeyId, Status: 'Inactive' }), 'NoSuchEntity', message);
  await rejectsWith(deleteAccessKey.execute(as(iamUser('gil')), { AccessKeyId: key.AccessKeyId }), 'NoSuchEntity', message);
  await rejectsWith(deleteAccessKey.execute(root, { AccessKeyId: key.AccessKeyId }), 'NoSuchEntity', message);
  await rejectsWith(
    deleteAccessKey.execute(root, { UserName: 'fay', AccessKeyId: 'AKIAAAAAAAAAAAAAAAAA' }),
    'NoSuchEntity',
    'The Access Key with id AKIAAAAAAAAAAAAAAAAA cannot be found.',
  );
  await deleteAccessKey.execute(as(iamUser('fay')), { AccessKeyId: key.AccessKeyId });
  assert.deepEqual((await listAccessKeys.execute(root, { UserName: 'fay' })).AccessKeyMetadata, []);
});

test('A key of another account is not found from this one', async () => {
  const { root, as } = setup();
  const elsewhere = as({ ...ROOT, accountId: OTHER_ACCOUNT, arn: `arn:aws:iam::${OTHER_ACCOUNT}:root`, userId: OTHER_ACCOUNT });
  const foreign = (await createAccessKey.execute(elsewhere, {})).AccessKey;
  await rejectsWith(deleteAccessKey.execute(root, { AccessKeyId: foreign.AccessKeyId }), 'NoSuchEntity', `The Access Key with id ${foreign.AccessKeyId} cannot be found.`);
  await rejectsWith(getAccessKeyLastUsed.execute(root, { AccessKeyId: foreign.AccessKeyId }), 'NoSuchEntity', `The Access Key with id ${foreign.AccessKeyId} cannot be found.`);
});

test('ListAccessKeys pages the owner’s key metadata without secrets (API_ListAccessKeys.html)', async () => {
  const { root } = setup();
  await createUser.execute(root, { UserName: 'hank' });
  const a = (await createAccessKey.execute(root, { UserName: 'hank' })).AccessKey;
  const b = (await createAccessKey.execute(root, { UserName: 'hank' })).AccessKey;
  const first = await listAccessKeys.execute(root, { UserName: 'hank', MaxItems: 1 });
  assert.equal(first.IsTruncated, true);
  const rest = await listAccessKeys.execute(root, { UserName: 'hank', Marker: first.Marker! });
  const listed = [...first.AccessKeyMetadata, ...rest.AccessKeyMetadata];
  assert.deepEqual(listed.map((k) => k.AccessKeyId).sort(), [a.AccessKeyId, b.AccessKeyId].sort());
  for (const metadata of listed) assert.deepEqual(Object.keys(metadata).sort(), ['AccessKeyId', 'CreateDate', 'Status', 'UserName']);
});

test('GetAccessKeyLastUsed answers N/A until the key is used, then the date, service and region (API_GetAccessKeyLastUsed.html)', async () => {
  const { root, store } = setup();
  await createUser.execute(root, { UserName: 'ivy' });
  const key = (await createAccessKey.execute(root, { UserName: 'ivy' })).AccessKey;
  assert.deepEqual(await getAccessKeyLastUsed.execute(root, { AccessKeyId: key.AccessKeyId }), {
    UserName: 'ivy',
    AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' },
  });
  await store.write(async (writer) => {
    const stored = (await writer.get<AccessKey>('accessKey', ACCOUNT, key.AccessKeyId))!;
    await writer.put('accessKey', ACCOUNT, key.AccessKeyId, { ...stored, LastUsed: { LastUsedDate: '2024-05-02T08:00:00.000Z', ServiceName: 'iam', Region: 'us-east-1' } });
  });
  assert.deepEqual((await getAccessKeyLastUsed.execute(root, { AccessKeyId: key.AccessKeyId })).AccessKeyLastUsed, {
    LastUsedDate: '2024-05-02T08:00:00.000Z',
    ServiceName: 'iam',
    Region: 'us-east-1',
  });
});

test('Key actions are authorized on the owning user; the caller itself when no name is given', async () => {
  const { root, as } = setup();
  await createUser.execute(root, { UserName: 'jo', Path: '/dev/', Tags: [{ Key: 'team', Value: 'a' }] });
  const key = (await createAccessKey.execute(root, { UserName: 'jo' })).AccessKey;
  const [create] = await createAccessKey.authorize(root, { UserName: 'jo' });
  assert.equal(create!.action, 'iam:CreateAccessKey');
  assert.equal(create!.resource, `arn:aws:iam::${ACCOUNT}:user/dev/jo`);
  assert.equal(create!.context?.['aws:ResourceTag/team'], 'a');
  const [own] = await updateAccessKey.authorize(as(iamUser('jo')), { AccessKeyId: key.AccessKeyId, Status: 'Inactive' });
  assert.equal(own!.resource, `arn:aws:iam::${ACCOUNT}:user/dev/jo`);
  const [lastUsed] = await getAccessKeyLastUsed.authorize(root, { AccessKeyId: key.AccessKeyId });
  assert.deepEqual([lastUsed!.action, lastUsed!.resource], ['iam:GetAccessKeyLastUsed', `arn:aws:iam::${ACCOUNT}:user/dev/jo`]);
  const [rootOwn] = await listAccessKeys.authorize(root, {});
  assert.deepEqual(rootOwn, { action: 'iam:ListAccessKeys', resource: `arn:aws:iam::${ACCOUNT}:root` });
  const [remove] = await deleteAccessKey.authorize(root, { UserName: 'jo', AccessKeyId: key.AccessKeyId });
  assert.equal(remove!.action, 'iam:DeleteAccessKey');
});

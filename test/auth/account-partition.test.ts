// Binding accounts to partitions (auth/account-partition.ts, auth/caller.ts) over a real SQLite store:
// "Accounts and credentials for other Amazon Regions will not work for services operating in the China
// Regions" — and the other way round.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callerInSignedPartition, resolveAccessKey } from '../../src/auth/caller.js';
import { bindAccountPartition } from '../../src/auth/account-partition.js';
import type { Account } from '../../src/model/entities.js';
import { AwsError } from '../../src/model/errors.js';
import { bootstrap, DEFAULT_ACCOUNT_ID } from '../../src/server/bootstrap.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

const SECRETS = { seal: (secret: string) => secret, unseal: (sealed: string) => sealed };
const ROOT_ENV = { ROLECALL_ROOT_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', ROLECALL_ROOT_SECRET_ACCESS_KEY: 'secret' };

async function freshStore(): Promise<SqliteStore> {
  const store = new SqliteStore(':memory:');
  await bootstrap(store, SECRETS, ROOT_ENV);
  return store;
}

const invalidToken = (error: unknown) => error instanceof AwsError && error.code === 'InvalidClientTokenId' && error.message === 'The security token included in the request is invalid.';
// Session credentials carry a token the other partition refuses: AWS's words for it have no period.
const refusedSessionToken = (error: unknown) => error instanceof AwsError && error.code === 'InvalidClientTokenId' && error.message === 'The security token included in the request is invalid';

test('the first verified request binds a new account to its signing region\'s partition; the root ARN follows', async () => {
  const store = await freshStore();
  const resolved = (await resolveAccessKey(store, SECRETS, ROOT_ENV.ROLECALL_ROOT_ACCESS_KEY_ID))!;
  assert.equal(resolved.accountUnbound, true);
  const caller = await callerInSignedPartition(store, resolved, 'cn-north-1');
  assert.equal(caller.arn, `arn:aws-cn:iam::${DEFAULT_ACCOUNT_ID}:root`);
  const account = await store.read((reader) => reader.get<Account>('account', '', DEFAULT_ACCOUNT_ID));
  assert.equal(account?.Partition, 'aws-cn');
  const again = (await resolveAccessKey(store, SECRETS, ROOT_ENV.ROLECALL_ROOT_ACCESS_KEY_ID))!;
  assert.equal(again.caller.arn, `arn:aws-cn:iam::${DEFAULT_ACCOUNT_ID}:root`);
  assert.equal((await callerInSignedPartition(store, again, 'cn-northwest-1')).arn, `arn:aws-cn:iam::${DEFAULT_ACCOUNT_ID}:root`);
});

test('credentials of one partition are InvalidClientTokenId in another, and the binding does not move', async () => {
  const store = await freshStore();
  await callerInSignedPartition(store, (await resolveAccessKey(store, SECRETS, ROOT_ENV.ROLECALL_ROOT_ACCESS_KEY_ID))!, 'us-gov-west-1');
  const resolved = (await resolveAccessKey(store, SECRETS, ROOT_ENV.ROLECALL_ROOT_ACCESS_KEY_ID))!;
  await assert.rejects(callerInSignedPartition(store, resolved, 'us-east-1'), invalidToken);
  await assert.rejects(callerInSignedPartition(store, resolved, 'cn-north-1'), invalidToken);
  assert.equal(await bindAccountPartition(store, DEFAULT_ACCOUNT_ID, 'aws'), 'aws-us-gov');
});

test('session credentials act only in the partition their ARN names', async () => {
  const store = await freshStore();
  const session = {
    secret: 's',
    caller: {
      accountId: DEFAULT_ACCOUNT_ID,
      arn: `arn:aws-cn:sts::${DEFAULT_ACCOUNT_ID}:assumed-role/app/s`,
      kind: 'assumed-role' as const,
      userId: 'AROA:s',
      accessKeyId: 'ASIAEXAMPLE',
      session: { issuedBy: 'AssumeRole' as const, issuedAt: '2025-01-01T00:00:00Z', expiresAt: '2025-01-01T01:00:00Z' },
    },
  };
  assert.equal((await callerInSignedPartition(store, session, 'cn-north-1')).arn, session.caller.arn);
  await assert.rejects(callerInSignedPartition(store, session, 'eu-west-1'), refusedSessionToken);
});

test('an account already holding entities from before partitions were recorded stays in aws (their ARNs are arn:aws:)', async () => {
  const store = await freshStore();
  await store.write((writer) => writer.insert('role', DEFAULT_ACCOUNT_ID, 'legacy', { RoleName: 'legacy', Arn: `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:role/legacy` }));
  const resolved = (await resolveAccessKey(store, SECRETS, ROOT_ENV.ROLECALL_ROOT_ACCESS_KEY_ID))!;
  await assert.rejects(callerInSignedPartition(store, resolved, 'cn-north-1'), invalidToken);
  assert.equal((await callerInSignedPartition(store, resolved, 'us-west-2')).arn, `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:root`);
});

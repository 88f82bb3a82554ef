/**
 * The Store contract (src/store/types.ts), run against every backend: SQLite and PostgreSQL must behave
 * the same for everything iam/ relies on. IAM names are unique ignoring case ("Role names are not
 * distinguished by case", IAM User Guide, IAM object quotas / names), list operations return names in
 * order with Marker/MaxItems pagination, and every acknowledged write must survive a restart.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Migration } from '../../src/store/migrations.js';
import { EntityConflictError, type AuditRecord, type Store } from '../../src/store/types.js';

export interface StoreSuiteHarness {
  /** Opens one more store over the suite's single database: a restart, or a second replica. */
  open(): Promise<Store>;
  /** The versions recorded in schema_migrations, ascending, read from the database without the store. */
  appliedMigrations(): Promise<number[]>;
  /** The backend's migrations, all of which must be applied. */
  migrations: readonly Migration[];
}

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';

/**
 * Roles as a database from before the reverse index of trusted principals (migration 3) holds them: rows
 * of `entities` as [account, key_lower, value]. Each backend's migration test stores them the old way and
 * checks with assertTrustIndexBackfilled that opening the store indexed them.
 */
export const ROLES_BEFORE_TRUST_INDEX: ReadonlyArray<[string, string, Record<string, unknown>]> = [
  ['111111111111', 'trustsalice', { AccountId: '111111111111', RoleName: 'TrustsAlice', AssumeRolePolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":"sts:AssumeRole"}]}' }],
  ['222222222222', 'both', { AccountId: '222222222222', RoleName: 'Both', AssumeRolePolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:role/ci/deployer","arn:aws:iam::111111111111:user\\/alice"]},"Action":"sts:AssumeRole"}]}' }],
  ['111111111111', 'service', { AccountId: '111111111111', RoleName: 'Service', AssumeRolePolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}' }],
];

/** The store opened over ROLES_BEFORE_TRUST_INDEX finds each role by the ARNs its trust policy names, and keeps the index from then on. */
export async function assertTrustIndexBackfilled(store: Store): Promise<void> {
  const trusting = async (arn: string) => (await store.read((r) => r.rolesTrusting<{ RoleName: string }>(arn))).map((role) => role.RoleName);
  assert.deepEqual(await trusting('arn:aws:iam::111111111111:user/alice'), ['TrustsAlice', 'Both']);
  assert.deepEqual(await trusting('arn:aws:iam::111111111111:role/ci/deployer'), ['Both']);
  assert.deepEqual(await trusting('ec2.amazonaws.com'), []);
  await store.write((w) => w.delete('role', '111111111111', 'TrustsAlice'));
  assert.deepEqual(await trusting('arn:aws:iam::111111111111:user/alice'), ['Both']);
}

/** Defines the store contract's tests in the current describe block. */
export function defineStoreSuite(harness: StoreSuiteHarness): void {
  let store: Store;

  before(async () => {
    store = await harness.open();
  });
  after(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    await store.reset();
  });

  /** Runs one write unit; most tests need nothing more. */
  const write = (work: Parameters<Store['write']>[0]) => store.write(work);

  describe('entities', () => {
    it('get returns what insert stored, and undefined for a missing key', async () => {
      const role = { RoleName: 'Deployer', Path: '/ci/', Tags: [{ Key: 'team', Value: 'platform' }] };
      await write((w) => w.insert('role', ACCOUNT, 'Deployer', role));
      assert.deepEqual(await store.read((r) => r.get('role', ACCOUNT, 'Deployer')), role);
      assert.equal(await store.read((r) => r.get('role', ACCOUNT, 'Nobody')), undefined);
    });

    it('values round-trip exactly: nesting, numbers, booleans, null, unicode and policy text', async () => {
      const document = '{\n  "Version": "2012-10-17",\n  "Statement": [ {"Effect":"Allow","Action":"s3:*","Resource":"*"} ]\n}';
      const value = {
        Document: document,
        MaxSessionDuration: 43200,
        Ratio: 0.25,
        Enabled: false,
        Missing: null,
        Description: 'ünïcødé ✓ 😀 "quoted" \\ back\tslash',
        Nested: { List: [1, 'two', { three: [3] }], Empty: {} },
      };
      await write((w) => w.put('policy', ACCOUNT, 'Exact', value));
      const stored = await store.read((r) => r.get<typeof value>('policy', ACCOUNT, 'Exact'));
      assert.deepEqual(stored, value);
      assert.equal(stored?.Document, document, 'policy documents are kept as the exact text submitted');
    });

    it('keys compare case-insensitively: get, put and delete reach the entity whatever the case', async () => {
      await write((w) => w.insert('role', ACCOUNT, 'Admin', { RoleName: 'Admin' }));
      for (const key of ['Admin', 'admin', 'ADMIN', 'aDmIn']) {
        assert.deepEqual(await store.read((r) => r.get('role', ACCOUNT, key)), { RoleName: 'Admin' }, key);
      }
      await write((w) => w.put('role', ACCOUNT, 'ADMIN', { RoleName: 'Admin', Description: 'replaced' }));
      assert.equal(await store.read((r) => r.count('role', ACCOUNT)), 1, 'put with another case replaces, not adds');
      assert.deepEqual(await store.read((r) => r.get('role', ACCOUNT, 'admin')), { RoleName: 'Admin', Description: 'replaced' });
      assert.equal(await write((w) => w.delete('role', ACCOUNT, 'aDMIN')), true);
      assert.equal(await store.read((r) => r.get('role', ACCOUNT, 'Admin')), undefined);
    });

    it('insert of a key that exists in another case throws EntityConflictError and keeps the first value', async () => {
      await write((w) => w.insert('role', ACCOUNT, 'Admin', { RoleName: 'Admin' }));
      await assert.rejects(
        write((w) => w.insert('role', ACCOUNT, 'admin', { RoleName: 'admin' })),
        (error: unknown) =>
          error instanceof EntityConflictError && error.kind === 'role' && error.account === ACCOUNT && error.key === 'admin',
      );
      assert.deepEqual(await store.read((r) => r.get('role', ACCOUNT, 'ADMIN')), { RoleName: 'Admin' });
    });

    it('put adds a missing entity and replaces an existing one', async () => {
      await write((w) => w.put('user', ACCOUNT, 'alice', { v: 1 }));
      await write((w) => w.put('user', ACCOUNT, 'alice', { v: 2 }));
      assert.deepEqual(await store.read((r) => r.get('user', ACCOUNT, 'alice')), { v: 2 });
      assert.equal(await store.read((r) => r.count('user', ACCOUNT)), 1);
    });

    it('delete reports whether there was something to remove', async () => {
      await write((w) => w.insert('group', ACCOUNT, 'Ops', { GroupName: 'Ops' }));
      assert.equal(await write((w) => w.delete('group', ACCOUNT, 'Ops')), true);
      assert.equal(await write((w) => w.delete('group', ACCOUNT, 'Ops')), false);
      assert.equal(await write((w) => w.delete('group', ACCOUNT, 'NeverExisted')), false);
    });

    it('kinds are separate collections: the same key as a role and as a user does not conflict', async () => {
      await write(async (w) => {
        await w.insert('role', ACCOUNT, 'shared', { kind: 'role' });
        await w.insert('user', ACCOUNT, 'shared', { kind: 'user' });
      });
      assert.deepEqual(await store.read((r) => r.get('role', ACCOUNT, 'shared')), { kind: 'role' });
      assert.deepEqual(await store.read((r) => r.get('user', ACCOUNT, 'shared')), { kind: 'user' });
    });

    it('accounts are isolated: the same name in two accounts, listed, counted and deleted separately', async () => {
      await write(async (w) => {
        await w.insert('role', ACCOUNT, 'App', { account: ACCOUNT });
        await w.insert('role', OTHER_ACCOUNT, 'App', { account: OTHER_ACCOUNT });
        await w.insert('role', OTHER_ACCOUNT, 'Extra', { account: OTHER_ACCOUNT });
      });
      assert.deepEqual(await store.read((r) => r.get('role', ACCOUNT, 'app')), { account: ACCOUNT });
      assert.deepEqual(await store.read((r) => r.list('role', ACCOUNT)), [{ account: ACCOUNT }]);
      assert.equal(await store.read((r) => r.count('role', OTHER_ACCOUNT)), 2);
      await write((w) => w.delete('role', ACCOUNT, 'App'));
      assert.equal(await store.read((r) => r.get('role', ACCOUNT, 'App')), undefined);
      assert.deepEqual(await store.read((r) => r.get('role', OTHER_ACCOUNT, 'App')), { account: OTHER_ACCOUNT });
    });

    it('find looks a globally unique key up in any account, case-insensitively', async () => {
      await write((w) => w.insert('accessKey', OTHER_ACCOUNT, 'AKIAEXAMPLE000000001', { AccessKeyId: 'AKIAEXAMPLE000000001' }));
      assert.deepEqual(await store.read((r) => r.find('accessKey', 'akiaexample000000001')), { AccessKeyId: 'AKIAEXAMPLE000000001' });
      assert.equal(await store.read((r) => r.find('accessKey', 'AKIAEXAMPLE000000002')), undefined);
      assert.equal(await store.read((r) => r.find('role', 'AKIAEXAMPLE000000001')), undefined, 'find stays within its kind');
    });

    it('count counts one kind in one account', async () => {
      assert.equal(await store.read((r) => r.count('role', ACCOUNT)), 0);
      await write(async (w) => {
        for (const name of ['a', 'b', 'c']) await w.insert('role', ACCOUNT, name, { name });
        await w.insert('user', ACCOUNT, 'a', {});
        await w.insert('role', OTHER_ACCOUNT, 'a', {});
      });
      assert.equal(await store.read((r) => r.count('role', ACCOUNT)), 3);
    });
  });

  describe('list order and pagination', () => {
    // Every character IAM allows in names ([\w+=,.@-]), so the order is byte order of the lower-cased key
    // in both backends, whatever collation the database defaults to; iam/pagination.ts compares the same way.
    const keys = ['Zeta', 'alpha', 'Beta', 'alpha-2', 'alpha_2', 'alpha.2', 'alpha+2', 'alpha=2', 'alpha@2', 'alpha,2', 'ALPHA2', 'a', '9lives'];
    const ordered = keys.map((key) => key.toLowerCase()).sort();

    beforeEach(async () => {
      await write(async (w) => {
        for (const key of keys) await w.insert('role', ACCOUNT, key, { key: key.toLowerCase() });
        await w.insert('role', OTHER_ACCOUNT, 'aardvark', { key: 'aardvark' });
        await w.insert('user', ACCOUNT, 'aaa', { key: 'aaa' });
      });
    });

    const listKeys = async (options?: { after?: string; limit?: number }) =>
      (await store.read((r) => r.list<{ key: string }>('role', ACCOUNT, options))).map((value) => value.key);

    it('lists one kind of one account ordered by lower-cased key in code point order', async () => {
      assert.deepEqual(await listKeys(), ordered);
    });

    it('limit returns the first entities and after starts strictly after a key, in any case', async () => {
      assert.deepEqual(await listKeys({ limit: 3 }), ordered.slice(0, 3));
      assert.deepEqual(await listKeys({ after: 'ALPHA', limit: 2 }), ordered.slice(ordered.indexOf('alpha') + 1, ordered.indexOf('alpha') + 3));
      assert.deepEqual(await listKeys({ after: 'alpha_2' }), ordered.slice(ordered.indexOf('alpha_2') + 1));
      assert.deepEqual(await listKeys({ after: 'ALPHA~' }), ['beta', 'zeta'], 'a marker need not be an existing key');
      assert.deepEqual(await listKeys({ after: 'zeta' }), []);
      assert.deepEqual(await listKeys({ limit: 100 }), ordered);
    });

    it('containing keeps only entities whose stored JSON holds one of the strings, as JSON.stringify spells them (a role\'s trust document, an escaped backslash)', async () => {
      await write(async (w) => {
        await w.insert('role', ACCOUNT, 'trusting', { key: 'trusting', document: '{"Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"}}' });
        await w.insert('role', ACCOUNT, 'escaped', { key: 'escaped', document: '{"Principal":{"AWS":"arn:aws:iam::123456789012:user\\/alice"}}' });
      });
      const containing = async (strings: string[]) =>
        (await store.read((r) => r.list<{ key: string }>('role', ACCOUNT, { containing: strings }))).map((value) => value.key);
      assert.deepEqual(await containing(['arn:aws:iam::123456789012:user/alice']), ['trusting']);
      assert.deepEqual(await containing(['arn:aws:iam::123456789012:user/alice', '\\\\']), ['escaped', 'trusting']);
      assert.deepEqual(await containing(['user/bob']), []);
      await write(async (w) => {
        await w.delete('role', ACCOUNT, 'trusting');
        await w.delete('role', ACCOUNT, 'escaped');
      });
    });

    it('paging with the last key as marker visits every entity once, in order', async () => {
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await listKeys({ after, limit: 4 });
        seen.push(...page);
        if (page.length < 4) break;
        after = page[page.length - 1];
      }
      assert.deepEqual(seen, ordered);
    });
  });

  describe('the reverse index of trusted users and roles (rolesTrusting)', () => {
    // DeleteUser/DeleteRole rewrite the trust policies naming the deleted ARN to its unique ID
    // (reference_policies_elements_principal.html); the store finds those roles through this index.
    const alice = 'arn:aws:iam::111111111111:user/alice';
    const deployer = 'arn:aws:iam::111111111111:role/ci/deployer';
    const trust = (principal: Record<string, unknown>, element: 'Principal' | 'NotPrincipal' = 'Principal', extra: Record<string, unknown> = {}) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', [element]: principal, Action: 'sts:AssumeRole', ...extra }] });
    const role = (account: string, name: string, document: string) => ({ AccountId: account, RoleName: name, AssumeRolePolicyDocument: document });
    const trusting = async (arn: string) =>
      (await store.read((r) => r.rolesTrusting<{ AccountId: string; RoleName: string }>(arn))).map((found) => `${found.AccountId}/${found.RoleName}`);

    it('gives the roles of every account whose Principal or NotPrincipal "AWS" names the ARN, as a string or in a list, ordered by account and key', async () => {
      await write(async (w) => {
        await w.insert('role', OTHER_ACCOUNT, 'Zed', role(OTHER_ACCOUNT, 'Zed', trust({ AWS: alice })));
        await w.insert('role', ACCOUNT, 'listed', role(ACCOUNT, 'listed', trust({ AWS: [deployer, alice] })));
        await w.insert('role', ACCOUNT, 'Excluding', role(ACCOUNT, 'Excluding', trust({ AWS: alice }, 'NotPrincipal')));
        await w.put('role', ACCOUNT, 'single', role(ACCOUNT, 'single', JSON.stringify({ Statement: { Effect: 'Allow', Principal: { AWS: alice }, Action: 'sts:AssumeRole' } })));
        await w.insert('role', ACCOUNT, 'other', role(ACCOUNT, 'other', trust({ AWS: deployer })));
      });
      assert.deepEqual(await trusting(alice), ['111111111111/Excluding', '111111111111/listed', '111111111111/single', '222222222222/Zed']);
      assert.deepEqual(await trusting(deployer), ['111111111111/listed', '111111111111/other']);
      assert.deepEqual(await store.read((r) => r.rolesTrusting('arn:aws:iam::111111111111:user/bob')), []);
    });

    it('names are what the rewrite replaces: the ARN exactly as written, JSON escapes resolved; not a wildcard, an account, a unique ID, another case or a Condition', async () => {
      await write(async (w) => {
        // `\/` is a JSON escape of `/`: the document names alice all the same.
        await w.insert('role', ACCOUNT, 'escaped', role(ACCOUNT, 'escaped', '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user\\/alice"},"Action":"sts:AssumeRole"}]}'));
        await w.insert('role', ACCOUNT, 'wildcard', role(ACCOUNT, 'wildcard', trust({ AWS: '*' })));
        await w.insert('role', ACCOUNT, 'account', role(ACCOUNT, 'account', trust({ AWS: ['111111111111', 'arn:aws:iam::111111111111:root'] })));
        await w.insert('role', ACCOUNT, 'uniqueId', role(ACCOUNT, 'uniqueId', trust({ AWS: 'AIDAAAAAAAAAAAAAAAAAA' })));
        await w.insert('role', ACCOUNT, 'upper', role(ACCOUNT, 'upper', trust({ AWS: 'arn:aws:iam::111111111111:user/ALICE' })));
        await w.insert('role', ACCOUNT, 'condition', role(ACCOUNT, 'condition', trust({ Service: 'ec2.amazonaws.com' }, 'Principal', { Condition: { ArnEquals: { 'aws:PrincipalArn': alice } } })));
        await w.insert('role', ACCOUNT, 'federated', role(ACCOUNT, 'federated', trust({ Federated: alice })));
        await w.insert('role', ACCOUNT, 'noDocument', { RoleName: 'noDocument' });
        await w.insert('role', ACCOUNT, 'notJson', role(ACCOUNT, 'notJson', '{"Statement": ['));
      });
      assert.deepEqual(await trusting(alice), ['111111111111/escaped']);
      assert.deepEqual(await trusting('arn:aws:iam::111111111111:user/ALICE'), ['111111111111/upper'], 'a name spelled in another case is another ARN');
      for (const principal of ['*', '111111111111', 'arn:aws:iam::111111111111:root', 'AIDAAAAAAAAAAAAAAAAAA']) {
        assert.deepEqual(await trusting(principal), [], principal);
      }
    });

    it('follows every write of a role: a put with a new trust policy moves it, a put under another case keeps one entry, a delete drops it', async () => {
      await write((w) => w.insert('role', ACCOUNT, 'App', role(ACCOUNT, 'App', trust({ AWS: alice }))));
      await write((w) => w.put('role', ACCOUNT, 'APP', role(ACCOUNT, 'App', trust({ AWS: [alice, alice] }))));
      assert.deepEqual(await trusting(alice), ['111111111111/App']);
      await write((w) => w.put('role', ACCOUNT, 'app', role(ACCOUNT, 'App', trust({ AWS: deployer }))));
      assert.deepEqual(await trusting(alice), []);
      assert.deepEqual(await trusting(deployer), ['111111111111/App']);
      // Another kind with the same key and document is no role: it is not indexed, and its delete leaves the role's entry.
      await write((w) => w.insert('instanceProfile', ACCOUNT, 'App', role(ACCOUNT, 'App', trust({ AWS: alice }))));
      assert.deepEqual(await trusting(alice), []);
      await write((w) => w.delete('instanceProfile', ACCOUNT, 'App'));
      assert.deepEqual(await trusting(deployer), ['111111111111/App']);
      await write((w) => w.delete('role', ACCOUNT, 'aPp'));
      assert.deepEqual(await trusting(deployer), []);
      // A role re-created under the name starts from its own trust policy only.
      await write((w) => w.insert('role', ACCOUNT, 'App', role(ACCOUNT, 'App', trust({ Service: 'ec2.amazonaws.com' }))));
      assert.deepEqual(await trusting(deployer), []);
    });

    it('is written in the role write\'s transaction: the work sees its own changes, and a failed write leaves the index as it was', async () => {
      await write((w) => w.insert('role', ACCOUNT, 'Kept', role(ACCOUNT, 'Kept', trust({ AWS: alice }))));
      const failure = new Error('the operation failed half-way');
      await assert.rejects(
        write(async (w) => {
          await w.insert('role', ACCOUNT, 'New', role(ACCOUNT, 'New', trust({ AWS: alice })));
          await w.put('role', ACCOUNT, 'Kept', role(ACCOUNT, 'Kept', trust({ AWS: deployer })));
          assert.deepEqual((await w.rolesTrusting<{ RoleName: string }>(alice)).map((found) => found.RoleName), ['New']);
          assert.deepEqual((await w.rolesTrusting<{ RoleName: string }>(deployer)).map((found) => found.RoleName), ['Kept']);
          throw failure;
        }),
        (error: unknown) => error === failure,
      );
      assert.deepEqual(await trusting(alice), ['111111111111/Kept']);
      assert.deepEqual(await trusting(deployer), []);
      await assert.rejects(write((w) => w.insert('role', ACCOUNT, 'kept', role(ACCOUNT, 'kept', trust({ AWS: deployer })))), EntityConflictError);
      assert.deepEqual(await trusting(deployer), [], 'an insert refused for its name indexes nothing');
    });

    it('reset empties it with the roles', async () => {
      await write((w) => w.insert('role', ACCOUNT, 'App', role(ACCOUNT, 'App', trust({ AWS: alice }))));
      await store.reset();
      assert.deepEqual(await trusting(alice), []);
    });
  });

  describe('transactions', () => {
    it('write resolves to what its work returns, and the work sees its own writes', async () => {
      const result = await write(async (w) => {
        await w.insert('role', ACCOUNT, 'Mine', { n: 1 });
        return { seen: await w.get('role', ACCOUNT, 'mine'), count: await w.count('role', ACCOUNT) };
      });
      assert.deepEqual(result, { seen: { n: 1 }, count: 1 });
    });

    it('a throw inside write rolls back every insert, put and delete it made and rejects with that error', async () => {
      await write(async (w) => {
        await w.insert('role', ACCOUNT, 'Kept', { n: 1 });
        await w.insert('role', ACCOUNT, 'Doomed', { n: 1 });
      });
      const failure = new Error('the operation failed half-way');
      await assert.rejects(
        write(async (w) => {
          await w.insert('role', ACCOUNT, 'New', { n: 1 });
          await w.insert('user', OTHER_ACCOUNT, 'NewUser', { n: 1 });
          await w.put('role', ACCOUNT, 'Kept', { n: 2 });
          assert.equal(await w.delete('role', ACCOUNT, 'Doomed'), true);
          throw failure;
        }),
        (error: unknown) => error === failure,
      );
      await store.read(async (r) => {
        assert.equal(await r.get('role', ACCOUNT, 'New'), undefined);
        assert.equal(await r.get('user', OTHER_ACCOUNT, 'NewUser'), undefined);
        assert.deepEqual(await r.get('role', ACCOUNT, 'Kept'), { n: 1 });
        assert.deepEqual(await r.get('role', ACCOUNT, 'Doomed'), { n: 1 });
      });
    });

    it('concurrent writes are independent: one failing among many rolls back only itself (SQLite commits them as a group)', async () => {
      const failure = new Error('this unit fails');
      const results = await Promise.allSettled([
        write((w) => w.insert('role', ACCOUNT, 'First', { n: 1 })),
        write(async (w) => {
          await w.insert('role', ACCOUNT, 'Failing', { n: 1 });
          throw failure;
        }),
        write((w) => w.insert('role', ACCOUNT, 'Third', { n: 3 })),
        write((w) => w.insert('role', ACCOUNT, 'first', { n: 4 })),
        store.appendAudit([]),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled'],
      );
      assert.equal((results[1] as PromiseRejectedResult).reason, failure);
      assert.ok((results[3] as PromiseRejectedResult).reason instanceof EntityConflictError);
      await store.read(async (r) => {
        assert.deepEqual(await r.get('role', ACCOUNT, 'First'), { n: 1 });
        assert.equal(await r.get('role', ACCOUNT, 'Failing'), undefined);
        assert.deepEqual(await r.get('role', ACCOUNT, 'Third'), { n: 3 });
      });
    });

    it('a conflicting insert rolls back the whole write when the conflict is not caught', async () => {
      await write((w) => w.insert('role', ACCOUNT, 'Taken', { n: 1 }));
      await assert.rejects(
        write(async (w) => {
          await w.insert('policy', ACCOUNT, 'WrittenFirst', { n: 1 });
          await w.insert('role', ACCOUNT, 'TAKEN', { n: 2 });
        }),
        EntityConflictError,
      );
      assert.equal(await store.read((r) => r.get('policy', ACCOUNT, 'WrittenFirst')), undefined);
    });

    it('a caught insert conflict leaves the transaction usable', async () => {
      await write((w) => w.insert('role', ACCOUNT, 'Taken', { n: 1 }));
      await write(async (w) => {
        await assert.rejects(w.insert('role', ACCOUNT, 'taken', { n: 2 }), EntityConflictError);
        await w.insert('role', ACCOUNT, 'Fallback', { n: 3 });
      });
      assert.deepEqual(await store.read((r) => r.get('role', ACCOUNT, 'Fallback')), { n: 3 });
      assert.deepEqual(await store.read((r) => r.get('role', ACCOUNT, 'Taken')), { n: 1 });
    });

    it('a read sees one snapshot: a write committed by another store meanwhile is not visible inside it', async () => {
      await write(async (w) => {
        await w.insert('role', ACCOUNT, 'Watched', { v: 'before' });
        await w.insert('role', ACCOUNT, 'Other', { v: 'before' });
      });
      const other = await harness.open();
      try {
        const seen = await store.read(async (r) => {
          const first = await r.get('role', ACCOUNT, 'Watched');
          await other.write(async (w) => {
            await w.put('role', ACCOUNT, 'Watched', { v: 'after' });
            await w.delete('role', ACCOUNT, 'Other');
            await w.insert('role', ACCOUNT, 'Added', { v: 'after' });
          });
          return {
            first,
            second: await r.get('role', ACCOUNT, 'Watched'),
            other: await r.get('role', ACCOUNT, 'Other'),
            count: await r.count('role', ACCOUNT),
            listed: await r.list('role', ACCOUNT),
          };
        });
        assert.deepEqual(seen, {
          first: { v: 'before' },
          second: { v: 'before' },
          other: { v: 'before' },
          count: 2,
          listed: [{ v: 'before' }, { v: 'before' }],
        });
        assert.deepEqual(await store.read((r) => r.get('role', ACCOUNT, 'Watched')), { v: 'after' }, 'the next read sees the commit');
      } finally {
        await other.close();
      }
    });

    it('concurrent read-modify-write units on one store lose no update', async () => {
      await write((w) => w.put('setting', ACCOUNT, 'counter', { n: 0 }));
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          write(async (w) => {
            const counter = await w.get<{ n: number }>('setting', ACCOUNT, 'counter');
            await w.put('setting', ACCOUNT, 'counter', { n: counter!.n + 1 });
            await w.insert('role', ACCOUNT, `worker-${i}`, { i });
          }),
        ),
      );
      assert.deepEqual(await store.read((r) => r.get('setting', ACCOUNT, 'counter')), { n: 10 });
      assert.equal(await store.read((r) => r.count('role', ACCOUNT)), 10);
    });
  });

  describe('audit log', () => {
    const event = (n: number, fields: Partial<AuditRecord> = {}): AuditRecord => ({
      eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      eventTime: `2024-05-01T10:00:${String(n).padStart(2, '0')}Z`,
      accountId: ACCOUNT,
      principalArn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      eventName: 'GetRole',
      event: { eventVersion: '1.08', eventSource: 'iam.amazonaws.com', requestParameters: { roleName: `r${n}` }, n },
      ...fields,
    });
    const bob = `arn:aws:iam::${ACCOUNT}:user/bob`;
    const records = [
      event(1),
      event(2, { eventName: 'CreateRole', errorCode: 'EntityAlreadyExists' }),
      event(3, { principalArn: bob }),
      event(4, { principalArn: bob, eventName: 'CreateRole' }),
      event(5, { errorCode: 'AccessDenied', accountId: OTHER_ACCOUNT }),
    ];
    const ids = (found: AuditRecord[]) => found.map((record) => record.event.n);

    beforeEach(async () => {
      await store.appendAudit(records.slice(0, 2));
      await store.appendAudit(records.slice(2));
    });

    it('returns every appended record, whole and oldest first, with errorCode only when there was an error', async () => {
      const found = await store.queryAudit({});
      assert.deepEqual(found, records);
      assert.equal('errorCode' in found[0]!, false);
    });

    it('filters by principal, by event name, by inclusive time range and to errors only', async () => {
      assert.deepEqual(ids(await store.queryAudit({ principalArn: bob })), [3, 4]);
      assert.deepEqual(ids(await store.queryAudit({ eventName: 'CreateRole' })), [2, 4]);
      assert.deepEqual(ids(await store.queryAudit({ from: '2024-05-01T10:00:02Z' })), [2, 3, 4, 5]);
      assert.deepEqual(ids(await store.queryAudit({ to: '2024-05-01T10:00:02Z' })), [1, 2]);
      assert.deepEqual(ids(await store.queryAudit({ from: '2024-05-01T10:00:02Z', to: '2024-05-01T10:00:04Z' })), [2, 3, 4]);
      assert.deepEqual(ids(await store.queryAudit({ errorsOnly: true })), [2, 5]);
    });

    it('combines filters and applies the limit to the oldest matches', async () => {
      assert.deepEqual(ids(await store.queryAudit({ principalArn: bob, eventName: 'CreateRole' })), [4]);
      assert.deepEqual(ids(await store.queryAudit({ eventName: 'CreateRole', errorsOnly: true })), [2]);
      assert.deepEqual(ids(await store.queryAudit({ limit: 2 })), [1, 2]);
      assert.deepEqual(ids(await store.queryAudit({ principalArn: bob, limit: 1 })), [3]);
      assert.deepEqual(ids(await store.queryAudit({ eventName: 'DeleteRole' })), []);
    });

    it('appends a batch atomically: a batch with a record the table refuses (no event name) stores none of its records', async () => {
      await store.appendAudit([]);
      const nameless = { ...event(7), eventName: null } as unknown as AuditRecord;
      await assert.rejects(store.appendAudit([event(6), nameless]));
      assert.deepEqual(ids(await store.queryAudit({})), [1, 2, 3, 4, 5]);
    });
  });

  describe('lifecycle', () => {
    it('reset deletes every entity and audit event, and the store keeps working', async () => {
      await write(async (w) => {
        await w.insert('role', ACCOUNT, 'Gone', {});
        await w.insert('accessKey', OTHER_ACCOUNT, 'AKIAGONE', {});
      });
      await store.appendAudit([
        { eventId: 'e-reset', eventTime: '2024-01-01T00:00:00Z', accountId: ACCOUNT, principalArn: 'p', eventName: 'x', event: {} },
      ]);
      await store.reset();
      assert.equal(await store.read((r) => r.count('role', ACCOUNT)), 0);
      assert.equal(await store.read((r) => r.find('accessKey', 'AKIAGONE')), undefined);
      assert.deepEqual(await store.queryAudit({}), []);
      await write((w) => w.insert('role', ACCOUNT, 'Gone', { again: true }));
      assert.deepEqual(await store.read((r) => r.get('role', ACCOUNT, 'Gone')), { again: true });
    });

    it('data written and acknowledged survives close and reopen', async () => {
      const first = await harness.open();
      await first.write((w) => w.insert('role', ACCOUNT, 'Durable', { RoleName: 'Durable' }));
      await first.appendAudit([
        { eventId: 'e-durable', eventTime: '2024-01-01T00:00:00Z', accountId: ACCOUNT, principalArn: 'p', eventName: 'CreateRole', event: { ok: 1 } },
      ]);
      await first.close();
      const reopened = await harness.open();
      try {
        assert.deepEqual(await reopened.read((r) => r.get('role', ACCOUNT, 'durable')), { RoleName: 'Durable' });
        assert.deepEqual((await reopened.queryAudit({})).map((record) => record.eventId), ['e-durable']);
      } finally {
        await reopened.close();
      }
    });

    it('migrations are recorded once and reopening applies none again', async () => {
      const versions = harness.migrations.map((migration) => migration.version);
      assert.deepEqual(await harness.appliedMigrations(), versions, 'the schema is migrated before the store is handed out');
      for (let i = 0; i < 2; i++) await (await harness.open()).close();
      assert.deepEqual(await harness.appliedMigrations(), versions);
      await write((w) => w.insert('role', ACCOUNT, 'AfterReopen', {}));
      assert.equal(await store.read((r) => r.count('role', ACCOUNT)), 1);
    });
  });
}

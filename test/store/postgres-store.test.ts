/**
 * The store contract against PostgreSQL (a fresh database on the server of ROLECALL_TEST_DATABASE_URL),
 * plus what only a shared database has: several replicas, each with its own pool, writing at once. The
 * issue's rule: two servers creating the same role name at once → exactly one succeeds, the other gets
 * EntityAlreadyExists (iam/ maps EntityConflictError to it), and nothing is half-written.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import { POSTGRES_MIGRATIONS } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/open-store.js';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { EntityConflictError, type Store, type StoreWriter } from '../../src/store/types.js';
import { createTestDatabase, type TestDatabase } from './pg-test-database.js';
import { assertTrustIndexBackfilled, defineStoreSuite, ROLES_BEFORE_TRUST_INDEX } from './store-suite.js';

const ACCOUNT = '123456789012';
const BULK_TRUSTED = 'arn:aws:iam::333333333333:role/bulk-trusted';

async function appliedMigrations(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    return result.rows.map((row) => row.version);
  } finally {
    await client.end();
  }
}

async function increment(w: StoreWriter): Promise<void> {
  const counter = await w.get<{ n: number }>('setting', ACCOUNT, 'counter');
  await w.put('setting', ACCOUNT, 'counter', { n: (counter?.n ?? 0) + 1 });
}

const counterValue = (store: Store) => store.read((r) => r.get<{ n: number }>('setting', ACCOUNT, 'counter'));

describe('PostgresStore', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });

  describe('the Store contract', () => {
    defineStoreSuite({
      open: () => openStore({ databaseUrl: database.url }),
      migrations: POSTGRES_MIGRATIONS,
      appliedMigrations: () => appliedMigrations(database.url),
    });
  });

  describe('two replicas on one database', () => {
    let a: Store;
    let b: Store;
    before(async () => {
      a = await openStore({ databaseUrl: database.url });
      b = await openStore({ databaseUrl: database.url });
    });
    after(async () => {
      await a?.close();
      await b?.close();
    });
    beforeEach(async () => {
      await a.reset();
    });

    it('racing to create the same name 20 times: exactly one wins each race, the other gets EntityConflictError', async () => {
      for (let race = 0; race < 20; race++) {
        // Like IAM's CreateRole: look the name up first, then insert; each replica spells the name differently.
        const create = (store: Store, name: string, spelling: string) =>
          store.write(async (w) => {
            if (await w.get('role', ACCOUNT, spelling)) throw new EntityConflictError('role', ACCOUNT, spelling);
            await w.insert('role', ACCOUNT, spelling, { RoleName: spelling, createdBy: name });
            return name;
          });
        const outcomes = await Promise.allSettled([create(a, 'a', `Race${race}`), create(b, 'b', `RACE${race}`)]);
        const winners = outcomes.filter((o): o is PromiseFulfilledResult<string> => o.status === 'fulfilled');
        const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        assert.equal(winners.length, 1, `race ${race}: ${JSON.stringify(outcomes.map((o) => o.status))}`);
        assert.ok(losers[0]!.reason instanceof EntityConflictError, `race ${race}: loser got ${String(losers[0]!.reason)}`);
        const stored = await a.read((r) => r.get<{ createdBy: string }>('role', ACCOUNT, `race${race}`));
        assert.equal(stored?.createdBy, winners[0]!.value, `race ${race}: the stored role is the winner's`);
      }
      assert.equal(await a.read((r) => r.count('role', ACCOUNT)), 20);
    });

    it('racing plain inserts of one key: one succeeds, the others get EntityConflictError', async () => {
      for (let race = 0; race < 20; race++) {
        const outcomes = await Promise.allSettled(
          [a, b, a, b].map((store, i) => store.write((w) => w.insert('user', ACCOUNT, `user${race}`, { writer: i }))),
        );
        const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        assert.equal(outcomes.length - rejected.length, 1, `race ${race}`);
        for (const loser of rejected) assert.ok(loser.reason instanceof EntityConflictError, String(loser.reason));
        const winner = outcomes.findIndex((o) => o.status === 'fulfilled');
        assert.deepEqual(await b.read((r) => r.get('user', ACCOUNT, `USER${race}`)), { writer: winner });
      }
    });

    it('concurrent read-modify-write increments of one entity from both replicas lose no update', async () => {
      await a.write((w) => w.put('setting', ACCOUNT, 'counter', { n: 0 }));
      await Promise.all([a, b].flatMap((store) => Array.from({ length: 10 }, () => store.write(increment))));
      assert.deepEqual(await counterValue(b), { n: 20 });
    });
  });

  describe('serialization failures', () => {
    let other: Store;
    before(async () => {
      other = await openStore({ databaseUrl: database.url });
    });
    after(async () => {
      await other?.close();
    });
    beforeEach(async () => {
      await other.reset();
    });

    it('a write that lost a serialization conflict runs its work again and then commits', async () => {
      const store = await PostgresStore.open(database.url);
      try {
        await store.write((w) => w.put('setting', ACCOUNT, 'counter', { n: 0 }));
        let attempts = 0;
        await store.write(async (w) => {
          attempts++;
          const counter = await w.get<{ n: number }>('setting', ACCOUNT, 'counter');
          // Another replica updates the row this transaction has read: its own update then cannot serialize.
          if (attempts === 1) await other.write(increment);
          await w.put('setting', ACCOUNT, 'counter', { n: counter!.n + 1 });
        });
        assert.equal(attempts, 2);
        assert.deepEqual(await counterValue(store), { n: 2 });
      } finally {
        await store.close();
      }
    });

    it('gives up after maxWriteAttempts with PostgreSQL serialization failure (40001), having written nothing', async () => {
      const store = await PostgresStore.open(database.url, { maxWriteAttempts: 3 });
      try {
        await store.write((w) => w.put('setting', ACCOUNT, 'counter', { n: 0 }));
        let attempts = 0;
        await assert.rejects(
          store.write(async (w) => {
            attempts++;
            const counter = await w.get<{ n: number }>('setting', ACCOUNT, 'counter');
            await w.insert('role', ACCOUNT, `half-written-${attempts}`, {});
            await other.write(increment);
            await w.put('setting', ACCOUNT, 'counter', { n: counter!.n + 100 });
          }),
          (error: { code?: string }) => error.code === '40001',
        );
        assert.equal(attempts, 3);
        assert.deepEqual(await counterValue(store), { n: 3 }, 'only the other replica’s three increments');
        assert.equal(await store.read((r) => r.count('role', ACCOUNT)), 0);
      } finally {
        await store.close();
      }
    });

    it('an insert that conflicts with a row committed after the snapshot surfaces as EntityConflictError', async () => {
      const store = await PostgresStore.open(database.url);
      try {
        let attempts = 0;
        await assert.rejects(
          store.write(async (w) => {
            attempts++;
            if (attempts === 1) {
              assert.equal(await w.get('role', ACCOUNT, 'Contested'), undefined);
              await other.write((o) => o.insert('role', ACCOUNT, 'Contested', { by: 'other' }));
            }
            await w.insert('role', ACCOUNT, 'CONTESTED', { by: 'store' });
          }),
          EntityConflictError,
        );
        // The first attempt cannot see the other row (a serialization failure, retried); the second can.
        assert.equal(attempts, 2);
        assert.deepEqual(await store.read((r) => r.get('role', ACCOUNT, 'contested')), { by: 'other' });
      } finally {
        await store.close();
      }
    });

    it('errors of the work itself are not retried', async () => {
      let attempts = 0;
      await assert.rejects(
        other.write(async () => {
          attempts++;
          throw new Error('validation failed');
        }),
        /validation failed/,
      );
      assert.equal(attempts, 1);
    });
  });

  describe('migrations', () => {
    it('replicas starting at once on an empty database migrate it exactly once', async () => {
      const fresh = await createTestDatabase();
      try {
        const stores = await Promise.all(Array.from({ length: 6 }, () => PostgresStore.open(fresh.url)));
        await Promise.all(stores.map((store) => store.close()));
        assert.deepEqual(
          await appliedMigrations(fresh.url),
          POSTGRES_MIGRATIONS.map((migration) => migration.version),
        );
      } finally {
        await fresh.drop();
      }
    });
    it('version 3 builds the reverse index of trusted users and roles from the roles a version 2 database holds', async () => {
      const old = await createTestDatabase();
      try {
        const client = new pg.Client({ connectionString: old.url });
        await client.connect();
        try {
          await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
          for (const migration of POSTGRES_MIGRATIONS.filter((m) => m.version <= 2)) {
            await client.query(migration.sql);
            await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
          }
          for (const [account, key, value] of ROLES_BEFORE_TRUST_INDEX) {
            await client.query("INSERT INTO entities (kind, account, key_lower, value) VALUES ('role', $1, $2, $3::jsonb)", [account, key, JSON.stringify(value)]);
          }
          // Enough roles that the backfill reads them in several pages.
          await client.query(
            `INSERT INTO entities (kind, account, key_lower, value)
             SELECT 'role', '333333333333', 'bulk-' || n, jsonb_build_object('RoleName', 'bulk-' || n, 'AssumeRolePolicyDocument', $1::text)
             FROM generate_series(1, 1234) AS n`,
            [JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: BULK_TRUSTED }, Action: 'sts:AssumeRole' }] })],
          );
        } finally {
          await client.end();
        }
        const store = await PostgresStore.open(old.url);
        try {
          await assertTrustIndexBackfilled(store);
          assert.equal((await store.read((r) => r.rolesTrusting(BULK_TRUSTED))).length, 1234);
        } finally {
          await store.close();
        }
      } finally {
        await old.drop();
      }
    });
  });

  describe('openStore and connections', () => {
    it('accepts both postgres:// and postgresql:// URLs', async () => {
      for (const url of [database.url, database.url.replace(/^postgres:/, 'postgresql:')]) {
        const store = await openStore({ databaseUrl: url, dataDir: '/nonexistent' });
        try {
          assert.equal(store.backend, 'postgres');
        } finally {
          await store.close();
        }
      }
    });

    it('fails to open when the server is unreachable', async () => {
      await assert.rejects(PostgresStore.open('postgres://postgres@127.0.0.1:1/rolecall'), /ECONNREFUSED/);
    });

    it('stores a NUL character, which PostgreSQL text cannot hold, as U+FFFD instead of failing the write', async () => {
      const store = await PostgresStore.open(database.url);
      try {
        await store.reset();
        await store.appendAudit([
          {
            eventId: 'e-nul',
            eventTime: '2024-01-01T00:00:00Z',
            accountId: ACCOUNT,
            principalArn: 'p',
            eventName: 'CreateRole',
            errorCode: 'ValidationError',
            event: { requestParameters: { roleName: 'a\u0000b', 'odd\u0000key': ['\u0000'], literal: '\\u0000' } },
          },
        ]);
        const [stored] = await store.queryAudit({});
        assert.deepEqual(stored?.event, { requestParameters: { roleName: 'a\uFFFDb', 'odd\uFFFDkey': ['\uFFFD'], literal: '\\u0000' } });
      } finally {
        await store.close();
      }
    });
  });

  after(async () => {
    await database?.drop();
  });
});

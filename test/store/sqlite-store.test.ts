/**
 * The store contract against the embedded backend: a SQLite file in a temporary data folder, opened
 * through openStore as `rolecall serve --data DIR` does.
 */
import assert from 'node:assert/strict';
import { Database } from '../../src/store/sqlite-driver.js';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SQLITE_MIGRATIONS } from '../../src/store/migrations.js';
import { openStore, sqliteFile } from '../../src/store/open-store.js';
import { assertTrustIndexBackfilled, defineStoreSuite, ROLES_BEFORE_TRUST_INDEX } from './store-suite.js';

describe('SqliteStore', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'rolecall-store-'));
  });
  after(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('the Store contract', () => {
    defineStoreSuite({
      open: () => openStore({ dataDir }),
      migrations: SQLITE_MIGRATIONS,
      appliedMigrations: async () => {
        const db = new Database(sqliteFile(dataDir), { readonly: true });
        try {
          return (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>).map((row) => row.version);
        } finally {
          db.close();
        }
      },
    });
  });

  describe('the SQLite file', () => {
    it('lives at <dataDir>/rolecall.db, created with its folder on first open', async () => {
      const nested = join(dataDir, 'not', 'yet', 'there');
      const store = await openStore({ dataDir: nested });
      try {
        assert.equal(store.backend, 'sqlite');
        assert.ok(existsSync(join(nested, 'rolecall.db')));
      } finally {
        await store.close();
      }
    });

    it('is in WAL mode, which persists in the file for every later connection', async () => {
      const store = await openStore({ dataDir });
      await store.close();
      const db = new Database(sqliteFile(dataDir), { readonly: true });
      try {
        assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      } finally {
        db.close();
      }
    });
  });

  describe('migrations', () => {
    it('version 2 rebuilds a version 1 audit table in place: every event kept, in order, and appends go on after them', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'rolecall-v1-'));
      try {
        const db = new Database(sqliteFile(folder));
        db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
        db.exec(SQLITE_MIGRATIONS[0]!.sql);
        db.prepare('INSERT INTO schema_migrations VALUES (1, ?)').run(new Date().toISOString());
        const insert = db.prepare('INSERT INTO audit_events (event_id, event_time, account_id, principal_arn, event_name, error_code, event) VALUES (?, ?, ?, ?, ?, ?, ?)');
        insert.run('e-1', '2026-01-01T00:00:00Z', '123456789012', 'arn:aws:iam::123456789012:root', 'CreateRole', null, '{"n":1}');
        insert.run('e-2', '2026-01-01T00:00:01Z', '123456789012', 'arn:aws:iam::123456789012:root', 'DeleteRole', 'NoSuchEntity', '{"n":2}');
        db.close();

        const store = await openStore({ dataDir: folder });
        try {
          await store.appendAudit([{ eventId: 'e-3', eventTime: '2026-01-01T00:00:02Z', accountId: '123456789012', principalArn: 'arn:aws:iam::123456789012:root', eventName: 'GetRole', event: { n: 3 } }]);
          const events = await store.queryAudit({});
          assert.deepEqual(events.map((e) => [e.eventId, e.eventName, e.errorCode, e.event]), [
            ['e-1', 'CreateRole', undefined, { n: 1 }],
            ['e-2', 'DeleteRole', 'NoSuchEntity', { n: 2 }],
            ['e-3', 'GetRole', undefined, { n: 3 }],
          ]);
        } finally {
          await store.close();
        }
        const after = new Database(sqliteFile(folder), { readonly: true });
        try {
          const indexes = (after.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_events' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
          assert.deepEqual(indexes, ['audit_by_principal', 'audit_by_time'], 'no unique index on the random event ids any more');
        } finally {
          after.close();
        }
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
    it('version 3 builds the reverse index of trusted users and roles from the roles a version 2 database holds', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'rolecall-v2-'));
      try {
        const db = new Database(sqliteFile(folder));
        db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
        for (const migration of SQLITE_MIGRATIONS.filter((m) => m.version <= 2)) {
          db.exec(migration.sql);
          db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(migration.version, new Date().toISOString());
        }
        const insert = db.prepare("INSERT INTO entities (kind, account, key_lower, value) VALUES ('role', ?, ?, ?)");
        for (const [account, key, value] of ROLES_BEFORE_TRUST_INDEX) insert.run(account, key, JSON.stringify(value));
        db.close();

        const store = await openStore({ dataDir: folder });
        try {
          await assertTrustIndexBackfilled(store);
        } finally {
          await store.close();
        }
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });

  describe('reads', () => {
    it("see another connection's commit once the turn of the event loop that began their snapshot is over", async () => {
      const folder = mkdtempSync(join(tmpdir(), 'rolecall-snapshot-'));
      const store = await openStore({ dataDir: folder });
      try {
        await store.write((tx) => tx.put('role', '123456789012', 'app', { v: 1 }));
        assert.deepEqual(await store.read((r) => r.get('role', '123456789012', 'app')), { v: 1 });
        // A second process (the CLI, say) changes the file directly.
        const other = new Database(sqliteFile(folder));
        other.prepare("UPDATE entities SET value = '{\"v\":2}' WHERE kind = 'role' AND key_lower = 'app'").run();
        other.close();
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setImmediate(resolve));
        assert.deepEqual(await store.read((r) => r.get('role', '123456789012', 'app')), { v: 2 });
        // And this process's own acknowledged write is visible to the very next read.
        await store.write((tx) => tx.put('role', '123456789012', 'app', { v: 3 }));
        assert.deepEqual(await store.read((r) => r.get('role', '123456789012', 'app')), { v: 3 });
      } finally {
        await store.close();
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });

  describe('openStore', () => {
    it('defaults to .rolecall/rolecall.db under the current directory', async () => {
      const workDir = mkdtempSync(join(tmpdir(), 'rolecall-cwd-'));
      const previous = process.cwd();
      process.chdir(workDir);
      try {
        const store = await openStore();
        await store.close();
        assert.ok(existsSync(join(workDir, '.rolecall', 'rolecall.db')));
      } finally {
        process.chdir(previous);
        rmSync(workDir, { recursive: true, force: true });
      }
    });

    it('rejects a database URL that is not PostgreSQL without echoing the rest of the URL', async () => {
      await assert.rejects(openStore({ dataDir, databaseUrl: 'mysql://admin:s3cret@db.example.com/iam' }), (error: Error) => {
        assert.match(error.message, /Unsupported database URL scheme "mysql"/);
        assert.doesNotMatch(error.message, /s3cret/);
        return true;
      });
    });
  });
});

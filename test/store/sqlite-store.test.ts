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
import { defineStoreSuite } from './store-suite.js';

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

/**
 * Versioned schema migrations, applied in order on start and recorded in `schema_migrations`. Never edit
 * a released migration: add the next version.
 */
import type pg from 'pg';
import { arnsTrustedByRole } from '../model/trust-principals.js';
import type { SqliteDatabase } from './sqlite-driver.js';

export interface Migration<Connection = unknown> {
  version: number;
  sql: string;
  /** Runs after `sql`, in its transaction: fills what SQL cannot compute from the stored JSON. */
  backfill?(connection: Connection): void | Promise<void>;
}

/** One role trusting one user or role ARN: a row of the reverse index `role_trust_principals`. */
type TrustIndexRow = [account: string, roleKey: string, principal: string];

/** The reverse-index rows of stored roles. */
function trustIndexRows(roles: Iterable<{ account: string; key_lower: string; value: unknown }>): TrustIndexRow[] {
  const rows: TrustIndexRow[] = [];
  for (const role of roles) {
    const value = typeof role.value === 'string' ? (JSON.parse(role.value) as unknown) : role.value;
    for (const principal of arnsTrustedByRole(value)) rows.push([role.account, role.key_lower, principal]);
  }
  return rows;
}

export const SQLITE_MIGRATIONS: readonly Migration<SqliteDatabase>[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE entities (
        kind TEXT NOT NULL,
        account TEXT NOT NULL,
        key_lower TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (kind, account, key_lower)
      ) WITHOUT ROWID;
      CREATE INDEX entities_by_key ON entities (kind, key_lower);
      CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        event_time TEXT NOT NULL,
        account_id TEXT NOT NULL,
        principal_arn TEXT NOT NULL,
        event_name TEXT NOT NULL,
        error_code TEXT,
        event TEXT NOT NULL
      );
      CREATE INDEX audit_by_time ON audit_events (event_time);
      CREATE INDEX audit_by_principal ON audit_events (principal_arn, seq);
    `,
  },
  {
    // Every session and change appends audit events, so each page an append touches costs. Event ids are
    // random UUIDs: the UNIQUE index on them put each event on a random page and was never queried, and
    // AUTOINCREMENT rewrote sqlite_sequence on every append where the rowid's max+1 keeps the same order.
    version: 2,
    sql: `
      CREATE TABLE audit_events_v2 (
        seq INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL,
        event_time TEXT NOT NULL,
        account_id TEXT NOT NULL,
        principal_arn TEXT NOT NULL,
        event_name TEXT NOT NULL,
        error_code TEXT,
        event TEXT NOT NULL
      );
      INSERT INTO audit_events_v2 SELECT seq, event_id, event_time, account_id, principal_arn, event_name, error_code, event FROM audit_events ORDER BY seq;
      DROP TABLE audit_events;
      ALTER TABLE audit_events_v2 RENAME TO audit_events;
      CREATE INDEX audit_by_time ON audit_events (event_time);
      CREATE INDEX audit_by_principal ON audit_events (principal_arn, seq);
    `,
  },
  {
    // DeleteUser and DeleteRole rewrite the trust policies naming the deleted ARN (iam/deleted-principals.ts).
    // Finding them read every role of every account; this reverse index, kept by each role write
    // (model/trust-principals.ts says what it holds), gives them directly. Filled from the roles stored.
    version: 3,
    sql: `
      CREATE TABLE role_trust_principals (
        principal TEXT NOT NULL,
        account TEXT NOT NULL,
        role_key TEXT NOT NULL,
        PRIMARY KEY (principal, account, role_key)
      ) WITHOUT ROWID;
      CREATE INDEX role_trust_principals_by_role ON role_trust_principals (account, role_key);
    `,
    backfill(db) {
      // better-sqlite3 runs no statement while an iteration is open: collect the (small) rows, then insert.
      const roles = db.prepare("SELECT account, key_lower, value FROM entities WHERE kind = 'role'").iterate() as Iterable<{ account: string; key_lower: string; value: string }>;
      const insert = db.prepare('INSERT OR IGNORE INTO role_trust_principals (account, role_key, principal) VALUES (?, ?, ?)');
      for (const row of trustIndexRows(roles)) insert.run(...row);
    },
  },
];

/** Roles read per query while PostgreSQL's reverse index is filled, so a large store is not loaded at once. */
const BACKFILL_PAGE = 500;

/**
 * Keys and event times sort with the "C" collation whatever the database's default: list order and
 * pagination markers are byte (code point) order, as in SQLite and in iam/pagination.ts, where a
 * natural-language collation would put `a_b` before `a-b` and break markers between replicas.
 */
export const POSTGRES_MIGRATIONS: readonly Migration<pg.ClientBase>[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE entities (
        kind TEXT NOT NULL,
        account TEXT NOT NULL,
        key_lower TEXT COLLATE "C" NOT NULL,
        value JSONB NOT NULL,
        PRIMARY KEY (kind, account, key_lower)
      );
      CREATE INDEX entities_by_key ON entities (kind, key_lower);
      CREATE TABLE audit_events (
        seq BIGSERIAL PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        event_time TEXT COLLATE "C" NOT NULL,
        account_id TEXT NOT NULL,
        principal_arn TEXT NOT NULL,
        event_name TEXT NOT NULL,
        error_code TEXT,
        event JSONB NOT NULL
      );
      CREATE INDEX audit_by_time ON audit_events (event_time);
      CREATE INDEX audit_by_principal ON audit_events (principal_arn, seq);
    `,
  },
  {
    // As SQLite's version 2: event ids are random UUIDs, and their unique index cost every append an
    // index insertion on a random page without ever serving a query.
    version: 2,
    sql: 'ALTER TABLE audit_events DROP CONSTRAINT IF EXISTS audit_events_event_id_key;',
  },
  {
    // As SQLite's version 3: the reverse index from a trusted user or role ARN to the roles naming it.
    version: 3,
    sql: `
      CREATE TABLE role_trust_principals (
        principal TEXT COLLATE "C" NOT NULL,
        account TEXT NOT NULL,
        role_key TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (principal, account, role_key)
      );
      CREATE INDEX role_trust_principals_by_role ON role_trust_principals (account, role_key);
    `,
    async backfill(client) {
      let after = { account: '', key: '' };
      for (;;) {
        const page = await client.query<{ account: string; key_lower: string; value: unknown }>(
          `SELECT account, key_lower, value FROM entities WHERE kind = 'role' AND (account, key_lower) > ($1, $2)
           ORDER BY account, key_lower LIMIT ${BACKFILL_PAGE}`,
          [after.account, after.key],
        );
        const rows = trustIndexRows(page.rows);
        if (rows.length > 0) {
          await client.query(
            `INSERT INTO role_trust_principals (account, role_key, principal)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
            [rows.map((row) => row[0]), rows.map((row) => row[1]), rows.map((row) => row[2])],
          );
        }
        if (page.rows.length < BACKFILL_PAGE) return;
        const last = page.rows[page.rows.length - 1]!;
        after = { account: last.account, key: last.key_lower };
      }
    },
  },
];

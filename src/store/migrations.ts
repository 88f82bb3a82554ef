/**
 * Versioned schema migrations, applied in order on start and recorded in `schema_migrations`. Never edit
 * a released migration: add the next version.
 */

export interface Migration {
  version: number;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
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
];

/**
 * Keys and event times sort with the "C" collation whatever the database's default: list order and
 * pagination markers are byte (code point) order, as in SQLite and in iam/pagination.ts, where a
 * natural-language collation would put `a_b` before `a-b` and break markers between replicas.
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
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
];

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
];

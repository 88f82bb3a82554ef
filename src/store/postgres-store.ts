/**
 * The shared store: PostgreSQL through a `pg` pool, so several Rolecall replicas can serve one database.
 * Every write is one SERIALIZABLE transaction on one connection, run again when PostgreSQL reports that
 * it conflicted with another replica's; every read is one REPEATABLE READ snapshot. Semantics match
 * SqliteStore: the same suite (test/store/store-suite.ts) runs against both.
 */
import pg from 'pg';
import { arnsTrustedByRole } from '../model/trust-principals.js';
import { POSTGRES_MIGRATIONS, type Migration } from './migrations.js';
import { auditFromRow, type AuditRow } from './sqlite-store.js';
import {
  EntityConflictError,
  type AuditFilter,
  type AuditRecord,
  type EntityKind,
  type ListOptions,
  type Store,
  type StoreReader,
  type StoreWriter,
} from './types.js';

export interface PostgresStoreOptions {
  /** Connections in this replica's pool (pg's default: 10). */
  poolSize?: number;
  /** How many times write() runs its work before giving up on serialization failures (default 30). */
  maxWriteAttempts?: number;
}

/** SQLSTATEs meaning "another transaction got in the way; running again may succeed". */
const RETRYABLE_CODES = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
const UNIQUE_VIOLATION = '23505';

/** Any 64-bit constant works; every replica must use the same one. ASCII "rolecall" as a bigint. */
const MIGRATION_LOCK_KEY = '8245928625453493356';

const DEFAULT_MAX_WRITE_ATTEMPTS = 30;
const BACKOFF_BASE_MS = 2;
const BACKOFF_CAP_MS = 100;

// Write transactions ask for a synchronous commit themselves, so a server configured with
// synchronous_commit=off still never acknowledges a write it could lose; SET LOCAL keeps it to this
// transaction, and sending it with BEGIN costs no extra round trip.
const BEGIN_WRITE = 'BEGIN ISOLATION LEVEL SERIALIZABLE; SET LOCAL synchronous_commit = on';
const BEGIN_READ = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

interface EntityRow {
  value: unknown;
}

export class PostgresStore implements Store {
  readonly backend = 'postgres' as const;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly maxWriteAttempts: number,
  ) {}

  /** Connects to the database at `url` and applies pending migrations before resolving. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize, application_name: 'rolecall' });
    // An idle connection dropped by the server (restart, failover) is an 'error' event on the pool; without a
    // listener it would crash the process. The pool discards that connection and opens a new one when needed.
    pool.on('error', () => undefined);
    try {
      await migrate(pool, POSTGRES_MIGRATIONS);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresStore(pool, Math.max(1, options.maxWriteAttempts ?? DEFAULT_MAX_WRITE_ATTEMPTS));
  }

  async read<R>(work: (reader: StoreReader) => Promise<R>): Promise<R> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(BEGIN_READ);
      const result = await work(readerOn(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      broken = await rollback(client);
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async write<R>(work: (writer: StoreWriter) => Promise<R>): Promise<R> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await client.query(BEGIN_WRITE);
          const result = await work(writerOn(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          broken = await rollback(client);
          // Only PostgreSQL's own verdicts are retried: EntityConflictError and the work's errors are answers.
          if (broken || !isRetryable(error) || attempt >= this.maxWriteAttempts) throw error;
          await sleep(backoff(attempt));
        }
      }
    } finally {
      client.release(broken);
    }
  }

  async appendAudit(records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    // One statement is one transaction: the whole batch is stored or none of it.
    await this.pool.query({
      name: 'rolecall-audit-append',
      text: `INSERT INTO audit_events (event_id, event_time, account_id, principal_arn, event_name, error_code, event)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[])`,
      values: [
        records.map((r) => r.eventId),
        records.map((r) => r.eventTime),
        records.map((r) => r.accountId),
        records.map((r) => r.principalArn),
        records.map((r) => r.eventName),
        records.map((r) => r.errorCode ?? null),
        records.map((r) => toJsonb(r.event)),
      ],
    });
  }

  async queryAudit(filter: AuditFilter): Promise<AuditRecord[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const condition = (sql: string, value: unknown): void => {
      values.push(value);
      where.push(sql.replace('?', `$${values.length}`));
    };
    if (filter.principalArn) condition('principal_arn = ?', filter.principalArn);
    if (filter.eventName) condition('event_name = ?', filter.eventName);
    if (filter.from) condition('event_time >= ?', filter.from);
    if (filter.to) condition('event_time <= ?', filter.to);
    if (filter.errorsOnly) where.push('error_code IS NOT NULL');
    values.push(filter.limit ?? null); // LIMIT NULL means no limit
    const sql = `SELECT event_id, event_time, account_id, principal_arn, event_name, error_code, event FROM audit_events${
      where.length ? ` WHERE ${where.join(' AND ')}` : ''
    } ORDER BY seq LIMIT $${values.length}`;
    const result = await this.pool.query<AuditRow>(sql, values);
    return result.rows.map(auditFromRow);
  }

  async reset(): Promise<void> {
    // DELETE rather than TRUNCATE: other replicas' open snapshots keep seeing a consistent state.
    // One simple-protocol query with two statements runs as one implicit transaction.
    await this.pool.query('DELETE FROM entities; DELETE FROM role_trust_principals; DELETE FROM audit_events');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/** Applies pending migrations under an advisory lock, so replicas starting together migrate once. */
async function migrate(pool: pg.Pool, migrations: readonly Migration<pg.ClientBase>[]): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // Session-level lock, held across the per-migration transactions below; it is released when the
    // session ends too, so a replica that dies mid-migration does not block the others forever.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const applied = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const done = new Set(applied.rows.map((row) => row.version));
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        try {
          await client.query('BEGIN');
          await client.query(migration.sql);
          await migration.backfill?.(client);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
          await client.query('COMMIT');
        } catch (error) {
          broken = await rollback(client);
          throw error;
        }
      }
    } finally {
      if (!broken) await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release(broken);
  }
}

function readerOn(client: pg.PoolClient): StoreReader {
  const rows = async <T>(name: string, text: string, values: unknown[]): Promise<T[]> =>
    (await client.query<EntityRow>({ name, text, values })).rows.map((row) => row.value as T);
  return {
    get: async <T>(kind: EntityKind, account: string, key: string) =>
      (
        await rows<T>('rolecall-get', 'SELECT value FROM entities WHERE kind = $1 AND account = $2 AND key_lower = $3', [
          kind,
          account,
          key.toLowerCase(),
        ])
      )[0],
    find: async <T>(kind: EntityKind, key: string) =>
      (await rows<T>('rolecall-find', 'SELECT value FROM entities WHERE kind = $1 AND key_lower = $2 LIMIT 1', [kind, key.toLowerCase()]))[0],
    list: async <T>(kind: EntityKind, account: string, options: ListOptions = {}) => {
      const after = options.after?.toLowerCase() ?? '';
      const containing = options.containing ?? [];
      if (containing.length === 0) {
        return rows<T>(
          'rolecall-list',
          'SELECT value FROM entities WHERE kind = $1 AND account = $2 AND key_lower > $3 ORDER BY key_lower LIMIT $4',
          [kind, account, after, options.limit ?? null],
        );
      }
      // jsonb's text form escapes as JSON.stringify does, so a string found there is found in the entity's JSON.
      const anyOf = containing.map((_, index) => `strpos(value::text, $${index + 4}) > 0`).join(' OR ');
      return rows<T>(
        `rolecall-list-containing-${containing.length}`,
        `SELECT value FROM entities WHERE kind = $1 AND account = $2 AND key_lower > $3 AND (${anyOf}) ORDER BY key_lower LIMIT $${containing.length + 4}`,
        [kind, account, after, ...containing, options.limit ?? null],
      );
    },
    count: async (kind: EntityKind, account: string) => {
      const result = await client.query<{ n: number }>({
        name: 'rolecall-count',
        text: 'SELECT COUNT(*)::integer AS n FROM entities WHERE kind = $1 AND account = $2',
        values: [kind, account],
      });
      return result.rows[0]!.n;
    },
    rolesTrusting: async <T>(principalArn: string) =>
      rows<T>(
        'rolecall-roles-trusting',
        `SELECT e.value FROM role_trust_principals t JOIN entities e ON e.kind = 'role' AND e.account = t.account AND e.key_lower = t.role_key
         WHERE t.principal = $1 ORDER BY t.account, t.role_key`,
        [principalArn],
      ),
  };
}

/**
 * A role's writes keep the reverse index `role_trust_principals` (migration 3) in the same statement, through
 * data-modifying CTEs: one round trip, and the index always agrees with the roles stored. `$5` is the
 * role's trusted user and role ARNs (model/trust-principals.ts).
 */
const ROLE_INSERT = `WITH saved AS (
    INSERT INTO entities (kind, account, key_lower, value) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT DO NOTHING RETURNING key_lower
  ), indexed AS (
    INSERT INTO role_trust_principals (account, role_key, principal) SELECT $2, saved.key_lower, principal FROM saved, unnest($5::text[]) AS principal
    ON CONFLICT DO NOTHING
  )
  SELECT key_lower FROM saved`;
const ROLE_PUT = `WITH saved AS (
    INSERT INTO entities (kind, account, key_lower, value) VALUES ($1, $2, $3, $4::jsonb)
    ON CONFLICT (kind, account, key_lower) DO UPDATE SET value = excluded.value
  ), stale AS (
    DELETE FROM role_trust_principals WHERE account = $2 AND role_key = $3 AND principal <> ALL($5::text[])
  )
  INSERT INTO role_trust_principals (account, role_key, principal) SELECT $2, $3, unnest($5::text[]) ON CONFLICT DO NOTHING`;
const ROLE_DELETE = `WITH unindexed AS (DELETE FROM role_trust_principals WHERE account = $2 AND role_key = $3)
  DELETE FROM entities WHERE kind = $1 AND account = $2 AND key_lower = $3`;

function writerOn(client: pg.PoolClient): StoreWriter {
  return {
    ...readerOn(client),
    insert: async <T>(kind: EntityKind, account: string, key: string, value: T) => {
      // ON CONFLICT DO NOTHING instead of catching the unique violation: a failed statement would abort the
      // whole transaction, while in SQLite (and for callers that catch the conflict) it must stay usable.
      // A conflict with a row this transaction's snapshot cannot see is still a serialization failure.
      const values = [kind, account, key.toLowerCase(), toJsonb(value)];
      let inserted: number | null;
      try {
        inserted = (
          kind === 'role'
            ? await client.query({ name: 'rolecall-insert-role', text: ROLE_INSERT, values: [...values, arnsTrustedByRole(value)] })
            : await client.query({
                name: 'rolecall-insert',
                text: 'INSERT INTO entities (kind, account, key_lower, value) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT DO NOTHING',
                values,
              })
        ).rowCount;
      } catch (error) {
        if (sqlState(error) === UNIQUE_VIOLATION) throw new EntityConflictError(kind, account, key);
        throw error;
      }
      if (inserted === 0) throw new EntityConflictError(kind, account, key);
    },
    put: async <T>(kind: EntityKind, account: string, key: string, value: T) => {
      const values = [kind, account, key.toLowerCase(), toJsonb(value)];
      if (kind === 'role') {
        await client.query({ name: 'rolecall-put-role', text: ROLE_PUT, values: [...values, arnsTrustedByRole(value)] });
        return;
      }
      await client.query({
        name: 'rolecall-put',
        text: `INSERT INTO entities (kind, account, key_lower, value) VALUES ($1, $2, $3, $4::jsonb)
               ON CONFLICT (kind, account, key_lower) DO UPDATE SET value = excluded.value`,
        values,
      });
    },
    delete: async (kind: EntityKind, account: string, key: string) => {
      const result = await client.query({
        name: kind === 'role' ? 'rolecall-delete-role' : 'rolecall-delete',
        text: kind === 'role' ? ROLE_DELETE : 'DELETE FROM entities WHERE kind = $1 AND account = $2 AND key_lower = $3',
        values: [kind, account, key.toLowerCase()],
      });
      return (result.rowCount ?? 0) > 0;
    },
  };
}

/** Rolls back after a failure; returns the error when the connection itself is unusable (to discard it). */
async function rollback(client: pg.PoolClient): Promise<Error | undefined> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * JSON text for a JSONB parameter. PostgreSQL text cannot hold U+0000, so a NUL in a string or key (only
 * reachable through input that validation rejects, yet recorded by the audit log) becomes U+FFFD instead
 * of failing the whole write.
 */
function toJsonb(value: unknown): string {
  const json = JSON.stringify(value);
  return json.includes('\\u0000') ? JSON.stringify(value, withoutNul) : json;
}

function withoutNul(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\0', '\uFFFD');
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).some((key) => key.includes('\0'))) {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key.replaceAll('\0', '\uFFFD'), field]));
  }
  return value;
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isRetryable(error: unknown): boolean {
  return RETRYABLE_CODES.has(sqlState(error) ?? '');
}

/** Exponential backoff with full jitter, so replicas that collided once do not collide again in step. */
function backoff(attempt: number): number {
  return Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

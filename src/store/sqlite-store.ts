/**
 * The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so a write is on disk before
 * its transaction resolves. better-sqlite3 is synchronous; transactions are serialized by an in-process
 * queue so that an async unit of work never interleaves with another on the shared connection.
 */
import { Database, type SqliteDatabase, type SqliteStatement as Statement } from './sqlite-driver.js';
import { dirname } from 'node:path';
import { arnsTrustedByRole } from '../model/trust-principals.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { preparePrivateDatabase, tightenDatabaseFiles, warnOnStderr, type PermissionWarning } from './private-files.js';
import { SerialQueue } from './serial-queue.js';
import { EntityConflictError, type AuditFilter, type AuditRecord, type EntityKind, type ListOptions, type Store, type StoreWriter } from './types.js';

interface EntityRow {
  value: string;
}

type WriteOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** One write() or appendAudit() waiting for the next group commit. */
interface WriteUnit {
  run(): Promise<unknown>;
  settle(outcome: WriteOutcome): void;
}

const AUDIT_INSERT =
  'INSERT INTO audit_events (event_id, event_time, account_id, principal_arn, event_name, error_code, event) VALUES (?, ?, ?, ?, ?, ?, ?)';

function auditRow(r: AuditRecord): unknown[] {
  return [r.eventId, r.eventTime, r.accountId, r.principalArn, r.eventName, r.errorCode ?? null, JSON.stringify(r.event)];
}

/** The audit connection: same file, same WAL, synchronous=NORMAL (see SqliteStore.audit). */
function openAuditConnection(file: string): { db: SqliteDatabase; append: (records: readonly AuditRecord[]) => void } {
  const db = new Database(file);
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare(AUDIT_INSERT);
  const append = db.transaction((records: readonly AuditRecord[]) => {
    for (const record of records) insert.run(...auditRow(record));
  });
  return { db, append: (records) => append(records) };
}

export class SqliteStore implements Store {
  readonly backend = 'sqlite' as const;
  private readonly db: SqliteDatabase;
  private readonly queue = new SerialQueue();
  private readonly tx: StoreWriter;
  private readonly insertAudit: Statement;
  /** Transaction control, prepared once: every request runs several transactions. */
  private readonly control: Record<'begin' | 'beginImmediate' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackToSavepoint', Statement>;
  private pendingWrites: WriteUnit[] = [];
  private batchScheduled = false;
  /**
   * Audit events go through a second connection to the same file with synchronous=NORMAL: its commits
   * reach the shared WAL (so they survive a crash of the process at once) without an fsync of their own,
   * and the next FULL commit of the state connection fsyncs the WAL with them in it. A change and its
   * audit event then cost one fsync, not two. Absent for ':memory:', where connections don't share data.
   */
  private readonly audit: { db: SqliteDatabase; append: (records: readonly AuditRecord[]) => void } | undefined;

  /**
   * Opens (creating if needed) the database file, private to this user (folder 0700, files 0600);
   * `:memory:` for a throwaway store.
   */
  constructor(file: string, warn: PermissionWarning = warnOnStderr) {
    if (file !== ':memory:') preparePrivateDatabase(file, dirname(file), warn);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    if (file !== ':memory:') tightenDatabaseFiles(file, warn);
    this.tx = this.makeWriter();
    this.control = {
      begin: this.db.prepare('BEGIN'),
      beginImmediate: this.db.prepare('BEGIN IMMEDIATE'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
      savepoint: this.db.prepare('SAVEPOINT unit'),
      release: this.db.prepare('RELEASE unit'),
      rollbackToSavepoint: this.db.prepare('ROLLBACK TO unit'),
    };
    this.insertAudit = this.db.prepare(AUDIT_INSERT);
    if (file !== ':memory:') this.audit = openAuditConnection(file);
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    // Checked and applied under one write lock, so two processes opening a new file at once migrate once.
    this.db
      .transaction(() => {
        const applied = new Set(
          (this.db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version),
        );
        for (const migration of SQLITE_MIGRATIONS) {
          if (applied.has(migration.version)) continue;
          this.db.exec(migration.sql);
          migration.backfill?.(this.db);
          this.db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(migration.version, new Date().toISOString());
        }
      })
      .immediate();
  }

  private makeWriter(): StoreWriter {
    const db = this.db;
    const get = db.prepare<[string, string, string], EntityRow>('SELECT value FROM entities WHERE kind = ? AND account = ? AND key_lower = ?');
    const find = db.prepare<[string, string], EntityRow>('SELECT value FROM entities WHERE kind = ? AND key_lower = ? LIMIT 1');
    const list = db.prepare<[string, string, string, number], EntityRow>(
      'SELECT value FROM entities WHERE kind = ? AND account = ? AND key_lower > ? ORDER BY key_lower LIMIT ?',
    );
    // One statement per number of strings, prepared on first use.
    const containingStatements = new Map<number, Statement>();
    const listContaining = (strings: number): Statement => {
      let statement = containingStatements.get(strings);
      if (!statement) {
        const anyOf = Array.from({ length: strings }, () => 'instr(value, ?) > 0').join(' OR ');
        statement = db.prepare<unknown[], EntityRow>(
          `SELECT value FROM entities WHERE kind = ? AND account = ? AND key_lower > ? AND (${anyOf}) ORDER BY key_lower LIMIT ?`,
        );
        containingStatements.set(strings, statement);
      }
      return statement;
    };
    const count = db.prepare<[string, string], { n: number }>('SELECT COUNT(*) AS n FROM entities WHERE kind = ? AND account = ?');
    const insert = db.prepare('INSERT INTO entities (kind, account, key_lower, value) VALUES (?, ?, ?, ?)');
    const put = db.prepare(
      'INSERT INTO entities (kind, account, key_lower, value) VALUES (?, ?, ?, ?) ON CONFLICT (kind, account, key_lower) DO UPDATE SET value = excluded.value',
    );
    const remove = db.prepare('DELETE FROM entities WHERE kind = ? AND account = ? AND key_lower = ?');
    const trust = this.makeTrustIndex();
    const parse = <T>(row: EntityRow | undefined): T | undefined => (row ? (JSON.parse(row.value) as T) : undefined);
    return {
      get: async <T>(kind: EntityKind, account: string, key: string) => parse<T>(get.get(kind, account, key.toLowerCase())),
      find: async <T>(kind: EntityKind, key: string) => parse<T>(find.get(kind, key.toLowerCase())),
      list: async <T>(kind: EntityKind, account: string, options: ListOptions = {}) => {
        const after = options.after?.toLowerCase() ?? '';
        const limit = options.limit ?? -1;
        const found = options.containing?.length
          ? (listContaining(options.containing.length).all(kind, account, after, ...options.containing, limit) as EntityRow[])
          : list.all(kind, account, after, limit);
        return found.map((row) => JSON.parse(row.value) as T);
      },
      count: async (kind: EntityKind, account: string) => count.get(kind, account)!.n,
      rolesTrusting: async <T>(principalArn: string) => trust.rolesTrusting.all(principalArn).map((row) => JSON.parse(row.value) as T),
      insert: async <T>(kind: EntityKind, account: string, key: string, value: T) => {
        const keyLower = key.toLowerCase();
        try {
          insert.run(kind, account, keyLower, JSON.stringify(value));
        } catch (error) {
          if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new EntityConflictError(kind, account, key);
          throw error;
        }
        if (kind === 'role') trust.add(account, keyLower, value);
      },
      put: async <T>(kind: EntityKind, account: string, key: string, value: T) => {
        const keyLower = key.toLowerCase();
        put.run(kind, account, keyLower, JSON.stringify(value));
        if (kind === 'role') {
          trust.remove.run(account, keyLower);
          trust.add(account, keyLower, value);
        }
      },
      delete: async (kind: EntityKind, account: string, key: string) => {
        const keyLower = key.toLowerCase();
        const removed = remove.run(kind, account, keyLower).changes > 0;
        if (removed && kind === 'role') trust.remove.run(account, keyLower);
        return removed;
      },
    };
  }

  /**
   * The reverse index from a trusted user or role ARN to the roles whose trust policy names it (migration 3),
   * written beside each role in the same transaction, so it always agrees with the roles stored.
   */
  private makeTrustIndex() {
    const db = this.db;
    const insert = db.prepare<[string, string, string]>('INSERT OR IGNORE INTO role_trust_principals (account, role_key, principal) VALUES (?, ?, ?)');
    return {
      rolesTrusting: db.prepare<[string], EntityRow>(
        `SELECT e.value FROM role_trust_principals t JOIN entities e ON e.kind = 'role' AND e.account = t.account AND e.key_lower = t.role_key
         WHERE t.principal = ? ORDER BY t.account, t.role_key`,
      ),
      remove: db.prepare<[string, string]>('DELETE FROM role_trust_principals WHERE account = ? AND role_key = ?'),
      add: (account: string, roleKey: string, role: unknown) => {
        for (const principal of arnsTrustedByRole(role)) insert.run(account, roleKey, principal);
      },
    };
  }

  /**
   * Reads queue behind writes so they never observe another request's uncommitted transaction. They run
   * in a deferred transaction that pins one WAL snapshot for all their reads, even while another
   * connection to the file (a second process such as the CLI) commits in between. The reads of one turn
   * of the event loop share that transaction: a request makes several reads (its key, its policies, the
   * target), and each transaction costs two statements and a pair of file-lock system calls. The shared
   * snapshot ends before the next write batch and at the end of the turn, so a read always sees this
   * process's acknowledged writes and, at most a turn late, other processes' commits.
   */
  read<R>(work: (reader: StoreWriter) => Promise<R>): Promise<R> {
    return this.queue.run(async () => {
      this.beginSharedRead();
      return work(this.tx);
    });
  }

  private beginSharedRead(): void {
    if (this.db.inTransaction) return;
    this.control.begin.run();
    setImmediate(() => void this.queue.run(async () => this.endSharedRead()));
  }

  /** Ends the shared read snapshot, if one is open (it never holds changes: writes run in batches). */
  private endSharedRead(): void {
    if (this.db.inTransaction) this.control.commit.run();
  }

  /**
   * Group commit: writes that arrive together share one transaction — each in its own savepoint, so one
   * unit's failure rolls back only that unit — and one fsync. Every unit's promise settles only after
   * the COMMIT, so nothing is acknowledged before it is durable.
   */
  write<R>(work: (writer: StoreWriter) => Promise<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.enqueue({ run: () => work(this.tx), settle: (outcome) => (outcome.ok ? resolve(outcome.value as R) : reject(outcome.error)) });
    });
  }

  async appendAudit(records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const audit = this.audit;
    // On the same serial queue as the state's batches: the two connections never contend for the lock.
    if (audit) return this.queue.run(async () => audit.append(records));
    await new Promise<void>((resolve, reject) => {
      this.enqueue({
        run: async () => {
          for (const r of records) {
            this.insertAudit.run(...auditRow(r));
          }
        },
        settle: (outcome) => (outcome.ok ? resolve() : reject(outcome.error)),
      });
    });
  }

  private enqueue(unit: WriteUnit): void {
    this.pendingWrites.push(unit);
    if (this.batchScheduled) return;
    this.batchScheduled = true;
    // Wait one turn of the event loop so the writes of requests already in hand join this batch.
    setImmediate(() => void this.queue.run(() => this.commitBatch()));
  }

  private async commitBatch(): Promise<void> {
    this.batchScheduled = false;
    const batch = this.pendingWrites;
    this.pendingWrites = [];
    if (batch.length === 0) return;
    const outcomes: WriteOutcome[] = [];
    try {
      this.endSharedRead();
      this.control.beginImmediate.run();
      for (const unit of batch) {
        this.control.savepoint.run();
        try {
          const value = await unit.run();
          this.control.release.run();
          outcomes.push({ ok: true, value });
        } catch (error) {
          this.control.rollbackToSavepoint.run();
          this.control.release.run();
          outcomes.push({ ok: false, error });
        }
      }
      this.control.commit.run();
    } catch (error) {
      if (this.db.inTransaction) this.control.rollback.run();
      for (const unit of batch) unit.settle({ ok: false, error });
      return;
    }
    batch.forEach((unit, i) => unit.settle(outcomes[i]!));
  }

  async queryAudit(filter: AuditFilter): Promise<AuditRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const condition = (sql: string, value: unknown): void => {
      where.push(sql);
      params.push(value);
    };
    if (filter.principalArn) condition('principal_arn = ?', filter.principalArn);
    if (filter.eventName) condition('event_name = ?', filter.eventName);
    if (filter.from) condition('event_time >= ?', filter.from);
    if (filter.to) condition('event_time <= ?', filter.to);
    if (filter.errorsOnly) where.push('error_code IS NOT NULL');
    const sql = `SELECT event_id, event_time, account_id, principal_arn, event_name, error_code, event FROM audit_events${
      where.length ? ` WHERE ${where.join(' AND ')}` : ''
    } ORDER BY seq LIMIT ?`;
    params.push(filter.limit ?? -1);
    const rows = await this.queue.run(async () => {
      // The audit connection's appends land after a shared read snapshot began; the query must see them.
      this.endSharedRead();
      return this.db.prepare(sql).all(...params) as AuditRow[];
    });
    return rows.map(auditFromRow);
  }

  async reset(): Promise<void> {
    await this.queue.run(async () => {
      this.endSharedRead();
      this.db.exec('DELETE FROM entities; DELETE FROM role_trust_principals; DELETE FROM audit_events;');
    });
  }

  async close(): Promise<void> {
    await this.queue.run(async () => {
      this.endSharedRead();
      this.audit?.db.close();
      this.db.close();
    });
  }
}

export interface AuditRow {
  event_id: string;
  event_time: string;
  account_id: string;
  principal_arn: string;
  event_name: string;
  error_code: string | null;
  event: string | Record<string, unknown>;
}

export function auditFromRow(row: AuditRow): AuditRecord {
  const record: AuditRecord = {
    eventId: row.event_id,
    eventTime: row.event_time,
    accountId: row.account_id,
    principalArn: row.principal_arn,
    eventName: row.event_name,
    event: typeof row.event === 'string' ? (JSON.parse(row.event) as Record<string, unknown>) : row.event,
  };
  if (row.error_code !== null) record.errorCode = row.error_code;
  return record;
}

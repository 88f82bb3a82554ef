/**
 * The one persistence interface. State is a set of JSON entities addressed by (kind, account, key), where
 * keys compare case-insensitively (IAM names are unique ignoring case), plus an append-only audit log.
 * Two implementations pass the same suite: SQLite (embedded, one process) and PostgreSQL (replicas).
 */

/** Entity collections; the value types live in model/. */
export type EntityKind =
  | 'account'
  | 'role'
  | 'user'
  | 'group'
  | 'policy'
  | 'instanceProfile'
  | 'oidcProvider'
  | 'samlProvider'
  | 'accessKey'
  | 'mfaDevice'
  | 'loginProfile'
  | 'sshPublicKey'
  | 'signingCertificate'
  | 'serviceSpecificCredential'
  | 'setting'
  | 'organization'
  | 'organizationalUnit'
  | 'organizationPolicy'
  | 'eksCluster'
  | 'serviceAccountIssuer'
  | 'podIdentityAssociation'
  | 'podIdentityBinding';

export interface ListOptions {
  /** Only keys (compared lower-cased) strictly after this one: the pagination marker. */
  after?: string;
  limit?: number;
  /**
   * Only entities whose stored JSON text contains at least one of these strings: a cheap pre-filter that
   * spares parsing entities that cannot matter (the caller still checks the parsed ones).
   */
  containing?: readonly string[];
}

export interface StoreReader {
  /** The entity with this key in this account, if any (key compared case-insensitively). */
  get<T>(kind: EntityKind, account: string, key: string): Promise<T | undefined>;
  /** The entity with this key in any account, for globally unique keys such as access key ids. */
  find<T>(kind: EntityKind, key: string): Promise<T | undefined>;
  /** The account's entities of a kind, ordered by lower-cased key. */
  list<T>(kind: EntityKind, account: string, options?: ListOptions): Promise<T[]>;
  count(kind: EntityKind, account: string): Promise<number>;
  /**
   * The roles, of any account, whose trust policy names this IAM user or role ARN as an `"AWS"` principal
   * (model/trust-principals.ts; the ARN compared exactly), ordered by account and key. Read from a reverse
   * index that every write of a role keeps in its own transaction, so no other role is read.
   */
  rolesTrusting<T>(principalArn: string): Promise<T[]>;
}

export interface StoreWriter extends StoreReader {
  /** Adds a new entity; throws EntityConflictError when the key exists (in any case). */
  insert<T>(kind: EntityKind, account: string, key: string, value: T): Promise<void>;
  /** Adds or replaces. */
  put<T>(kind: EntityKind, account: string, key: string, value: T): Promise<void>;
  /** Removes; false when there was nothing to remove. */
  delete(kind: EntityKind, account: string, key: string): Promise<boolean>;
}

/** One audit event: CloudTrail's record plus the columns it is queried by. */
export interface AuditRecord {
  eventId: string;
  eventTime: string;
  accountId: string;
  principalArn: string;
  eventName: string;
  errorCode?: string;
  /** The full CloudTrail-format event. */
  event: Record<string, unknown>;
}

export interface AuditFilter {
  principalArn?: string;
  eventName?: string;
  /** ISO 8601 bounds, inclusive. */
  from?: string;
  to?: string;
  errorsOnly?: boolean;
  limit?: number;
}

export interface Store {
  readonly backend: 'sqlite' | 'postgres';
  /** Runs reads against one consistent snapshot. */
  read<R>(work: (reader: StoreReader) => Promise<R>): Promise<R>;
  /**
   * Runs reads and writes as one serializable transaction, durable when the promise resolves. On a
   * serialization conflict with another replica the work is run again, so it must have no effects
   * outside the transaction.
   */
  write<R>(work: (writer: StoreWriter) => Promise<R>): Promise<R>;
  /** Appends audit events durably. */
  appendAudit(records: readonly AuditRecord[]): Promise<void>;
  /** Audit events matching the filter, oldest first. */
  queryAudit(filter: AuditFilter): Promise<AuditRecord[]>;
  /** Deletes all state (the test-only reset). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Thrown by insert when the key is taken; iam/ turns it into EntityAlreadyExists. */
export class EntityConflictError extends Error {
  constructor(
    readonly kind: EntityKind,
    readonly account: string,
    readonly key: string,
  ) {
    super(`${kind} ${key} already exists in account ${account}`);
    this.name = 'EntityConflictError';
  }
}

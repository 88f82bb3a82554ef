/**
 * Chooses the backend: PostgreSQL when a `postgres://` or `postgresql://` URL is given (replicas may share
 * it), else the embedded SQLite file `<dataDir>/rolecall.db`. Either way the schema is migrated before the
 * store is handed out.
 */
import { join, resolve } from 'node:path';
import { PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';

export interface OpenStoreOptions {
  /** The SQLite data folder; `.rolecall` under the current directory when omitted. */
  dataDir?: string;
  /** A PostgreSQL URL; takes precedence over dataDir. */
  databaseUrl?: string;
  postgres?: PostgresStoreOptions;
}

export const DEFAULT_DATA_DIR = '.rolecall';
export const SQLITE_FILE_NAME = 'rolecall.db';

/** Opens the configured store, migrated and ready. */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  if (options.databaseUrl) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(options.databaseUrl)?.[1]?.toLowerCase();
    if (scheme === 'postgres' || scheme === 'postgresql') return PostgresStore.open(options.databaseUrl, options.postgres);
    // Only the scheme is quoted: the rest of a URL may hold a password.
    throw new Error(`Unsupported database URL scheme "${scheme ?? ''}": use postgres:// or postgresql://, or omit the URL for SQLite.`);
  }
  return new SqliteStore(sqliteFile(options.dataDir));
}

/** Where the SQLite database of a data folder lives. */
export function sqliteFile(dataDir: string = DEFAULT_DATA_DIR): string {
  return join(resolve(dataDir), SQLITE_FILE_NAME);
}

/** The `--data DIR | --database URL` pair every store-using command shares. */
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/types.js';

export const STORE_FLAGS = ['data', 'database'] as const;

/** Opens the store named by the flags or ROLECALL_DATA / ROLECALL_DATABASE_URL (default: SQLite in .rolecall). */
export function openStoreFromFlags(values: Record<string, string>): Promise<Store> {
  const databaseUrl = values.database ?? process.env.ROLECALL_DATABASE_URL;
  const dataDir = values.data ?? process.env.ROLECALL_DATA;
  return openStore({ ...(databaseUrl ? { databaseUrl } : {}), ...(dataDir ? { dataDir } : {}) });
}

/**
 * The server keys that seal secrets at rest (and, with STS, session tokens). Every replica must hold the
 * same keys: they come from `ROLECALL_SERVER_KEYS` or a key file (`id:base64key[,id:base64key...]`; the
 * first one seals, all of them unseal — rotation). Only SQLite may instead keep a generated key in its
 * own (0600) data folder, the zero-configuration default. A PostgreSQL database never holds the keys that
 * seal it: a backup or a read-only login must not be enough to open every secret.
 */
import { statSync, readFileSync } from 'node:fs';
import { newSealingKey, SecretSealer, type SealingKey } from './secrets.js';
import type { SecretSealing } from '../iam/operation.js';
import type { Store } from '../store/types.js';

interface StoredKeys {
  keys: Array<{ id: string; key: string }>;
}

/** Parses `id:base64key,...` (commas or whitespace between keys); throws on a malformed list so a typo never silently generates a new key. */
export function parseServerKeys(text: string): SealingKey[] {
  const keys = text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.indexOf(':');
      if (colon <= 0) throw new Error('server keys must be id:base64key entries');
      const key = Buffer.from(entry.slice(colon + 1), 'base64');
      if (key.length !== 32) throw new Error(`server key '${entry.slice(0, colon)}' must decode to 32 bytes`);
      return { id: entry.slice(0, colon), key };
    });
  if (keys.length === 0) throw new Error('server keys are empty');
  return keys;
}

/** Reads a key file; refuses one that group or others may read or write (it opens every secret). */
export function readServerKeysFile(path: string): SealingKey[] {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new Error(`server keys file ${path} has mode 0${mode.toString(8)}: it must be readable by its owner only (chmod 600 ${path})`);
  }
  return parseServerKeys(readFileSync(path, 'utf8'));
}

/** Where the keys are configured: the text of ROLECALL_SERVER_KEYS, or a key file's path. */
export interface ServerKeySources {
  keys?: string | undefined;
  keysFile?: string | undefined;
}

/** The configured sources from the environment (`ROLECALL_SERVER_KEYS`, `ROLECALL_SERVER_KEYS_FILE`). */
export function serverKeySourcesFromEnv(env: NodeJS.ProcessEnv, keysFile?: string): ServerKeySources {
  return { keys: env.ROLECALL_SERVER_KEYS || undefined, keysFile: keysFile ?? (env.ROLECALL_SERVER_KEYS_FILE || undefined) };
}

export interface ServerKeys {
  sealer: SecretSealer;
  /** Puts store-kept keys back after the store was wiped (a no-op for configured keys). */
  restore(store: Store): Promise<void>;
  /** The id of the key that seals new values. */
  sealingKeyId: string;
  /** One line for the start-up log: where the keys come from and which one seals. */
  description: string;
  /** Whether the store still holds keys of its own beside configured ones (`rolecall keys reseal` removes them). */
  storedKeysRemain: boolean;
}

const STORED_KEYS = 'server-keys';

/** The keys given in the environment or a file, if any. */
function configuredKeys(sources: ServerKeySources): { keys: SealingKey[]; origin: string } | undefined {
  if (sources.keys) return { keys: parseServerKeys(sources.keys), origin: 'ROLECALL_SERVER_KEYS' };
  if (sources.keysFile) return { keys: readServerKeysFile(sources.keysFile), origin: sources.keysFile };
  return undefined;
}

function fromStored(stored: StoredKeys): SealingKey[] {
  return stored.keys.map(({ id, key }) => ({ id, key: Buffer.from(key, 'base64') }));
}

/** Error for a PostgreSQL store started without keys of its own. */
export const POSTGRES_NEEDS_KEYS =
  'PostgreSQL needs its sealing keys from outside the database: set ROLECALL_SERVER_KEYS=id:base64key or ' +
  '--server-keys-file FILE (mode 0600, ROLECALL_SERVER_KEYS_FILE), the same on every replica. ' +
  '`rolecall keys generate` prints a new key.';

/**
 * The keys for this server. Configured keys seal; keys an earlier start left in the store still unseal
 * (until `rolecall keys reseal` re-seals their values and removes them). Without configured keys, SQLite
 * keeps a generated key in its data folder and PostgreSQL refuses to start.
 */
export async function loadServerKeys(store: Store, sources: ServerKeySources): Promise<ServerKeys> {
  const configured = configuredKeys(sources);
  const stored = await store.read((reader) => reader.get<StoredKeys>('setting', '', STORED_KEYS));
  if (configured) {
    const extra = stored ? fromStored(stored).filter((old) => !sameKeyListed(configured.keys, old)) : [];
    const [sealing] = configured.keys;
    return {
      sealer: new SecretSealer([...configured.keys, ...extra]),
      sealingKeyId: sealing!.id,
      restore: async () => undefined,
      description: `sealing keys from ${configured.origin} (${configured.keys.length} given, sealing with '${sealing!.id}')${extra.length > 0 ? `; ${extra.length} older key(s) still kept in the store unseal until \`rolecall keys reseal\`` : ''}`,
      storedKeysRemain: stored !== undefined,
    };
  }
  if (store.backend === 'postgres') throw new Error(POSTGRES_NEEDS_KEYS);
  const kept =
    stored ??
    (await store.write(async (tx) => {
      const existing = await tx.get<StoredKeys>('setting', '', STORED_KEYS);
      if (existing) return existing;
      const fresh = newSealingKey('k1');
      const keys: StoredKeys = { keys: [{ id: fresh.id, key: fresh.key.toString('base64') }] };
      await tx.insert('setting', '', STORED_KEYS, keys);
      return keys;
    }));
  const keptKeys = fromStored(kept);
  return {
    sealer: new SecretSealer(keptKeys),
    sealingKeyId: keptKeys[0]!.id,
    restore: (target) => target.write((tx) => tx.put('setting', '', STORED_KEYS, kept)),
    description: 'sealing key kept in the data folder (readable by this user only); set ROLECALL_SERVER_KEYS or --server-keys-file to keep it apart',
    storedKeysRemain: true,
  };
}

/** Whether `old` is among `keys`; the same id naming different bytes is refused rather than guessed at. */
function sameKeyListed(keys: readonly SealingKey[], old: SealingKey): boolean {
  const named = keys.find((key) => key.id === old.id);
  if (named && !named.key.equals(old.key)) {
    throw new Error(`the store keeps an older key also named '${old.id}': give the new key another id (e.g. 'k${keys.length + 1}')`);
  }
  return named !== undefined;
}

/** Removes the keys the store keeps (after every value sealed with them was re-sealed). */
export async function forgetStoredKeys(store: Store): Promise<boolean> {
  return store.write(async (tx) => {
    if (!(await tx.get<StoredKeys>('setting', '', STORED_KEYS))) return false;
    await tx.delete('setting', '', STORED_KEYS);
    return true;
  });
}

const UNSEALED_CACHE_LIMIT = 10_000;

/**
 * Adapts the sealer to the operations' string-in, string-out SecretSealing. Every signed request unseals
 * its access key's secret (or its session token); the same sealed text always opens to the same value,
 * so opened values are remembered (bounded) and AES-GCM runs once per credential, not once per request.
 * Tampered or foreign values throw and are never remembered.
 */
export function secretSealing(sealer: SecretSealer): SecretSealing {
  const opened = new Map<string, string>();
  return {
    seal: (secret, context) => sealer.seal(secret, context ?? ''),
    unseal: (sealed, context) => {
      const key = `${context ?? ''}\u0000${sealed}`;
      let value = opened.get(key);
      if (value === undefined) {
        value = sealer.unseal(sealed, context ?? '').toString('utf8');
        if (opened.size >= UNSEALED_CACHE_LIMIT) opened.clear();
        opened.set(key, value);
      }
      return value;
    },
  };
}

/**
 * The server keys that seal secrets at rest (and, with STS, session tokens). Every replica must hold the
 * same keys: they come from `ROLECALL_SERVER_KEYS` (`id:base64key[,id:base64key...]`, the first one
 * seals, all of them unseal — rotation), or else are generated once and kept in the store, where every
 * replica finds them. Keeping them in the environment (or a secret manager feeding it) keeps a stolen
 * database useless; keeping them in the store is the zero-configuration default.
 */
import { newSealingKey, SecretSealer, type SealingKey } from './secrets.js';
import type { SecretSealing } from '../iam/operation.js';
import type { Store } from '../store/types.js';

interface StoredKeys {
  keys: Array<{ id: string; key: string }>;
}

/** Parses `id:base64key,...`; throws on a malformed list so a typo never silently generates a new key. */
export function parseServerKeys(text: string): SealingKey[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.indexOf(':');
      if (colon <= 0) throw new Error('ROLECALL_SERVER_KEYS entries must be id:base64key');
      const key = Buffer.from(entry.slice(colon + 1), 'base64');
      if (key.length !== 32) throw new Error(`ROLECALL_SERVER_KEYS key '${entry.slice(0, colon)}' must decode to 32 bytes`);
      return { id: entry.slice(0, colon), key };
    });
}

export interface ServerKeys {
  sealer: SecretSealer;
  /** Puts store-kept keys back after the store was wiped (a no-op for keys from the environment). */
  restore(store: Store): Promise<void>;
}

/** The keys for this server: from the environment, else from (or newly into) the store. */
export async function loadServerKeys(store: Store, fromEnvironment: string | undefined): Promise<ServerKeys> {
  if (fromEnvironment) return { sealer: new SecretSealer(parseServerKeys(fromEnvironment)), restore: async () => undefined };
  const stored = await store.write(async (tx) => {
    const existing = await tx.get<StoredKeys>('setting', '', 'server-keys');
    if (existing) return existing;
    const fresh = newSealingKey('k1');
    const keys: StoredKeys = { keys: [{ id: fresh.id, key: fresh.key.toString('base64') }] };
    await tx.insert('setting', '', 'server-keys', keys);
    return keys;
  });
  return {
    sealer: new SecretSealer(stored.keys.map(({ id, key }) => ({ id, key: Buffer.from(key, 'base64') }))),
    restore: (target) => target.write((tx) => tx.put('setting', '', 'server-keys', stored)),
  };
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

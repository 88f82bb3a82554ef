/**
 * `rolecall keys`: the sealing keys' life cycle. `generate` prints a new key to configure;
 * `reseal` re-seals every stored secret with the first configured key and then removes any key the
 * store itself kept, the last step of a rotation (docs/security.md).
 */
import { forgetStoredKeys, loadServerKeys, serverKeySourcesFromEnv } from '../auth/server-keys.js';
import { resealStoredSecrets } from '../auth/reseal.js';
import { newSealingKey } from '../auth/secrets.js';
import { parseFlags, UsageError } from './flags.js';
import { openStoreFromFlags, STORE_FLAGS } from './store-flags.js';
import { KEYS_USAGE } from './usage.js';

export async function runKeysCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const flags = parseFlags(rest, { values: ['id', 'server-keys-file', ...STORE_FLAGS], switches: [] });
  if (sub === 'generate') {
    const key = newSealingKey(flags.values.id ?? `k${Math.floor(Date.now() / 1000)}`);
    process.stdout.write(`${key.id}:${key.key.toString('base64')}\n`);
    return 0;
  }
  if (sub !== 'reseal') throw new UsageError(`usage:\n  ${KEYS_USAGE}`);
  const sources = serverKeySourcesFromEnv(process.env, flags.values['server-keys-file']);
  if (!sources.keys && !sources.keysFile) throw new UsageError('keys reseal needs the keys to seal with: ROLECALL_SERVER_KEYS or --server-keys-file FILE');
  const store = await openStoreFromFlags(flags.values);
  try {
    const keys = await loadServerKeys(store, sources);
    const counts = await resealStoredSecrets(store, keys.sealer);
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    const detail = Object.entries(counts).map(([kind, n]) => `${n} ${kind}`).join(', ');
    process.stdout.write(`re-sealed ${total} stored secret${total === 1 ? '' : 's'}${detail ? ` (${detail})` : ''} with key '${keys.sealingKeyId}'\n`);
    if (keys.storedKeysRemain && (await forgetStoredKeys(store))) {
      process.stdout.write('removed the sealing keys the store kept: only the configured keys open its secrets now\n');
    }
    return 0;
  } finally {
    await store.close();
  }
}

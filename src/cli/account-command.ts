/**
 * `rolecall account create --name NAME [--id ID] [--email E] [--partition P]`: adds an account to this
 * Rolecall and prints its root credentials once (they are stored sealed). Without --partition the account
 * is bound to a partition by its first signed request (docs/partitions.md).
 */
import { loadServerKeys, secretSealing, serverKeySourcesFromEnv } from '../auth/server-keys.js';
import type { AccessKey, Account } from '../model/entities.js';
import { newAccessKeyId, newAccountId, newSecretAccessKey } from '../model/ids.js';
import { PARTITION_IDS, partitionById } from '../model/partitions.js';
import { rootAccessKey } from '../server/bootstrap.js';
import { parseFlags, UsageError } from './flags.js';
import { openStoreFromFlags, STORE_FLAGS } from './store-flags.js';
import { ACCOUNT_USAGE } from './usage.js';


export async function runAccountCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const flags = parseFlags(rest, { values: ['name', 'id', 'email', 'partition', ...STORE_FLAGS], switches: [] });
  if (sub === 'list') {
    const store = await openStoreFromFlags(flags.values);
    try {
      const accounts = await store.read((reader) => reader.list<Account>('account', ''));
      for (const account of accounts) process.stdout.write(`${JSON.stringify(account)}\n`);
      return 0;
    } finally {
      await store.close();
    }
  }
  if (sub !== 'create') throw new UsageError(`usage:\n  ${ACCOUNT_USAGE}`);
  const name = flags.values.name;
  if (!name) throw new UsageError('account create needs --name');
  const id = flags.values.id ?? newAccountId();
  if (!/^\d{12}$/.test(id)) throw new UsageError('--id must be 12 digits');
  const partition = flags.values.partition;
  if (partition !== undefined && !partitionById(partition)) throw new UsageError(`--partition must be one of ${PARTITION_IDS.join(', ')}`);
  const store = await openStoreFromFlags(flags.values);
  try {
    const secrets = secretSealing((await loadServerKeys(store, serverKeySourcesFromEnv(process.env))).sealer);
    const accessKeyId = newAccessKeyId('AKIA');
    const secretAccessKey = newSecretAccessKey();
    const now = new Date().toISOString();
    const created = await store.write(async (tx) => {
      if (await tx.get<Account>('account', '', id)) return false;
      const account: Account = {
        AccountId: id,
        Name: name,
        CreateDate: now,
        ...(flags.values.email ? { Email: flags.values.email } : {}),
        ...(partition !== undefined ? { Partition: partition } : {}),
      };
      await tx.insert('account', '', id, account);
      await tx.insert<AccessKey>('accessKey', id, accessKeyId, rootAccessKey(secrets, id, accessKeyId, secretAccessKey, now));
      return true;
    });
    if (!created) {
      process.stderr.write(`rolecall: account ${id} already exists\n`);
      return 1;
    }
    process.stdout.write(
      `# Account ${id} (${name}) created. Root credentials, shown only this once:\n` +
        `export AWS_ACCESS_KEY_ID=${accessKeyId}\nexport AWS_SECRET_ACCESS_KEY=${secretAccessKey}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * `rolecall account create --name NAME [--id ID] [--email E]`: adds an account to this Rolecall and
 * prints its root credentials once (they are stored sealed).
 */
import { loadServerKeys, secretSealing, serverKeySourcesFromEnv } from '../auth/server-keys.js';
import type { AccessKey, Account } from '../model/entities.js';
import { newAccessKeyId, newAccountId, newSecretAccessKey } from '../model/ids.js';
import { rootAccessKey } from '../server/bootstrap.js';
import { parseFlags, UsageError } from './flags.js';
import { openStoreFromFlags, STORE_FLAGS } from './store-flags.js';
import { ACCOUNT_USAGE } from './usage.js';


export async function runAccountCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const flags = parseFlags(rest, { values: ['name', 'id', 'email', ...STORE_FLAGS], switches: [] });
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
  const store = await openStoreFromFlags(flags.values);
  try {
    const secrets = secretSealing((await loadServerKeys(store, serverKeySourcesFromEnv(process.env))).sealer);
    const accessKeyId = newAccessKeyId('AKIA');
    const secretAccessKey = newSecretAccessKey();
    const now = new Date().toISOString();
    const created = await store.write(async (tx) => {
      if (await tx.get<Account>('account', '', id)) return false;
      const account: Account = { AccountId: id, Name: name, CreateDate: now, ...(flags.values.email ? { Email: flags.values.email } : {}) };
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

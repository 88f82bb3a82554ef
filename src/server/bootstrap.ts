/**
 * First start: the default account (123456789012, AWS's documentation account) and its root user's
 * access key. The key comes from ROLECALL_ROOT_ACCESS_KEY_ID / ROLECALL_ROOT_SECRET_ACCESS_KEY, or is
 * generated once, stored sealed and printed a single time as the `export AWS_...` lines to paste.
 */
import type { AccessKey, Account } from '../model/entities.js';
import { newAccessKeyId, newSecretAccessKey } from '../model/ids.js';
import type { SecretSealing } from '../iam/operation.js';
import type { Store } from '../store/types.js';

export const DEFAULT_ACCOUNT_ID = '123456789012';

export interface RootCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface BootstrapResult {
  /** Set only when the root key was generated now: the one time it is shown. */
  generated?: RootCredentials;
}

/** Seals an access key's secret, bound to the key's id. */
export function sealAccessKeySecret(secrets: SecretSealing, accessKeyId: string, secret: string): string {
  return secrets.seal(secret, accessKeyId);
}

/** The secret of a stored access key (throws if the sealed value was tampered with or moved). */
export function unsealAccessKeySecret(secrets: SecretSealing, key: AccessKey): string {
  return secrets.unseal(key.SealedSecret, key.AccessKeyId);
}

/** An account root user's access key record, its secret sealed. */
export function rootAccessKey(secrets: SecretSealing, accountId: string, accessKeyId: string, secretAccessKey: string, createDate: string): AccessKey {
  return { AccessKeyId: accessKeyId, AccountId: accountId, Status: 'Active', SealedSecret: sealAccessKeySecret(secrets, accessKeyId, secretAccessKey), CreateDate: createDate };
}

/** Creates an account with the given id and name unless it exists. */
export async function ensureAccount(store: Store, accountId: string, name: string, now: Date): Promise<void> {
  await store.write(async (tx) => {
    // Accounts form one global collection (account '' in the store), keyed by id.
    if (await tx.get<Account>('account', '', accountId)) return;
    await tx.insert<Account>('account', '', accountId, { AccountId: accountId, Name: name, CreateDate: now.toISOString() });
  });
}

/** Makes sure the default account and its root key exist. */
export async function bootstrap(store: Store, secrets: SecretSealing, env: NodeJS.ProcessEnv, now = new Date()): Promise<BootstrapResult> {
  await ensureAccount(store, DEFAULT_ACCOUNT_ID, 'default', now);
  const givenId = env.ROLECALL_ROOT_ACCESS_KEY_ID;
  const givenSecret = env.ROLECALL_ROOT_SECRET_ACCESS_KEY;
  if ((givenId === undefined) !== (givenSecret === undefined)) {
    throw new Error('Set both ROLECALL_ROOT_ACCESS_KEY_ID and ROLECALL_ROOT_SECRET_ACCESS_KEY, or neither');
  }
  return store.write(async (tx) => {
    const rootKeys = (await tx.list<AccessKey>('accessKey', DEFAULT_ACCOUNT_ID)).filter((k) => k.UserName === undefined);
    if (givenId && givenSecret) {
      const existing = await tx.find<AccessKey>('accessKey', givenId);
      if (existing && existing.UserName !== undefined) throw new Error(`Access key ${givenId} belongs to IAM user ${existing.UserName}`);
      const createDate = existing?.CreateDate ?? now.toISOString();
      await tx.put('accessKey', DEFAULT_ACCOUNT_ID, givenId, rootAccessKey(secrets, DEFAULT_ACCOUNT_ID, givenId, givenSecret, createDate));
      return {};
    }
    if (rootKeys.length > 0) return {};
    const generated = { accessKeyId: newAccessKeyId('AKIA'), secretAccessKey: newSecretAccessKey() };
    const key = rootAccessKey(secrets, DEFAULT_ACCOUNT_ID, generated.accessKeyId, generated.secretAccessKey, now.toISOString());
    await tx.insert<AccessKey>('accessKey', DEFAULT_ACCOUNT_ID, generated.accessKeyId, key);
    return { generated };
  });
}

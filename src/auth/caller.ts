/**
 * Who is calling: the access key a request was signed with, resolved to its secret (for SigV4) and to
 * the principal it stands for — the account's root user or an IAM user. Inactive keys, and keys whose
 * user is gone, authenticate nobody (AWS answers InvalidClientTokenId).
 */
import type { AccessKey, User } from '../model/entities.js';
import { rootArn } from '../model/arns.js';
import type { Caller, SecretSealing } from '../iam/operation.js';
import type { Store } from '../store/types.js';

export interface ResolvedAccessKey {
  secret: string;
  caller: Caller;
}

/** The secret and caller behind a long-term access key id, or undefined when it authenticates no one. */
export async function resolveAccessKey(store: Store, secrets: SecretSealing, accessKeyId: string): Promise<ResolvedAccessKey | undefined> {
  return store.read(async (reader) => {
    const key = await reader.find<AccessKey>('accessKey', accessKeyId);
    if (!key || key.Status !== 'Active' || key.AccessKeyId !== accessKeyId) return undefined;
    const secret = secrets.unseal(key.SealedSecret, key.AccessKeyId);
    if (key.UserName === undefined) {
      return { secret, caller: { accountId: key.AccountId, arn: rootArn(key.AccountId), kind: 'root', userId: key.AccountId, accessKeyId } };
    }
    const user = await reader.get<User>('user', key.AccountId, key.UserName);
    if (!user) return undefined;
    return {
      secret,
      caller: { accountId: key.AccountId, arn: user.Arn, kind: 'user', userId: user.UserId, userName: user.UserName, accessKeyId },
    };
  });
}

/**
 * Who is calling: the access key a request was signed with, resolved to its secret (for SigV4) and to
 * the principal it stands for — the account's root user, an IAM user, or (for `ASIA` keys with a session
 * token) an STS session. Inactive keys, and keys whose user is gone, authenticate nobody (AWS answers
 * InvalidClientTokenId); session credentials are verified from their token alone, without the store.
 */
import type { AccessKey, Account, User } from '../model/entities.js';
import { invalidClientTokenId } from '../model/errors.js';
import { rootArn } from '../model/arns.js';
import { DEFAULT_PARTITION, partitionOfArn, partitionOfRegion } from '../model/partitions.js';
import { bindAccountPartition, checkSignedPartition } from './account-partition.js';
import type { Caller, SecretSealing } from '../iam/operation.js';
import type { Store } from '../store/types.js';
import { openSessionToken, sessionCaller } from '../sts/session-token.js';

export { sessionCaller };

export interface ResolvedAccessKey {
  secret: string;
  caller: Caller;
  /**
   * For long-term keys: whether the key's account is bound to a partition yet (see account-partition.ts).
   * A root caller of an unbound account is named in the default partition until its request binds it.
   */
  accountUnbound?: boolean;
}

/** The secret and caller behind a long-term access key id, or undefined when it authenticates no one. */
export async function resolveAccessKey(store: Store, secrets: SecretSealing, accessKeyId: string): Promise<ResolvedAccessKey | undefined> {
  return store.read(async (reader) => {
    const key = await reader.find<AccessKey>('accessKey', accessKeyId);
    if (!key || key.Status !== 'Active' || key.AccessKeyId !== accessKeyId) return undefined;
    const secret = secrets.unseal(key.SealedSecret, key.AccessKeyId);
    const account = await reader.get<Account>('account', '', key.AccountId);
    const accountUnbound = account?.Partition === undefined;
    if (key.UserName === undefined) {
      const arn = rootArn(account?.Partition ?? DEFAULT_PARTITION, key.AccountId);
      return { secret, caller: { accountId: key.AccountId, arn, kind: 'root', userId: key.AccountId, accessKeyId }, accountUnbound };
    }
    const user = await reader.get<User>('user', key.AccountId, key.UserName);
    if (!user) return undefined;
    return {
      secret,
      caller: { accountId: key.AccountId, arn: user.Arn, kind: 'user', userId: user.UserId, userName: user.UserName, accessKeyId },
      accountUnbound,
    };
  });
}

/**
 * Resolves the credentials of a signed request: long-term keys through the store, session keys through
 * their token. A session key without its token, or a long-term key sent with one, authenticates nobody
 * (AWS's InvalidClientTokenId); an expired token is AWS's ExpiredToken.
 */
export async function resolveCredentials(
  store: Store,
  secrets: SecretSealing,
  accessKeyId: string,
  securityToken: string | undefined,
  now: Date,
): Promise<ResolvedAccessKey | undefined> {
  if (accessKeyId.startsWith('ASIA')) {
    // AWS knows no session key apart from its token: without one the key is unknown (jrl84/amazon-sp-api#218).
    if (securityToken === undefined || securityToken === '') throw invalidClientTokenId('unknown-access-key');
    const claims = openSessionToken(secrets, accessKeyId, securityToken, now);
    return { secret: claims.secretAccessKey, caller: sessionCaller(claims) };
  }
  if (securityToken !== undefined && securityToken !== '') throw invalidClientTokenId('refused-session-token');
  return resolveAccessKey(store, secrets, accessKeyId);
}

/**
 * The caller of a request whose signature is verified, checked against the partition of the region it
 * was signed for: credentials act only in their own partition (InvalidClientTokenId elsewhere, as in
 * AWS). A long-term key of an account not yet bound to a partition binds it to the signing region's.
 */
export async function callerInSignedPartition(store: Store, resolved: ResolvedAccessKey, signedRegion: string): Promise<Caller> {
  const signedPartition = partitionOfRegion(signedRegion).id;
  const { caller } = resolved;
  if (!resolved.accountUnbound) {
    checkSignedPartition(partitionOfArn(caller.arn) ?? DEFAULT_PARTITION, signedPartition, caller.session !== undefined);
    return caller;
  }
  const partition = await bindAccountPartition(store, caller.accountId, signedPartition);
  checkSignedPartition(partition, signedPartition, caller.session !== undefined);
  return caller.kind === 'root' ? { ...caller, arn: rootArn(partition, caller.accountId) } : caller;
}

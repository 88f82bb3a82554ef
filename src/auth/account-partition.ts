/**
 * Which partition a request may act in. In AWS an account lives in exactly one partition, and its
 * credentials are not valid in any other ("Accounts and credentials for other Amazon Regions will not
 * work for services operating in the China Regions" — AWS China's general information): a request
 * signed for a region of another partition is answered InvalidClientTokenId, as if the key did not exist.
 *
 * Rolecall binds an account to its partition the first time a request signed for it is verified (the
 * signing region's partition), so a client in cn-north-1 gets `arn:aws-cn:` ARNs from its very first call;
 * organization member accounts are created in their organization's partition. An account that already
 * holds IAM entities from before partitions were recorded made them as `arn:aws:`, so it stays in `aws`.
 */
import type { Account } from '../model/entities.js';
import { invalidClientTokenId } from '../model/errors.js';
import { DEFAULT_PARTITION } from '../model/partitions.js';
import type { EntityKind, Store, StoreReader } from '../store/types.js';

// The kinds whose records carry ARNs: an account holding any was in use before partitions were recorded.
const ARN_BEARING_KINDS: readonly EntityKind[] = ['role', 'user', 'group', 'policy', 'instanceProfile', 'oidcProvider', 'samlProvider', 'mfaDevice'];

async function holdsEntities(reader: StoreReader, accountId: string): Promise<boolean> {
  for (const kind of ARN_BEARING_KINDS) if ((await reader.count(kind, accountId)) > 0) return true;
  return false;
}

/**
 * The partition of an account, binding it to `signedPartition` if it has none yet. Called only after the
 * request's signature is verified, so nobody binds an account without its credentials.
 */
export async function bindAccountPartition(store: Store, accountId: string, signedPartition: string): Promise<string> {
  return store.write(async (writer) => {
    const account = await writer.get<Account>('account', '', accountId);
    // Keys of an account with no record (written by hand into a store) act in the default partition.
    if (!account) return DEFAULT_PARTITION;
    if (account.Partition !== undefined) return account.Partition;
    const partition = (await holdsEntities(writer, accountId)) ? DEFAULT_PARTITION : signedPartition;
    await writer.put<Account>('account', '', accountId, { ...account, Partition: partition });
    return partition;
  });
}

/**
 * Refuses a request signed for a region outside the partition its credentials belong to: a long-term key
 * is unknown there; session credentials carry a token that partition will not take.
 */
export function checkSignedPartition(credentialPartition: string, signedPartition: string, sessionCredentials: boolean): void {
  if (credentialPartition !== signedPartition) throw invalidClientTokenId(sessionCredentials ? 'refused-session-token' : 'unknown-access-key');
}

/**
 * Key rotation's last step: every sealed value the store keeps (access key secrets, virtual MFA seeds,
 * service-specific credential passwords) is opened with whichever key sealed it and sealed again with the
 * current sealing key, so older keys can then be retired. One transaction per account and kind keeps
 * each write small; running it again finds nothing left to do.
 */
import { mfaDeviceKey } from '../iam/lookup.js';
import { seedContext } from '../iam/virtual-mfa-devices.js';
import type { AccessKey, Account, ServiceSpecificCredential, VirtualMfaDevice } from '../model/entities.js';
import type { EntityKind, Store } from '../store/types.js';
import type { SecretSealer } from './secrets.js';

/** One kind of entity with a sealed member: where it is kept and what its sealed value is bound to. */
interface SealedMember<T> {
  kind: EntityKind;
  key(entity: T): string;
  context(entity: T): string;
  sealed(entity: T): string;
  withSealed(entity: T, sealed: string): T;
}

const accessKeys: SealedMember<AccessKey> = {
  kind: 'accessKey',
  key: (k) => k.AccessKeyId,
  context: (k) => k.AccessKeyId,
  sealed: (k) => k.SealedSecret,
  withSealed: (k, SealedSecret) => ({ ...k, SealedSecret }),
};

const mfaSeeds: SealedMember<VirtualMfaDevice> = {
  kind: 'mfaDevice',
  key: mfaDeviceKey,
  context: (d) => seedContext(d.SerialNumber),
  sealed: (d) => d.SealedSeed,
  withSealed: (d, SealedSeed) => ({ ...d, SealedSeed }),
};

const serviceCredentials: SealedMember<ServiceSpecificCredential> = {
  kind: 'serviceSpecificCredential',
  key: (c) => c.ServiceSpecificCredentialId,
  context: (c) => c.ServiceSpecificCredentialId,
  sealed: (c) => c.SealedSecret,
  withSealed: (c, SealedSecret) => ({ ...c, SealedSecret }),
};

const SEALED_MEMBERS = [accessKeys, mfaSeeds, serviceCredentials] as ReadonlyArray<SealedMember<unknown>>;

/** How many values were re-sealed, by kind of entity. */
export type ResealCounts = Partial<Record<EntityKind, number>>;

/** Re-seals with the sealer's current key every stored value sealed with another one. */
export async function resealStoredSecrets(store: Store, sealer: SecretSealer): Promise<ResealCounts> {
  const counts: ResealCounts = {};
  const accounts = await store.read((reader) => reader.list<Account>('account', ''));
  for (const { AccountId: account } of accounts) {
    for (const member of SEALED_MEMBERS) {
      const resealed = await store.write(async (tx) => {
        let n = 0;
        for (const entity of await tx.list<unknown>(member.kind, account)) {
          const sealed = member.sealed(entity);
          if (!sealer.needsResealing(sealed)) continue;
          const context = member.context(entity);
          await tx.put(member.kind, account, member.key(entity), member.withSealed(entity, sealer.seal(sealer.unseal(sealed, context), context)));
          n++;
        }
        return n;
      });
      if (resealed > 0) counts[member.kind] = (counts[member.kind] ?? 0) + resealed;
    }
  }
  return counts;
}

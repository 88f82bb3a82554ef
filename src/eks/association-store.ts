/**
 * Where pod identity associations live in the store: each under `<cluster>/<id>` in its account (so a
 * cluster's are contiguous in key order), with a binding under `<cluster>/<namespace>/<serviceAccount>`
 * that makes the service account's association unique and findable by a token's subject.
 */
import type { EksCluster, PodIdentityAssociationRecord, PodIdentityBinding } from '../model/eks-entities.js';
import type { StoreReader, StoreWriter } from '../store/types.js';

/** The store key of an association. */
export const associationKey = (clusterName: string, associationId: string) => `${clusterName}/${associationId}`;
/** The key that makes a service account's association unique and findable by a token's subject. */
export const bindingKey = (clusterName: string, namespace: string, serviceAccount: string) => `${clusterName}/${namespace}/${serviceAccount}`;

/** The association of a service account of a cluster, if any (what AssumeRoleForPodIdentity looks up). */
export async function findAssociationFor(reader: StoreReader, cluster: EksCluster, namespace: string, serviceAccount: string): Promise<PodIdentityAssociationRecord | undefined> {
  const binding = await reader.get<PodIdentityBinding>('podIdentityBinding', cluster.accountId, bindingKey(cluster.name, namespace, serviceAccount));
  if (!binding) return undefined;
  const record = await reader.get<PodIdentityAssociationRecord>('podIdentityAssociation', cluster.accountId, associationKey(cluster.name, binding.associationId));
  // Keys compare without case; namespaces and service accounts are lowercase, but be exact.
  return record && record.namespace === namespace && record.serviceAccount === serviceAccount ? record : undefined;
}

/** The cluster's associations, in key order (the key is `<cluster>/<id>`, so they are contiguous). */
export async function associationsOf(reader: StoreReader, cluster: EksCluster): Promise<PodIdentityAssociationRecord[]> {
  const out: PodIdentityAssociationRecord[] = [];
  let after = `${cluster.name}/`.toLowerCase();
  for (;;) {
    const batch = await reader.list<PodIdentityAssociationRecord>('podIdentityAssociation', cluster.accountId, { after, limit: 500 });
    const ours = batch.filter((record) => record.clusterName === cluster.name);
    out.push(...ours);
    if (ours.length < batch.length || batch.length < 500) return out;
    after = associationKey(cluster.name, batch[batch.length - 1]!.associationId).toLowerCase();
  }
}

/** Deletes every association of a cluster with its bindings (deleting an EKS cluster deletes them). */
export async function deleteAssociationsOf(tx: StoreWriter, cluster: EksCluster): Promise<void> {
  for (const record of await associationsOf(tx, cluster)) {
    await tx.delete('podIdentityAssociation', cluster.accountId, associationKey(cluster.name, record.associationId));
    await tx.delete('podIdentityBinding', cluster.accountId, bindingKey(cluster.name, record.namespace, record.serviceAccount));
  }
}

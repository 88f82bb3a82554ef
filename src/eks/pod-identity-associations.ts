/**
 * EKS Pod Identity associations (API_CreatePodIdentityAssociation.html, API_DescribePodIdentityAssociation.html,
 * API_UpdatePodIdentityAssociation.html, API_DeletePodIdentityAssociation.html,
 * API_ListPodIdentityAssociations.html; pod-identity.md §1): one IAM role per service account per cluster.
 * The role must be in the cluster's account and trust `pods.eks.amazonaws.com` with `sts:AssumeRole` and
 * `sts:TagSession` ("Trust policy of the role provided is invalid"); creating or changing it passes the
 * role to EKS (`iam:PassRole` with `iam:PassedToService`). An optional target role (any account) is assumed
 * with the association role's session; `externalId` is what EKS then passes as `sts:ExternalId`. Ids are
 * `a-` and 17 lowercase alphanumerics; ARNs `arn:aws:eks:REGION:ACCOUNT:podidentityassociation/CLUSTER/ID`.
 */
import type { AuthorizationTarget, OperationContext } from '../iam/operation.js';
import { requestTagContext, resourceTagContext } from '../iam/tags.js';
import { parseRoleArn } from '../model/arns.js';
import type { Role } from '../model/entities.js';
import type { EksCluster, PodIdentityAssociationRecord, PodIdentityBinding } from '../model/eks-entities.js';
import { associationKey, associationsOf, bindingKey, findAssociationFor } from './association-store.js';
import { secureRandomBytes } from '../model/random.js';
import type { ContextValue } from '../policy/types.js';
import { EntityConflictError, type StoreReader, type StoreWriter } from '../store/types.js';
import { checkInlineSessionPolicy } from '../sts/session-parameters.js';
import { serviceMayAssumeRole } from '../sts/service-trust.js';
import { podIdentityAssociationArn } from './arns.js';
import { checkTagKeys, clusterTarget, requireCluster, tagList } from './clusters.js';
import { invalidParameter, resourceInUse, resourceLimitExceeded, resourceNotFound } from './errors.js';
import { checkClusterName, defineEksOperation } from './operation.js';
import { pageOf } from './pagination.js';

/** The service principal EKS Pod Identity assumes roles as. */
export const POD_IDENTITY_SERVICE = 'pods.eks.amazonaws.com';
/** EKS's quota of associations per cluster. */
export const ASSOCIATIONS_PER_CLUSTER = 5000;

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A new association id: `a-` and 17 lowercase alphanumerics, uniformly drawn. */
export function newAssociationId(): string {
  let id = 'a-';
  while (id.length < 19) {
    for (const byte of secureRandomBytes(24)) {
      // 252 = 7 × 36: bytes above it would favour the first letters.
      if (byte < 252 && id.length < 19) id += ID_ALPHABET[byte % 36];
    }
  }
  return id;
}

/** The `sts:ExternalId` EKS passes to a target role (pod-id-assign-target-role.html). */
export function associationExternalId(cluster: EksCluster, namespace: string, serviceAccount: string): string {
  return `${cluster.region}/${cluster.accountId}/${cluster.name}/${namespace}/${serviceAccount}`;
}

/** An association as the API shows it (the `PodIdentityAssociation` shape). */
export function associationOutput(record: PodIdentityAssociationRecord): Record<string, unknown> {
  return {
    clusterName: record.clusterName,
    namespace: record.namespace,
    serviceAccount: record.serviceAccount,
    roleArn: record.roleArn,
    associationArn: record.associationArn,
    associationId: record.associationId,
    tags: record.tags,
    createdAt: record.createdAt,
    modifiedAt: record.modifiedAt,
    disableSessionTags: record.disableSessionTags,
    ...(record.targetRoleArn !== undefined ? { targetRoleArn: record.targetRoleArn } : {}),
    ...(record.externalId !== undefined ? { externalId: record.externalId } : {}),
    ...(record.policy !== undefined ? { policy: record.policy } : {}),
  };
}

const associationNotFound = (id: string, clusterName: string) => resourceNotFound(`No association found for id: ${id}.`, clusterName);

async function requireAssociation(reader: StoreReader, context: OperationContext, clusterName: string, associationId: string): Promise<{ cluster: EksCluster; record: PodIdentityAssociationRecord }> {
  const cluster = await requireCluster(reader, context, clusterName);
  const record = await reader.get<PodIdentityAssociationRecord>('podIdentityAssociation', context.accountId, associationKey(cluster.name, associationId));
  if (!record || record.associationId !== associationId) throw associationNotFound(associationId, clusterName);
  return { cluster, record };
}

function checkKubernetesNames(namespace: string, serviceAccount: string): void {
  if (namespace.length > 63 || !DNS_LABEL.test(namespace)) throw invalidParameter(`The namespace parameter is not a valid Kubernetes namespace name: ${namespace}`);
  if (serviceAccount.length > 253 || !DNS_SUBDOMAIN.test(serviceAccount)) throw invalidParameter(`The serviceAccount parameter is not a valid Kubernetes service account name: ${serviceAccount}`);
}

/** The association's role: a role of the cluster's account that trusts pods.eks.amazonaws.com for both actions. */
async function checkAssociationRole(context: OperationContext, cluster: EksCluster, roleArn: string, namespace: string, serviceAccount: string): Promise<void> {
  const parsed = ROLE_ARN.test(roleArn) ? parseRoleArn(roleArn) : undefined;
  if (!parsed) throw invalidParameter(`The roleArn parameter is not a valid IAM role ARN: ${roleArn}`, cluster.name);
  if (parsed.account !== cluster.accountId) throw invalidParameter(`The role ${roleArn} must be in the same account as the cluster.`, cluster.name);
  const role = await context.store.read((reader) => reader.get<Role>('role', parsed.account, parsed.name));
  if (!role || role.Arn !== roleArn) throw invalidParameter(`Role ${roleArn} does not exist.`, cluster.name);
  // The tags every session of this association carries that are known now; pod name and uid come per pod.
  const tags = [
    { Key: 'eks-cluster-arn', Value: cluster.arn },
    { Key: 'eks-cluster-name', Value: cluster.name },
    { Key: 'kubernetes-namespace', Value: namespace },
    { Key: 'kubernetes-service-account', Value: serviceAccount },
  ];
  const trusted = serviceMayAssumeRole(context, role, { servicePrincipal: POD_IDENTITY_SERVICE, actions: ['sts:AssumeRole', 'sts:TagSession'], tags });
  if (!trusted) throw invalidParameter('Trust policy of the role provided is invalid', cluster.name);
}

function checkTargetRole(cluster: EksCluster, targetRoleArn: string | undefined, roleArn: string): void {
  if (targetRoleArn === undefined) return;
  if (!ROLE_ARN.test(targetRoleArn)) throw invalidParameter(`The targetRoleArn parameter is not a valid IAM role ARN: ${targetRoleArn}`, cluster.name);
  if (targetRoleArn === roleArn) throw invalidParameter('The targetRoleArn must be a different role than the roleArn.', cluster.name);
}

/** A session policy narrows the association's credentials; EKS requires session tags off with it. */
function checkPolicy(cluster: EksCluster, policy: string | undefined, disableSessionTags: boolean): void {
  if (policy === undefined) return;
  if (!disableSessionTags) throw invalidParameter('A policy can only be set when disableSessionTags is true.', cluster.name);
  try {
    checkInlineSessionPolicy(policy);
  } catch (error) {
    throw invalidParameter(`The policy parameter is not a valid session policy: ${(error as Error).message}`, cluster.name);
  }
}

function passRole(roleArn: string): AuthorizationTarget {
  // Associating a role passes it to EKS Pod Identity (pod-id-association.html: the caller needs iam:PassRole).
  return { action: 'iam:PassRole', resource: roleArn, context: { 'iam:PassedToService': POD_IDENTITY_SERVICE } };
}

/** An authorization target on an association ARN, with its tags as aws:ResourceTag keys. */
async function associationTarget(context: OperationContext, action: string, clusterName: string, associationId: string): Promise<AuthorizationTarget> {
  const record = await context.store.read((reader) => reader.get<PodIdentityAssociationRecord>('podIdentityAssociation', context.accountId, associationKey(clusterName, associationId)));
  const context_: Record<string, ContextValue> = resourceTagContext(tagList(record?.tags));
  return { action, resource: podIdentityAssociationArn(context.region, context.accountId, clusterName, associationId), context: context_ };
}

export interface CreatePodIdentityAssociationInput {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  clientRequestToken?: string;
  tags?: Record<string, string>;
  disableSessionTags?: boolean;
  targetRoleArn?: string;
  policy?: string;
}

type AssociationOutput = { association: Record<string, unknown> };

export const createPodIdentityAssociation = defineEksOperation<CreatePodIdentityAssociationInput, AssociationOutput>({
  service: 'eks',
  name: 'CreatePodIdentityAssociation',
  async authorize(context, input) {
    checkClusterName(input.clusterName);
    const requestTags = requestTagContext(tagList(input.tags));
    const targets = [await clusterTarget(context, 'eks:CreatePodIdentityAssociation', input.clusterName, requestTags)];
    if (input.tags && Object.keys(input.tags).length > 0) targets.push(await clusterTarget(context, 'eks:TagResource', input.clusterName, requestTags));
    targets.push(passRole(input.roleArn));
    return targets;
  },
  async execute(context, input) {
    checkTagKeys(input.tags);
    const cluster = await context.store.read((reader) => requireCluster(reader, context, input.clusterName));
    checkKubernetesNames(input.namespace, input.serviceAccount);
    const disableSessionTags = input.disableSessionTags ?? false;
    checkTargetRole(cluster, input.targetRoleArn, input.roleArn);
    checkPolicy(cluster, input.policy, disableSessionTags);
    await checkAssociationRole(context, cluster, input.roleArn, input.namespace, input.serviceAccount);
    const associationId = newAssociationId();
    const now = context.now.toISOString();
    const record: PodIdentityAssociationRecord = {
      clusterName: cluster.name,
      namespace: input.namespace,
      serviceAccount: input.serviceAccount,
      roleArn: input.roleArn,
      associationArn: podIdentityAssociationArn(cluster.region, cluster.accountId, cluster.name, associationId),
      associationId,
      tags: { ...input.tags },
      createdAt: now,
      modifiedAt: now,
      disableSessionTags,
      ...(input.targetRoleArn !== undefined ? { targetRoleArn: input.targetRoleArn, externalId: associationExternalId(cluster, input.namespace, input.serviceAccount) } : {}),
      ...(input.policy !== undefined ? { policy: input.policy } : {}),
      ...(input.clientRequestToken !== undefined ? { clientRequestToken: input.clientRequestToken } : {}),
    };
    const stored = await context.store.write(async (tx) => insertAssociation(tx, cluster, record));
    return { association: associationOutput(stored) };
  },
});

/** Inserts the association and its binding; the same service account's existing one is ResourceInUseException. */
async function insertAssociation(tx: StoreWriter, cluster: EksCluster, record: PodIdentityAssociationRecord): Promise<PodIdentityAssociationRecord> {
  const existing = await findAssociationFor(tx, cluster, record.namespace, record.serviceAccount);
  if (existing) {
    // A retry of the same request (the SDKs fill clientRequestToken) answers with the association it made.
    if (record.clientRequestToken !== undefined && existing.clientRequestToken === record.clientRequestToken) return existing;
    throw resourceInUse(`Association already exists: ${existing.associationId}`, cluster.name);
  }
  if ((await associationsOf(tx, cluster)).length >= ASSOCIATIONS_PER_CLUSTER) {
    throw resourceLimitExceeded(`Cannot create more than ${ASSOCIATIONS_PER_CLUSTER} pod identity associations in cluster ${cluster.name}.`, cluster.name);
  }
  try {
    await tx.insert<PodIdentityBinding>('podIdentityBinding', cluster.accountId, bindingKey(cluster.name, record.namespace, record.serviceAccount), { associationId: record.associationId });
  } catch (error) {
    if (error instanceof EntityConflictError) throw resourceInUse('Association already exists for this service account.', cluster.name);
    throw error;
  }
  await tx.insert('podIdentityAssociation', cluster.accountId, associationKey(cluster.name, record.associationId), record);
  return record;
}

interface AssociationRef {
  clusterName: string;
  associationId: string;
}

export const describePodIdentityAssociation = defineEksOperation<AssociationRef, AssociationOutput>({
  service: 'eks',
  name: 'DescribePodIdentityAssociation',
  async authorize(context, input) {
    checkClusterName(input.clusterName);
    return [await associationTarget(context, 'eks:DescribePodIdentityAssociation', input.clusterName, input.associationId)];
  },
  async execute(context, input) {
    const { record } = await context.store.read((reader) => requireAssociation(reader, context, input.clusterName, input.associationId));
    return { association: associationOutput(record) };
  },
});

export interface UpdatePodIdentityAssociationInput extends AssociationRef {
  roleArn?: string;
  clientRequestToken?: string;
  disableSessionTags?: boolean;
  /** An empty string removes the target role. */
  targetRoleArn?: string;
  policy?: string;
}

export const updatePodIdentityAssociation = defineEksOperation<UpdatePodIdentityAssociationInput, AssociationOutput>({
  service: 'eks',
  name: 'UpdatePodIdentityAssociation',
  async authorize(context, input) {
    checkClusterName(input.clusterName);
    const targets = [await associationTarget(context, 'eks:UpdatePodIdentityAssociation', input.clusterName, input.associationId)];
    if (input.roleArn !== undefined) targets.push(passRole(input.roleArn));
    return targets;
  },
  async execute(context, input) {
    const { cluster, record } = await context.store.read((reader) => requireAssociation(reader, context, input.clusterName, input.associationId));
    if (input.roleArn === undefined && input.targetRoleArn === undefined && input.disableSessionTags === undefined && input.policy === undefined) {
      throw invalidParameter('At least one of roleArn, targetRoleArn, disableSessionTags or policy must be given to update an association.', cluster.name);
    }
    const roleArn = input.roleArn ?? record.roleArn;
    const targetRoleArn = input.targetRoleArn === undefined ? record.targetRoleArn : input.targetRoleArn === '' ? undefined : input.targetRoleArn;
    const disableSessionTags = input.disableSessionTags ?? record.disableSessionTags;
    const policy = input.policy === undefined ? record.policy : input.policy === '' ? undefined : input.policy;
    checkTargetRole(cluster, targetRoleArn, roleArn);
    checkPolicy(cluster, policy, disableSessionTags);
    if (input.roleArn !== undefined) await checkAssociationRole(context, cluster, roleArn, record.namespace, record.serviceAccount);
    const { targetRoleArn: _target, externalId: _externalId, policy: _policy, ...kept } = record;
    const updated: PodIdentityAssociationRecord = {
      ...kept,
      roleArn,
      disableSessionTags,
      modifiedAt: context.now.toISOString(),
      ...(targetRoleArn !== undefined ? { targetRoleArn, externalId: associationExternalId(cluster, record.namespace, record.serviceAccount) } : {}),
      ...(policy !== undefined ? { policy } : {}),
    };
    await context.store.write(async (tx) => {
      await requireAssociation(tx, context, input.clusterName, input.associationId);
      await tx.put('podIdentityAssociation', context.accountId, associationKey(cluster.name, record.associationId), updated);
    });
    return { association: associationOutput(updated) };
  },
});

export const deletePodIdentityAssociation = defineEksOperation<AssociationRef, AssociationOutput>({
  service: 'eks',
  name: 'DeletePodIdentityAssociation',
  async authorize(context, input) {
    checkClusterName(input.clusterName);
    return [await associationTarget(context, 'eks:DeletePodIdentityAssociation', input.clusterName, input.associationId)];
  },
  async execute(context, input) {
    const deleted = await context.store.write(async (tx) => {
      const { cluster, record } = await requireAssociation(tx, context, input.clusterName, input.associationId);
      await tx.delete('podIdentityAssociation', context.accountId, associationKey(cluster.name, record.associationId));
      await tx.delete('podIdentityBinding', context.accountId, bindingKey(cluster.name, record.namespace, record.serviceAccount));
      return record;
    });
    return { association: associationOutput(deleted) };
  },
});

export interface ListPodIdentityAssociationsInput {
  clusterName: string;
  namespace?: string;
  serviceAccount?: string;
  maxResults?: number;
  nextToken?: string;
}

export const listPodIdentityAssociations = defineEksOperation<ListPodIdentityAssociationsInput, { associations: Record<string, unknown>[]; nextToken?: string }>({
  service: 'eks',
  name: 'ListPodIdentityAssociations',
  async authorize(context, input) {
    checkClusterName(input.clusterName);
    return [await clusterTarget(context, 'eks:ListPodIdentityAssociations', input.clusterName)];
  },
  async execute(context, input) {
    const records = await context.store.read(async (reader) => associationsOf(reader, await requireCluster(reader, context, input.clusterName)));
    const matching = records.filter(
      (record) => (input.namespace === undefined || record.namespace === input.namespace) && (input.serviceAccount === undefined || record.serviceAccount === input.serviceAccount),
    );
    const page = pageOf(matching, (record) => record.associationId, input);
    const associations = page.items.map((record) => ({
      clusterName: record.clusterName,
      namespace: record.namespace,
      serviceAccount: record.serviceAccount,
      associationArn: record.associationArn,
      associationId: record.associationId,
    }));
    return { associations, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  },
});

/**
 * EKS clusters (API_CreateCluster.html, API_DescribeCluster.html, API_ListClusters.html,
 * API_DeleteCluster.html) and Rolecall's CreateClusterIssuer. A cluster here is an account-owned
 * record with a name, an ARN (`arn:aws:eks:REGION:ACCOUNT:cluster/NAME`) and a service-account token
 * issuer (`cluster.identity.oidc.issuer`):
 * - Rolecall-issued (CreateCluster): Rolecall is the issuer, `https://<public host>/clusters/<name>`; it
 *   holds the signing keys and serves the discovery document and JWKS there (issuer-documents.ts).
 * - Registered (CreateClusterIssuer with issuerUrl or jwks): a real cluster's issuer URL (discovery and
 *   JWKS fetched and cached) or an inline JWKS for a private issuer.
 * CreateClusterIssuer without either makes a Rolecall-issued cluster without the IAM role and VPC
 * CreateCluster asks for (`rolecall cluster create`).
 * Names are unique on the server, whatever the account or region: the issuer URL is derived from the name
 * alone. A cluster is visible only in its own account and region, as on EKS. The VPC, network, logging and
 * access settings are stored and returned with AWS's defaults; nothing uses them (there is no control
 * plane), and a cluster is ACTIVE as soon as it exists.
 */
import type { AuthorizationTarget, OperationContext } from '../iam/operation.js';
import { resourceTagContext, requestTagContext } from '../iam/tags.js';
import { parseRoleArn } from '../model/arns.js';
import type { Role, Tag } from '../model/entities.js';
import type { EksCluster, ServiceAccountIssuerKeys } from '../model/eks-entities.js';
import type { ContextValue } from '../policy/types.js';
import type { StoreReader, StoreWriter } from '../store/types.js';
import { localKeySet, OidcKeyCache } from '../sts/oidc-discovery.js';
import { serviceMayAssumeRole } from '../sts/service-trust.js';
import { clusterArn } from './arns.js';
import { deleteAssociationsOf } from './association-store.js';
import { clusterNotFound, invalidParameter, resourceInUse, resourceLimitExceeded } from './errors.js';
import { checkClusterName, defineEksOperation } from './operation.js';
import { pageOf } from './pagination.js';
import { newSigningKey, publishedJwk, SIGNING_ALGORITHMS, type SigningAlgorithm } from './signing-keys.js';

/** The Kubernetes version of a cluster created without one (EKS's default of the time). */
export const DEFAULT_KUBERNETES_VERSION = '1.34';
/** EKS's quota: clusters per account per region. */
export const CLUSTERS_PER_REGION = 100;
/** The service principal a cluster's IAM role must trust (create-cluster.html, cluster-iam-role.html). */
const EKS_SERVICE_PRINCIPAL = 'eks.amazonaws.com';
const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/** A stored cluster as the EKS API shows it (the `Cluster` shape). */
export function clusterOutput(cluster: EksCluster, status = 'ACTIVE'): Record<string, unknown> {
  return {
    name: cluster.name,
    arn: cluster.arn,
    createdAt: cluster.createdAt,
    ...(cluster.version !== undefined ? { version: cluster.version } : {}),
    ...(cluster.roleArn !== undefined ? { roleArn: cluster.roleArn } : {}),
    ...(cluster.resourcesVpcConfig ? { resourcesVpcConfig: cluster.resourcesVpcConfig } : {}),
    ...(cluster.kubernetesNetworkConfig ? { kubernetesNetworkConfig: cluster.kubernetesNetworkConfig } : {}),
    ...(cluster.logging ? { logging: cluster.logging } : {}),
    ...(cluster.issuer !== '' ? { identity: { oidc: { issuer: cluster.issuer } } } : {}),
    status,
    ...(cluster.issuerKind === 'rolecall' ? { platformVersion: 'eks.1' } : {}),
    ...(cluster.clientRequestToken !== undefined ? { clientRequestToken: cluster.clientRequestToken } : {}),
    tags: cluster.tags,
    ...(cluster.accessConfig ? { accessConfig: cluster.accessConfig } : {}),
    ...(cluster.upgradePolicy ? { upgradePolicy: cluster.upgradePolicy } : {}),
  };
}

/** The issuer URL of a Rolecall-issued cluster: HTTPS on the public URL's host and path (IAM and Kubernetes require HTTPS issuers). */
export function rolecallIssuerUrl(publicUrl: string, name: string): string {
  const base = new URL(publicUrl);
  return `https://${base.host}${base.pathname.replace(/\/$/, '')}/clusters/${name}`;
}

/** Tags as the IAM-style list the context-key helpers take. */
export function tagList(tags: Readonly<Record<string, string>> | undefined): Tag[] {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

/** EKS refuses tag keys in the reserved `aws:` namespace (the model checks sizes and counts). */
export function checkTagKeys(tags: Readonly<Record<string, string>> | undefined, error: (message: string) => Error = invalidParameter): void {
  for (const key of Object.keys(tags ?? {})) {
    if (key.toLowerCase().startsWith('aws:')) throw error(`Tag keys starting with "aws:" are reserved for AWS use: ${key}`);
  }
}

/** The cluster a name names in the caller's account and region, or undefined (another account's is invisible). */
export async function findCluster(reader: StoreReader, context: OperationContext, name: string): Promise<EksCluster | undefined> {
  const cluster = await reader.find<EksCluster>('eksCluster', name);
  return cluster && cluster.accountId === context.accountId && cluster.region === context.region && cluster.name === name ? cluster : undefined;
}

/** The cluster, or EKS's ResourceNotFoundException. */
export async function requireCluster(reader: StoreReader, context: OperationContext, name: string): Promise<EksCluster> {
  checkClusterName(name);
  const cluster = await findCluster(reader, context, name);
  if (!cluster) throw clusterNotFound(name);
  return cluster;
}

/** An authorization target on a cluster, with its tags as aws:ResourceTag keys when it exists. */
export async function clusterTarget(context: OperationContext, action: string, name: string, extra: Record<string, ContextValue> = {}): Promise<AuthorizationTarget> {
  const cluster = await context.store.read((reader) => findCluster(reader, context, name));
  return {
    action,
    resource: clusterArn(context.region, context.accountId, name),
    context: { ...resourceTagContext(tagList(cluster?.tags)), ...extra },
  };
}

/** Inserts a cluster whose name no cluster on this server has yet; the name's owner learns it is taken. */
async function insertCluster(tx: StoreWriter, cluster: EksCluster): Promise<void> {
  if (await tx.find<EksCluster>('eksCluster', cluster.name)) throw resourceInUse(`Cluster already exists with name: ${cluster.name}`, cluster.name);
  const inRegion = (await tx.list<EksCluster>('eksCluster', cluster.accountId)).filter((other) => other.region === cluster.region);
  if (inRegion.length >= CLUSTERS_PER_REGION) throw resourceLimitExceeded(`Cannot create cluster ${cluster.name} because the limit of ${CLUSTERS_PER_REGION} clusters per region has been reached.`, cluster.name);
  await tx.insert('eksCluster', cluster.accountId, cluster.name, cluster);
  if (cluster.issuerKind === 'rolecall') {
    const keys: ServiceAccountIssuerKeys = { issuer: cluster.issuer, clusterArn: cluster.arn, keys: (cluster.signingKeys ?? []).map(publishedJwk) };
    await tx.put('serviceAccountIssuer', '', cluster.issuer, keys);
  }
}

export interface CreateClusterInput {
  name: string;
  version?: string;
  roleArn: string;
  resourcesVpcConfig: {
    subnetIds?: string[];
    securityGroupIds?: string[];
    endpointPublicAccess?: boolean;
    endpointPrivateAccess?: boolean;
    publicAccessCidrs?: string[];
  };
  kubernetesNetworkConfig?: { serviceIpv4Cidr?: string; ipFamily?: string };
  logging?: Record<string, unknown>;
  clientRequestToken?: string;
  tags?: Record<string, string>;
  accessConfig?: { bootstrapClusterCreatorAdminPermissions?: boolean; authenticationMode?: string };
  /** Rolecall's member (models/rolecall-eks-extensions.json): the signing algorithm, `RS256` (default) or `ES256`. */
  keyAlgorithm?: SigningAlgorithm;
}

export interface ClusterOutput {
  cluster: Record<string, unknown>;
}

/** The role a cluster is created with must exist in the account and trust eks.amazonaws.com. */
async function checkClusterRole(context: OperationContext, roleArn: string): Promise<void> {
  const parsed = parseRoleArn(roleArn);
  const role = parsed && parsed.account === context.accountId ? await context.store.read((reader) => reader.get<Role>('role', parsed.account, parsed.name)) : undefined;
  const trusted = role !== undefined && role.Arn === roleArn && serviceMayAssumeRole(context, role, { servicePrincipal: EKS_SERVICE_PRINCIPAL, actions: ['sts:AssumeRole'] });
  if (!trusted) throw invalidParameter(`Role with arn: ${roleArn}, could not be assumed because it does not exist or the trusted entity is not correct`);
}

export const createCluster = defineEksOperation<CreateClusterInput, ClusterOutput>({
  service: 'eks',
  name: 'CreateCluster',
  authorize(context, input) {
    return [
      {
        action: 'eks:CreateCluster',
        resource: clusterArn(context.region, context.accountId, input.name),
        context: requestTagContext(tagList(input.tags)),
      },
      // Creating a cluster passes its role to EKS (id_roles_use_passrole.html).
      { action: 'iam:PassRole', resource: input.roleArn, context: { 'iam:PassedToService': EKS_SERVICE_PRINCIPAL } },
    ];
  },
  async execute(context, input) {
    checkTagKeys(input.tags);
    const existing = await context.store.read((reader) => findCluster(reader, context, input.name));
    // A retry of the same request (the SDKs fill clientRequestToken) answers with the cluster it made.
    if (existing && input.clientRequestToken !== undefined && existing.clientRequestToken === input.clientRequestToken) return { cluster: clusterOutput(existing) };
    await checkClusterRole(context, input.roleArn);
    const vpc = input.resourcesVpcConfig;
    const cluster: EksCluster = {
      ...rolecallIssuedCluster(context, input.name, input.keyAlgorithm, input.tags),
      version: input.version ?? DEFAULT_KUBERNETES_VERSION,
      roleArn: input.roleArn,
      resourcesVpcConfig: {
        subnetIds: vpc.subnetIds ?? [],
        securityGroupIds: vpc.securityGroupIds ?? [],
        endpointPublicAccess: vpc.endpointPublicAccess ?? true,
        endpointPrivateAccess: vpc.endpointPrivateAccess ?? false,
        publicAccessCidrs: vpc.publicAccessCidrs ?? ['0.0.0.0/0'],
      },
      kubernetesNetworkConfig: {
        serviceIpv4Cidr: input.kubernetesNetworkConfig?.serviceIpv4Cidr ?? '10.100.0.0/16',
        ipFamily: input.kubernetesNetworkConfig?.ipFamily ?? 'ipv4',
      },
      logging: input.logging ?? { clusterLogging: [{ types: LOG_TYPES, enabled: false }] },
      accessConfig: {
        bootstrapClusterCreatorAdminPermissions: input.accessConfig?.bootstrapClusterCreatorAdminPermissions ?? true,
        authenticationMode: input.accessConfig?.authenticationMode ?? 'API_AND_CONFIG_MAP',
      },
      upgradePolicy: { supportType: 'EXTENDED' },
      ...(input.clientRequestToken !== undefined ? { clientRequestToken: input.clientRequestToken } : {}),
    };
    await context.store.write((tx) => insertCluster(tx, cluster));
    return { cluster: clusterOutput(cluster) };
  },
});

/** A cluster whose issuer is this server, with a fresh signing key. */
function rolecallIssuedCluster(context: OperationContext, name: string, algorithm: SigningAlgorithm = 'RS256', tags: Record<string, string> = {}): EksCluster {
  if (!SIGNING_ALGORITHMS.includes(algorithm)) throw invalidParameter(`keyAlgorithm must be one of ${SIGNING_ALGORITHMS.join(', ')}`);
  if (!context.publicUrl) throw new Error('creating a Rolecall-issued cluster needs the server public URL');
  const arn = clusterArn(context.region, context.accountId, name);
  return {
    name,
    accountId: context.accountId,
    region: context.region,
    arn,
    createdAt: context.now.toISOString(),
    issuerKind: 'rolecall',
    issuer: rolecallIssuerUrl(context.publicUrl, name),
    signingKeys: [newSigningKey(context.secrets, arn, algorithm, context.now)],
    tags: { ...tags },
  };
}

export interface CreateClusterIssuerInput {
  name: string;
  /** For a Rolecall-issued cluster: `RS256` (default) or `ES256`. */
  keyAlgorithm?: SigningAlgorithm;
  issuerUrl?: string;
  /** A JSON Web Key Set document (text). */
  jwks?: string;
  tags?: Record<string, string>;
}

/** The keys cache of registered issuers (discovery + JWKS fetched, cached, refreshed on an unknown kid). */
export const registeredIssuerKeys = new OidcKeyCache();

/** An issuer URL as Kubernetes requires it (https, no query or fragment), or a loopback http one the key cache may reach. */
function checkIssuerUrl(issuerUrl: string): void {
  let url: URL | undefined;
  try {
    url = new URL(issuerUrl);
  } catch {
    url = undefined;
  }
  if (!url || url.search || url.hash || url.username || !registeredIssuerKeys.allowsIssuer(issuerUrl)) {
    throw invalidParameter(`The issuerUrl parameter must be an https URL without query or fragment (http only on a loopback address): ${issuerUrl}`);
  }
}

/** An inline JWKS: JSON with at least one RSA or EC signing key and no private key material. */
function parseJwks(text: string): { keys: Record<string, unknown>[] } {
  const invalid = () => invalidParameter('The jwks parameter must be a JSON Web Key Set with at least one RSA or EC public signing key.');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw invalid();
  }
  try {
    localKeySet(document);
  } catch {
    throw invalid();
  }
  const keys = (document as { keys: unknown[] }).keys.filter((key): key is Record<string, unknown> => typeof key === 'object' && key !== null && (key as { kty?: unknown }).kty !== undefined);
  if (!keys.some((key) => key.kty === 'RSA' || key.kty === 'EC')) throw invalid();
  return { keys };
}

export const createClusterIssuer = defineEksOperation<CreateClusterIssuerInput, ClusterOutput>({
  service: 'eks',
  name: 'CreateClusterIssuer',
  authorize(context, input) {
    // Registering a real cluster's issuer is AWS's "connect an external cluster" (API_RegisterCluster.html);
    // a cluster Rolecall issues for is a cluster created.
    const registers = input.issuerUrl !== undefined || input.jwks !== undefined;
    const action = registers ? 'eks:RegisterCluster' : 'eks:CreateCluster';
    return [{ action, resource: clusterArn(context.region, context.accountId, input.name), context: requestTagContext(tagList(input.tags)) }];
  },
  async execute(context, input) {
    checkTagKeys(input.tags);
    const registers = input.issuerUrl !== undefined || input.jwks !== undefined;
    if (registers && input.keyAlgorithm !== undefined) throw invalidParameter('keyAlgorithm applies only to clusters Rolecall issues tokens for, not with issuerUrl or jwks.');
    if (input.issuerUrl !== undefined) checkIssuerUrl(input.issuerUrl);
    const jwks = input.jwks !== undefined ? parseJwks(input.jwks) : undefined;
    const cluster: EksCluster = registers
      ? {
          name: input.name,
          accountId: context.accountId,
          region: context.region,
          arn: clusterArn(context.region, context.accountId, input.name),
          createdAt: context.now.toISOString(),
          issuerKind: jwks ? 'jwks' : 'issuer-url',
          issuer: input.issuerUrl ?? '',
          ...(jwks ? { jwks } : {}),
          tags: { ...input.tags },
        }
      : rolecallIssuedCluster(context, input.name, input.keyAlgorithm, input.tags);
    await context.store.write((tx) => insertCluster(tx, cluster));
    return { cluster: clusterOutput(cluster) };
  },
});

export const describeCluster = defineEksOperation<{ name: string }, ClusterOutput>({
  service: 'eks',
  name: 'DescribeCluster',
  async authorize(context, input) {
    checkClusterName(input.name);
    return [await clusterTarget(context, 'eks:DescribeCluster', input.name)];
  },
  async execute(context, input) {
    const cluster = await context.store.read((reader) => requireCluster(reader, context, input.name));
    return { cluster: clusterOutput(cluster) };
  },
});

export const listClusters = defineEksOperation<{ maxResults?: number; nextToken?: string; include?: string[] }, { clusters: string[]; nextToken?: string }>({
  service: 'eks',
  name: 'ListClusters',
  authorize: () => [{ action: 'eks:ListClusters', resource: '*' }],
  async execute(context, input) {
    for (const value of input.include ?? []) {
      if (value !== 'all') throw invalidParameter(`The include parameter must be 'all' (lowercase): ${value}`);
    }
    const clusters = await context.store.read((reader) => reader.list<EksCluster>('eksCluster', context.accountId));
    const names = clusters.filter((cluster) => cluster.region === context.region).map((cluster) => cluster.name);
    const page = pageOf(names, (name) => name, input);
    return { clusters: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  },
});

export const deleteCluster = defineEksOperation<{ name: string }, ClusterOutput>({
  service: 'eks',
  name: 'DeleteCluster',
  async authorize(context, input) {
    checkClusterName(input.name);
    return [await clusterTarget(context, 'eks:DeleteCluster', input.name)];
  },
  async execute(context, input) {
    const deleted = await context.store.write(async (tx) => {
      const cluster = await requireCluster(tx, context, input.name);
      await deleteClusterRecords(tx, cluster);
      return cluster;
    });
    return { cluster: clusterOutput(deleted, 'DELETING') };
  },
});

/** Deletes a cluster with its issuer keys and its pod identity associations (deleting an EKS cluster deletes them). */
async function deleteClusterRecords(tx: StoreWriter, cluster: EksCluster): Promise<void> {
  await deleteAssociationsOf(tx, cluster);
  await tx.delete('eksCluster', cluster.accountId, cluster.name);
  if (cluster.issuerKind === 'rolecall') await tx.delete('serviceAccountIssuer', '', cluster.issuer);
}

/**
 * Minting projected service-account tokens of a Rolecall-issued cluster, as the Kubernetes API server's
 * TokenRequest does (irsa.md §2): header `{"alg","kid"}` only; claims `aud` (always a JSON array), `exp`,
 * `iat`, `iss`, `jti` (a random UUID), `kubernetes.io` (`namespace`, `serviceaccount`, and for pod-bound
 * tokens `pod` and `node`, each `{name, uid}`), `nbf`, `sub` = `system:serviceaccount:NS:SA`, in the order
 * the API server writes them. TokenRequest's rules: expirationSeconds at least 600 ("may not specify a
 * duration less than 10 minutes"), at most 2^32, default 3600; the audience defaults to the API server's
 * own, the issuer.
 *
 * There is no Kubernetes API here to read object uids from: a uid not given is derived from the cluster
 * ARN and the object's name (a stable UUID), so the same service account or pod always has the same uid.
 *
 * Authorized as `eks:CreateServiceAccountToken` on the cluster ARN: a Rolecall action (AWS has none —
 * on EKS the cluster's own API server mints tokens, authorized by Kubernetes RBAC). docs/eks.md says why.
 */
import { createHash, randomUUID } from 'node:crypto';
import { CompactSign } from 'jose';
import type { EksCluster } from '../model/eks-entities.js';
import { clusterTarget, requireCluster } from './clusters.js';
import { invalidParameter, invalidRequest } from './errors.js';
import { checkClusterName, defineEksOperation } from './operation.js';
import { signingPrivateKey } from './signing-keys.js';

export const MIN_EXPIRATION_SECONDS = 600;
export const DEFAULT_EXPIRATION_SECONDS = 3600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

/** RFC 1123 label (namespaces) and subdomain (service accounts, pods, nodes), as Kubernetes validates names. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export interface CreateServiceAccountTokenInput {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  serviceAccountUid?: string;
  audiences?: string[];
  expirationSeconds?: number;
  podName?: string;
  podUid?: string;
  nodeName?: string;
  nodeUid?: string;
}

export interface CreateServiceAccountTokenOutput {
  token: string;
  /** ISO timestamp of `exp`. */
  expirationTimestamp: string;
}

function checkName(value: string, pattern: RegExp, max: number, what: string): void {
  if (value.length > max || !pattern.test(value)) {
    throw invalidParameter(`The ${what} '${value}' is not a valid Kubernetes name: lowercase alphanumerics and '-'${pattern === DNS_SUBDOMAIN ? " or '.'" : ''}, at most ${max} characters, starting and ending with an alphanumeric.`);
  }
}

/** A uid Kubernetes would have assigned, stable for the object: a UUID (version 5 layout) from its identity. */
export function derivedUid(clusterArn: string, kind: string, namespace: string, name: string): string {
  const bytes = createHash('sha256').update(`${clusterArn}\n${kind}\n${namespace}\n${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Signs a token for a service account of a Rolecall-issued cluster; the input is checked. */
export async function mintServiceAccountToken(cluster: EksCluster, secrets: Parameters<typeof signingPrivateKey>[0], input: CreateServiceAccountTokenInput, now: Date): Promise<CreateServiceAccountTokenOutput> {
  const key = cluster.signingKeys?.[cluster.signingKeys.length - 1];
  if (cluster.issuerKind !== 'rolecall' || !key) {
    throw invalidRequest(`Cluster ${cluster.name} has its own token issuer (${cluster.issuer || 'an inline JWKS'}); Rolecall holds no signing key for it.`, cluster.name);
  }
  checkName(input.namespace, DNS_LABEL, 63, 'namespace');
  checkName(input.serviceAccount, DNS_SUBDOMAIN, 253, 'service account name');
  if (input.podName !== undefined) checkName(input.podName, DNS_SUBDOMAIN, 253, 'pod name');
  if (input.nodeName !== undefined) checkName(input.nodeName, DNS_SUBDOMAIN, 253, 'node name');
  if (input.podUid !== undefined && input.podName === undefined) throw invalidParameter('podUid needs podName: a token is bound to a pod by its name and uid.');
  if (input.nodeUid !== undefined && input.nodeName === undefined) throw invalidParameter('nodeUid needs nodeName.');
  const seconds = input.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  if (seconds < MIN_EXPIRATION_SECONDS) throw invalidParameter(`spec.expirationSeconds: Invalid value: ${seconds}: may not specify a duration less than 10 minutes`);
  if (seconds > MAX_EXPIRATION_SECONDS) throw invalidParameter(`spec.expirationSeconds: Invalid value: ${seconds}: may not specify a duration larger than 2^32 seconds`);
  const audiences = input.audiences && input.audiences.length > 0 ? input.audiences : [cluster.issuer];
  if (audiences.some((audience) => audience === '')) throw invalidParameter('An audience may not be empty.');

  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + seconds;
  const ref = (kind: string, namespace: string, name: string, uid: string | undefined) => ({ name, uid: uid ?? derivedUid(cluster.arn, kind, namespace, name) });
  const kubernetes: Record<string, unknown> = { namespace: input.namespace };
  if (input.nodeName !== undefined) kubernetes.node = { name: input.nodeName, ...(input.nodeUid !== undefined ? { uid: input.nodeUid } : {}) };
  if (input.podName !== undefined) kubernetes.pod = ref('Pod', input.namespace, input.podName, input.podUid);
  kubernetes.serviceaccount = ref('ServiceAccount', input.namespace, input.serviceAccount, input.serviceAccountUid);
  const claims = {
    aud: audiences,
    exp,
    iat,
    iss: cluster.issuer,
    jti: randomUUID(),
    'kubernetes.io': kubernetes,
    nbf: iat,
    sub: `system:serviceaccount:${input.namespace}:${input.serviceAccount}`,
  };
  const token = await new CompactSign(Buffer.from(JSON.stringify(claims)))
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .sign(signingPrivateKey(secrets, cluster.arn, key));
  return { token, expirationTimestamp: new Date(exp * 1000).toISOString() };
}

export const createServiceAccountToken = defineEksOperation<CreateServiceAccountTokenInput, CreateServiceAccountTokenOutput>({
  service: 'eks',
  name: 'CreateServiceAccountToken',
  async authorize(context, input) {
    checkClusterName(input.clusterName);
    return [await clusterTarget(context, 'eks:CreateServiceAccountToken', input.clusterName)];
  },
  async execute(context, input) {
    const cluster = await context.store.read((reader) => requireCluster(reader, context, input.clusterName));
    return mintServiceAccountToken(cluster, context.secrets, input, context.now);
  },
});

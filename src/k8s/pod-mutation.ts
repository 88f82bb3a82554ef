/**
 * The admission webhook's mutation, compatible with amazon-eks-pod-identity-webhook (reference/irsa.md §1,
 * reference/pod-identity.md §4): given a pod as raw JSON, its namespace, its ServiceAccount's annotations
 * and whether a Pod Identity association covers it, the JSONPatch that gives its containers a projected
 * service-account token and the AWS variables that make the SDKs use it.
 *
 * The pod is read and rewritten as raw JSON, never through a typed model, so fields this code does not know
 * (startupProbe, a sidecar's restartPolicy, future fields) survive — the Go webhook's typed round trip
 * drops them (its issues #84, #208). Pure: no I/O, randomness injected. `rolecall run` applies the same
 * function to a synthetic pod.
 */
import { escapePointerToken, type JsonObject, type JsonPatchOperation, type JsonValue } from './json-patch.js';

/** The Pod Identity ("container credentials") mode's settings, the Go webhook's `--container-credentials-*` flags. */
export interface ContainerCredentialsSettings {
  audience: string;
  mountPath: string;
  volumeName: string;
  tokenPath: string;
  fullUri: string;
}

/** The webhook flags that change mutation (irsa.md §1.1). */
export interface MutationSettings {
  annotationPrefix: string;
  tokenAudience: string;
  tokenMountPath: string;
  /** Default `expirationSeconds`; raised to 600 if lower. */
  tokenExpiration: number;
  /** Injected as AWS_DEFAULT_REGION and AWS_REGION when not empty. */
  awsDefaultRegion: string;
  /** Default for injecting AWS_STS_REGIONAL_ENDPOINTS=regional. */
  stsRegionalEndpoint: boolean;
  /**
   * Injected as AWS_ENDPOINT_URL when not empty and the container sets none: Rolecall's own addition, so
   * pods call Rolecall rather than AWS (the Go webhook has no such flag; empty by default).
   */
  awsEndpointUrl: string;
  containerCredentials: ContainerCredentialsSettings;
}

/** The Go webhook's flag defaults (irsa.md §1.1, pod-identity.md §4). */
export const DEFAULT_MUTATION_SETTINGS: MutationSettings = {
  annotationPrefix: 'eks.amazonaws.com',
  tokenAudience: 'sts.amazonaws.com',
  tokenMountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount',
  tokenExpiration: 86400,
  awsDefaultRegion: '',
  stsRegionalEndpoint: false,
  awsEndpointUrl: '',
  containerCredentials: {
    audience: 'pods.eks.amazonaws.com',
    mountPath: '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount',
    volumeName: 'eks-pod-identity-token',
    tokenPath: 'eks-pod-identity-token',
    fullUri: 'http://169.254.170.23/v1/credentials',
  },
};

/** Kubernetes' TokenRequest minimum, which the webhook raises shorter expirations to. */
export const MINIMUM_TOKEN_EXPIRATION = 600;
/** The default expiration that Pod Identity mode jitters (pod-identity.md §4). */
const JITTERED_EXPIRATION = 86400;
const JITTER_MINIMUM = 79200;
const IRSA_VOLUME_NAME = 'aws-iam-token';
const IRSA_TOKEN_FILE = 'token';
const ROLE_ARN_PATTERN = /^arn:aws[a-z0-9-]*:iam::\d{12}:role\/[\w\-/.@+=,]+$/;

/** Which mechanism a mutation set up: the label values of `pod_identity_webhook_pod_count`. */
export type MutationMethod = 'sts_web_identity' | 'container_credentials';

/** What the webhook knows about the pod besides the pod itself. */
export interface PodMutationInput {
  pod: JsonObject;
  /** The admission request's namespace (the pod's own may still be empty at creation). */
  namespace: string;
  /** Annotations of the pod's ServiceAccount, if it was found. */
  serviceAccountAnnotations: Record<string, string> | undefined;
  /** A Pod Identity association covers the pod's namespace and ServiceAccount. */
  podIdentity: boolean;
}

/** The patch for one pod, the mechanism it set up, and warnings worth logging. */
export interface PodMutation {
  method: MutationMethod;
  patch: JsonPatchOperation[];
  warnings: string[];
}

/** Draws a uniform integer in [minimum, maximum]. */
export type RandomInteger = (minimum: number, maximum: number) => number;

/** What one mode injects into each container. */
interface Injection {
  volumeName: string;
  mountPath: string;
  volume: JsonObject;
  /** The two variables that name the identity; either one already set blocks both. */
  identityEnv: Array<{ name: string; value: string }>;
  useRegionalSts: boolean;
  skipContainers: Set<string>;
}

/** The webhook's patch for `input`, or undefined when nothing applies (no role, skip label, ...). */
export function mutatePod(input: PodMutationInput, settings: MutationSettings, randomInteger: RandomInteger): PodMutation | undefined {
  const { pod } = input;
  const metadata = asObject(pod['metadata']);
  const labels = asObject(metadata?.['labels']);
  const prefix = settings.annotationPrefix;
  // The shipped objectSelector keeps these pods away from the webhook; honoured here too for `rolecall run`
  // and for configurations without the selector. The label's value is ignored (irsa.md §1.2).
  if (labels && Object.hasOwn(labels, `${prefix}/skip-pod-identity-webhook`)) return undefined;

  const spec = asObject(pod['spec']) ?? {};
  const podAnnotations = stringRecord(metadata?.['annotations']);
  const saAnnotations = input.serviceAccountAnnotations ?? {};
  const roleArn = saAnnotations[`${prefix}/role-arn`] ?? '';
  if (!input.podIdentity && roleArn === '') return undefined;

  const warnings: string[] = [];
  const useRegionalSts = parseGoBool(saAnnotations[`${prefix}/sts-regional-endpoints`]) ?? settings.stsRegionalEndpoint;
  // Precedence: pod annotation > ServiceAccount annotation > flag (irsa.md §1.3).
  let expiration =
    parseGoInt64(podAnnotations[`${prefix}/token-expiration`]) ??
    parseGoInt64(saAnnotations[`${prefix}/token-expiration`]) ??
    settings.tokenExpiration;
  if (expiration < MINIMUM_TOKEN_EXPIRATION) expiration = MINIMUM_TOKEN_EXPIRATION;
  const skipContainers = parseSkipContainers(podAnnotations[`${prefix}/skip-containers`]);
  const windows = runsOnWindows(spec);

  let injection: Injection;
  let method: MutationMethod;
  if (input.podIdentity) {
    // Pod Identity mode beats IRSA (irsa.md §1.3); its default-length tokens are jittered so a fleet of
    // pods does not refresh at once (irsa.md §1.9).
    const cc = settings.containerCredentials;
    if (expiration === JITTERED_EXPIRATION) expiration = randomInteger(JITTER_MINIMUM, JITTERED_EXPIRATION);
    method = 'container_credentials';
    injection = {
      volumeName: cc.volumeName,
      mountPath: cc.mountPath,
      volume: projectedTokenVolume(cc.volumeName, cc.audience, expiration, cc.tokenPath),
      identityEnv: [
        { name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI', value: cc.fullUri },
        { name: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', value: tokenFilePath(`${cc.mountPath}/${cc.tokenPath}`, windows) },
      ],
      useRegionalSts,
      skipContainers,
    };
  } else {
    if (!ROLE_ARN_PATTERN.test(roleArn)) warnings.push(`role ARN '${roleArn}' does not look like an IAM role ARN; using it anyway`);
    const audience = nonEmpty(saAnnotations[`${prefix}/audience`]) ?? settings.tokenAudience;
    method = 'sts_web_identity';
    injection = {
      volumeName: IRSA_VOLUME_NAME,
      mountPath: settings.tokenMountPath,
      volume: projectedTokenVolume(IRSA_VOLUME_NAME, audience, expiration, IRSA_TOKEN_FILE),
      identityEnv: [
        { name: 'AWS_ROLE_ARN', value: roleArn },
        { name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: tokenFilePath(`${settings.tokenMountPath}/${IRSA_TOKEN_FILE}`, windows) },
      ],
      useRegionalSts,
      skipContainers,
    };
  }

  const patch: JsonPatchOperation[] = [];
  if (method === 'container_credentials') {
    const label = `${prefix}/pod-identity`;
    if (!metadata) patch.push({ op: 'add', path: '/metadata', value: { labels: { [label]: 'enabled' } } });
    else if (!labels) patch.push({ op: 'add', path: '/metadata/labels', value: { [label]: 'enabled' } });
    else patch.push({ op: 'add', path: `/metadata/labels/${escapePointerToken(label)}`, value: 'enabled' });
  }
  const volumes = Array.isArray(spec['volumes']) ? spec['volumes'] : undefined;
  if (!volumes) patch.push({ op: 'add', path: '/spec/volumes', value: [injection.volume] });
  else if (!volumes.some((volume) => asObject(volume)?.['name'] === injection.volumeName)) {
    patch.push({ op: 'add', path: '/spec/volumes/0', value: injection.volume });
  }
  const containers = Array.isArray(spec['containers']) ? spec['containers'] : [];
  // The whole array is always written, as the Go webhook does, but from the raw JSON (irsa.md §1.6).
  patch.push({ op: 'add', path: '/spec/containers', value: containers.map((c) => injectIntoContainer(c, injection, settings)) });
  const initContainers = Array.isArray(spec['initContainers']) ? spec['initContainers'] : [];
  if (initContainers.length > 0) {
    patch.push({ op: 'add', path: '/spec/initContainers', value: initContainers.map((c) => injectIntoContainer(c, injection, settings)) });
  }
  return { method, patch, warnings };
}

/** One container with the variables and mount added, following the per-container rules of irsa.md §1.5. */
function injectIntoContainer(raw: JsonValue, injection: Injection, settings: MutationSettings): JsonValue {
  const container = asObject(raw);
  if (!container) return raw;
  if (typeof container['name'] === 'string' && injection.skipContainers.has(container['name'])) return raw;
  const existingEnv = Array.isArray(container['env']) ? container['env'] : [];
  const names = new Set(existingEnv.map((entry) => asObject(entry)?.['name']).filter((name) => typeof name === 'string'));
  const identityDefined = injection.identityEnv.some(({ name }) => names.has(name));
  const regionDefined = names.has('AWS_REGION') || names.has('AWS_DEFAULT_REGION');
  const regionalStsDefined = names.has('AWS_STS_REGIONAL_ENDPOINTS');
  // A container that already names everything gets no mount either (the Go webhook's rawPodHasAll).
  if (identityDefined && regionDefined && regionalStsDefined) return raw;

  const added: JsonObject[] = [];
  if (!regionalStsDefined && injection.useRegionalSts) added.push({ name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' });
  if (!regionDefined && settings.awsDefaultRegion !== '') {
    added.push({ name: 'AWS_DEFAULT_REGION', value: settings.awsDefaultRegion }, { name: 'AWS_REGION', value: settings.awsDefaultRegion });
  }
  if (settings.awsEndpointUrl !== '' && !names.has('AWS_ENDPOINT_URL')) added.push({ name: 'AWS_ENDPOINT_URL', value: settings.awsEndpointUrl });
  if (!identityDefined) added.push(...injection.identityEnv.map(({ name, value }) => ({ name, value })));
  const result: JsonObject = { ...container };
  if (added.length > 0) result['env'] = [...existingEnv, ...added];
  const mounts = Array.isArray(container['volumeMounts']) ? container['volumeMounts'] : [];
  // An existing mount of the same name keeps its own path (the Go webhook's rawPodWithConflictingVolumeMount).
  if (!mounts.some((mount) => asObject(mount)?.['name'] === injection.volumeName)) {
    result['volumeMounts'] = [...mounts, { name: injection.volumeName, readOnly: true, mountPath: injection.mountPath }];
  }
  return result;
}

function projectedTokenVolume(name: string, audience: string, expirationSeconds: number, path: string): JsonObject {
  return { name, projected: { sources: [{ serviceAccountToken: { audience, expirationSeconds, path } }] } };
}

/** Windows containers read the token at `C:\...`; only the nodeSelector says so (irsa.md §1.5, webhook #57). */
function runsOnWindows(spec: JsonObject): boolean {
  const selector = stringRecord(spec['nodeSelector']);
  return selector['kubernetes.io/os'] === 'windows' || selector['beta.kubernetes.io/os'] === 'windows';
}

function tokenFilePath(path: string, windows: boolean): string {
  return windows ? `C:${path.replace(/\//g, '\\')}` : path;
}

/** The container names of `skip-containers`: one CSV record, not trimmed; a malformed record skips none. */
export function parseSkipContainers(value: string | undefined): Set<string> {
  if (value === undefined) return new Set();
  const fields = parseCsvRecord(value);
  return new Set(fields ?? []);
}

/** The first record of `text` as Go's encoding/csv reads it (RFC 4180 quoting, no lazy quotes), or undefined. */
function parseCsvRecord(text: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  const firstLineEnd = () => i >= text.length || text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n');
  if (firstLineEnd()) return undefined;
  while (true) {
    let field = '';
    if (text[i] === '"') {
      i++;
      while (true) {
        if (i >= text.length) return undefined;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (!firstLineEnd() && text[i] !== ',') return undefined;
    } else {
      while (!firstLineEnd() && text[i] !== ',') {
        if (text[i] === '"') return undefined;
        field += text[i++];
      }
    }
    fields.push(field);
    if (firstLineEnd()) return fields;
    i++; // the comma
  }
}

/** Go's strconv.ParseBool, or undefined where it fails. */
export function parseGoBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's strconv.ParseInt(value, 10, 64), or undefined where it fails. */
export function parseGoInt64(value: string | undefined): number | undefined {
  if (value === undefined || !/^[+-]?[0-9]+$/.test(value)) return undefined;
  const parsed = BigInt(value);
  return parsed < INT64_MIN || parsed > INT64_MAX ? undefined : Number(parsed);
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function stringRecord(value: JsonValue | undefined): Record<string, string> {
  const object = asObject(value) ?? {};
  return Object.fromEntries(Object.entries(object).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

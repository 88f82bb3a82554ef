/**
 * `rolecall run`: prepares for a local process exactly what the webhook would inject into a container of a
 * pod using a ServiceAccount — the same mutation function applied to a synthetic pod — with the projected
 * token files in a private folder kept fresh, and for Pod Identity a node agent on loopback. The caller's
 * own AWS credentials and profile are left out, so the process can do exactly what the pod could.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyJsonPatch, type JsonObject } from './json-patch.js';
import { startPodIdentityAgent, type RunningAgent } from './pod-identity-agent.js';
import { ClusterPodIdentityAssociations } from './pod-identity-associations.js';
import { mutatePod, type MutationMethod, type MutationSettings, type RandomInteger } from './pod-mutation.js';
import type { RolecallEndpoint } from './rolecall-endpoint.js';
import { mintServiceAccountToken, RefreshingTokenFile } from './service-account-tokens.js';
import type { ServiceAccountSource } from './service-accounts.js';

/**
 * Variables of the caller that would give the process another identity than the pod's: credentials,
 * profiles and credential sources of every SDK. The shared files are replaced by empty ones rather than
 * merely unset, or the SDKs would read ~/.aws.
 */
const CALLER_IDENTITY_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_ACCOUNT_ID',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_STS_REGIONAL_ENDPOINTS',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ENDPOINT_URL',
];

export interface RunAsPodOptions {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  /** ServiceAccounts from --manifests; without them only Pod Identity can apply. */
  serviceAccounts: ServiceAccountSource | undefined;
  /** The webhook's mutation flags; mount paths and the agent URL are replaced by local ones. */
  settings: MutationSettings;
  eks: RolecallEndpoint;
  eksAuth: RolecallEndpoint;
  /** The endpoint the process's SDKs are pointed at (AWS_ENDPOINT_URL). */
  endpointUrl: string;
  /** The environment the process would otherwise inherit. */
  baseEnv: NodeJS.ProcessEnv;
  /** Keep the caller's HOME instead of a private one (the AWS CLI's credential cache is then shared). */
  keepHome: boolean;
  randomInteger: RandomInteger;
  log: (line: string) => void;
}

/** The prepared environment of one process, and what keeps it valid. */
export interface PodEnvironment {
  method: MutationMethod;
  env: Record<string, string>;
  /** The private folder holding the token files. */
  folder: string;
  /** Stops the token refreshes and the agent and removes the folder. */
  close(): Promise<void>;
}

/** Prepares the environment a container of the pod would have, or throws when the pod would get no AWS identity. */
export async function preparePodEnvironment(options: RunAsPodOptions): Promise<PodEnvironment> {
  const { clusterName, namespace, serviceAccount } = options;
  const annotations = await options.serviceAccounts?.annotations(namespace, serviceAccount);
  const associations = new ClusterPodIdentityAssociations(clusterName, options.eks);
  let podIdentity: boolean;
  try {
    podIdentity = await associations.covers(namespace, serviceAccount);
  } finally {
    associations.close();
  }
  // mkdtemp creates the folder 0700: only this user can read the tokens.
  const folder = await mkdtemp(join(tmpdir(), 'rolecall-run-'));
  const cleanups: Array<() => Promise<void> | void> = [() => rm(folder, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    let agent: RunningAgent | undefined;
    if (podIdentity) {
      agent = await startPodIdentityAgent({ clusterName, eksAuth: options.eksAuth, bindHosts: ['127.0.0.1'], port: 0, log: options.log });
      cleanups.push(() => agent!.close());
    }
    const settings: MutationSettings = {
      ...options.settings,
      tokenMountPath: join(folder, 'eks.amazonaws.com', 'serviceaccount'),
      awsDefaultRegion: options.settings.awsDefaultRegion || options.eks.region,
      awsEndpointUrl: options.endpointUrl,
      containerCredentials: {
        ...options.settings.containerCredentials,
        mountPath: join(folder, 'pods.eks.amazonaws.com', 'serviceaccount'),
        fullUri: agent?.urls[0] ?? options.settings.containerCredentials.fullUri,
      },
    };
    const podName = `rolecall-run-${randomBytes(3).toString('hex')}`;
    const pod: JsonObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: podName, namespace, uid: randomUUID() }, spec: { serviceAccountName: serviceAccount, containers: [{ name: 'run' }] } };
    const mutation = mutatePod({ pod, namespace, serviceAccountAnnotations: annotations, podIdentity }, settings, options.randomInteger);
    if (!mutation) {
      const where = options.serviceAccounts ? 'no role-arn annotation in the manifests' : 'no --manifests naming its role-arn';
      throw new Error(`a pod using ServiceAccount ${namespace}/${serviceAccount} would get no AWS credentials: ${where} and no Pod Identity association in cluster ${clusterName}`);
    }
    const admitted = applyJsonPatch(pod, mutation.patch) as JsonObject;
    const spec = admitted['spec'] as JsonObject;
    const container = (spec['containers'] as JsonObject[])[0]!;

    // Each projected token the container mounts is minted and kept fresh at its path.
    const volumes = new Map(((spec['volumes'] as JsonObject[] | undefined) ?? []).map((volume) => [volume['name'] as string, volume]));
    for (const mount of (container['volumeMounts'] as JsonObject[] | undefined) ?? []) {
      const projection = tokenProjection(volumes.get(mount['name'] as string));
      if (!projection) continue;
      const mountPath = mount['mountPath'] as string;
      await mkdir(mountPath, { recursive: true, mode: 0o700 });
      const tokenFile = await RefreshingTokenFile.start(
        join(mountPath, projection.path),
        () =>
          mintServiceAccountToken(options.eks, {
            clusterName,
            namespace,
            serviceAccount,
            audience: projection.audience,
            expirationSeconds: projection.expirationSeconds,
            podName,
            podUid: (admitted['metadata'] as JsonObject)['uid'] as string,
            nodeName: hostname(),
          }),
        (error) => options.log(`warning: refreshing the token failed, keeping the current one: ${error instanceof Error ? error.message : String(error)}`),
      );
      cleanups.push(() => tokenFile.stop());
    }

    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.baseEnv)) if (value !== undefined && !CALLER_IDENTITY_VARIABLES.includes(name)) env[name] = value;
    if (!options.keepHome) {
      // A container has its own home. The AWS CLI caches role credentials under ~/.aws/cli/cache keyed by
      // the role, so a shared home would hand this process the session of an earlier run — another
      // namespace's or another pod's — instead of one for its own token.
      const home = join(folder, 'home');
      await mkdir(home, { mode: 0o700 });
      env['HOME'] = home;
    }
    const emptyConfig = join(folder, 'aws-config');
    await writeFile(emptyConfig, '', { mode: 0o600 });
    env['AWS_CONFIG_FILE'] = emptyConfig;
    env['AWS_SHARED_CREDENTIALS_FILE'] = emptyConfig;
    // No instance metadata service stands behind a local process; without this the SDKs would wait for one.
    env['AWS_EC2_METADATA_DISABLED'] = 'true';
    for (const variable of (container['env'] as JsonObject[] | undefined) ?? []) {
      if (typeof variable['value'] === 'string') env[variable['name'] as string] = variable['value'];
    }
    return { method: mutation.method, env, folder, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function tokenProjection(volume: JsonObject | undefined): { audience: string; expirationSeconds: number; path: string } | undefined {
  const sources = ((volume?.['projected'] as JsonObject | undefined)?.['sources'] as JsonObject[] | undefined) ?? [];
  const token = sources.map((source) => source['serviceAccountToken'] as JsonObject | undefined).find((projection) => projection);
  if (!token) return undefined;
  return { audience: token['audience'] as string, expirationSeconds: token['expirationSeconds'] as number, path: token['path'] as string };
}

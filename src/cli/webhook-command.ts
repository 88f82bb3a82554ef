/** `rolecall webhook`: the mutating admission webhook, until SIGINT/SIGTERM. */
import { randomInt } from 'node:crypto';
import { DEFAULT_MUTATION_SETTINGS, parseGoBool, type MutationSettings } from '../k8s/pod-mutation.js';
import { ManifestServiceAccounts, type ServiceAccountSource } from '../k8s/service-accounts.js';
import { ClusterPodIdentityAssociations } from '../k8s/pod-identity-associations.js';
import { WebhookMetrics } from '../k8s/webhook-metrics.js';
import { startWebhookServer } from '../k8s/webhook-server.js';
import { parseFlags, UsageError } from './flags.js';
import { API_CLIENT_FLAGS, endpointFromFlags } from './api-client-flags.js';
import { MappedServiceAccounts, partitionOfRegion, type RoleArnComposition } from '../k8s/role-mappings.js';
import { sdkClientConfig } from '../k8s/rolecall-endpoint.js';
import { portFlag } from './program-flags.js';

const VALUE_FLAGS = [
  'host',
  'port',
  'metrics-port',
  'tls-cert',
  'tls-key',
  'manifests',
  'cluster',
  ...API_CLIENT_FLAGS,
  'annotation-prefix',
  'token-audience',
  'token-mount-path',
  'token-expiration',
  'aws-default-region',
  'aws-endpoint-url',
  'sts-regional-endpoint',
  'container-credentials-audience',
  'container-credentials-mount-path',
  'container-credentials-volume-name',
  'container-credentials-token-path',
  'container-credentials-full-uri',
  'watch-config-map',
  'namespace',
  'compose-role-arn',
  'compose-role-arn-account',
] as const;

/** The mutation settings named by the Go webhook's flags, defaults where absent (irsa.md §1.1). */
export function mutationSettingsFromFlags(values: Record<string, string>, switches: ReadonlySet<string>): MutationSettings {
  const defaults = DEFAULT_MUTATION_SETTINGS;
  const cc = defaults.containerCredentials;
  return {
    annotationPrefix: values['annotation-prefix'] ?? defaults.annotationPrefix,
    tokenAudience: values['token-audience'] ?? defaults.tokenAudience,
    tokenMountPath: values['token-mount-path'] ?? defaults.tokenMountPath,
    tokenExpiration: values['token-expiration'] === undefined ? defaults.tokenExpiration : integerFlag('token-expiration', values['token-expiration']),
    awsDefaultRegion: values['aws-default-region'] ?? defaults.awsDefaultRegion,
    awsEndpointUrl: values['aws-endpoint-url'] ?? defaults.awsEndpointUrl,
    stsRegionalEndpoint: switches.has('sts-regional-endpoint') || booleanFlag('sts-regional-endpoint', values['sts-regional-endpoint'] ?? 'false'),
    containerCredentials: {
      audience: values['container-credentials-audience'] ?? cc.audience,
      mountPath: values['container-credentials-mount-path'] ?? cc.mountPath,
      volumeName: values['container-credentials-volume-name'] ?? cc.volumeName,
      tokenPath: values['container-credentials-token-path'] ?? cc.tokenPath,
      fullUri: values['container-credentials-full-uri'] ?? cc.fullUri,
    },
  };
}

/** The value flags `mutationSettingsFromFlags` reads. */
export const MUTATION_FLAGS = VALUE_FLAGS.filter(
  (flag) => !['host', 'port', 'metrics-port', 'tls-cert', 'tls-key', 'manifests', 'cluster', 'endpoint-url', 'region', 'profile', 'watch-config-map', 'namespace', 'compose-role-arn', 'compose-role-arn-account'].includes(flag),
);

/** A switch that also takes the Go webhook's `--flag=true|false` form. */
function switchFlag(name: string, values: Record<string, string>, switches: ReadonlySet<string>): boolean {
  return switches.has(name) || booleanFlag(name, values[name] ?? 'false');
}

/**
 * `--compose-role-arn`: the Go webhook reads its account and region from EC2 instance metadata, which
 * Rolecall has not. The account is `--compose-role-arn-account`, or else the caller's own account by
 * GetCallerIdentity against Rolecall with the default credential chain; the partition comes from the
 * region's prefix (`--aws-default-region`, or else the endpoint's region).
 */
async function roleArnComposition(values: Record<string, string>, settings: MutationSettings): Promise<RoleArnComposition> {
  const endpoint = await endpointFromFlags('sts', values);
  const partition = partitionOfRegion(settings.awsDefaultRegion || endpoint.region);
  const given = values['compose-role-arn-account'];
  if (given !== undefined) {
    if (!/^\d{12}$/.test(given)) throw new UsageError(`--compose-role-arn-account must be a 12-digit account id, not '${given}'`);
    return { partition, accountId: given };
  }
  const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const identity = await new STSClient(sdkClientConfig(endpoint)).send(new GetCallerIdentityCommand({}));
  return { partition, accountId: identity.Account! };
}

export async function runWebhookCommand(args: string[]): Promise<number> {
  const flags = parseFlags(args, { values: VALUE_FLAGS, switches: ['sts-regional-endpoint', 'watch-config-map', 'compose-role-arn'] });
  const { values } = flags;
  if (flags.positional.length > 0) throw new UsageError(`unexpected argument '${flags.positional[0]}'`);
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  const settings = mutationSettingsFromFlags(values, flags.switches);
  const log = (line: string) => process.stderr.write(`rolecall webhook: ${line}\n`);
  const metrics = new WebhookMetrics();
  const annotated: ServiceAccountSource = values.manifests
    ? await ManifestServiceAccounts.load(values.manifests)
    : // The Kubernetes client is loaded only when a cluster is used.
      await (await import('../k8s/cluster-service-accounts.js')).ClusterServiceAccounts.start({ onError: (error) => log(`warning: ServiceAccount watch: ${error instanceof Error ? error.message : String(error)}`), onAdded: () => metrics.markUsed() });
  if (values.manifests) metrics.markUsed();
  const mappings = switchFlag('watch-config-map', values, flags.switches)
    ? await (await import('../k8s/cluster-role-mappings.js')).ClusterRoleMappings.start({ namespace: values.namespace ?? 'eks', onError: (message) => log(`warning: ${message}`) })
    : undefined;
  const composition = switchFlag('compose-role-arn', values, flags.switches) ? await roleArnComposition(values, settings) : undefined;
  const serviceAccounts: ServiceAccountSource =
    mappings || composition
      ? new MappedServiceAccounts(annotated, { prefix: settings.annotationPrefix, ...(mappings ? { mappings } : {}), ...(composition ? { composition } : {}) })
      : annotated;
  // Pod Identity associations come from Rolecall's EKS API, found and signed for as the AWS CLI would.
  const podIdentity = values.cluster
    ? new ClusterPodIdentityAssociations(values.cluster, await endpointFromFlags('eks', values))
    : undefined;
  const tls = values['tls-cert'] && values['tls-key'] ? { certFile: values['tls-cert'], keyFile: values['tls-key'] } : undefined;
  const webhook = await startWebhookServer({
    host: values.host ?? (tls ? '0.0.0.0' : '127.0.0.1'),
    port: values.port === undefined ? 443 : portFlag('port', values.port),
    metricsPort: values['metrics-port'] === undefined ? 9999 : portFlag('metrics-port', values['metrics-port']),
    tls,
    context: { settings, serviceAccounts, podIdentity, metrics, randomInteger: (min, max) => randomInt(min, max + 1), log, lookupTimeoutMs: 5000 },
  });
  log(`listening on ${webhook.url}${webhook.metricsUrl ? `, metrics on ${webhook.metricsUrl}` : ''}${tls ? '' : ' (plain HTTP: no --tls-cert/--tls-key)'}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await webhook.close();
  await serviceAccounts.close();
  podIdentity?.close();
  return 0;
}

function integerFlag(name: string, text: string): number {
  if (!/^[+-]?[0-9]+$/.test(text)) throw new UsageError(`--${name} must be an integer, not '${text}'`);
  return Number(text);
}

function booleanFlag(name: string, text: string): boolean {
  const value = parseGoBool(text);
  if (value === undefined) throw new UsageError(`--${name} must be true or false, not '${text}'`);
  return value;
}

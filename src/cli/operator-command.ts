/**
 * `rolecall operator [flags]`: runs the Kubernetes controller for AWSProvider, IAMRole and RoleBlueprint
 * (docs/operator.md) with the kubeconfig of KUBECONFIG, ~/.kube/config or the pod's service account;
 * `rolecall operator crds` prints the CustomResourceDefinitions it serves.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import { KubeConfig } from '@kubernetes/client-node';
import { parseFlags, UsageError } from './flags.js';
import { CUSTOM_RESOURCE_TYPES, customResourceDefinition } from '../k8s/operator/custom-resources.js';
import { Operator } from '../k8s/operator/operator.js';

const VALUES = ['namespace', 'drift-period', 'identity', 'lease-namespace', 'lease-name', 'lease-duration', 'renew-deadline', 'retry-period', 'endpoint-url', 'backoff-base', 'backoff-max'];

/** Parses `500ms`, `30s`, `10m`, `1h` (a bare number is seconds) into milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)?$/.exec(text);
  if (!match) throw new UsageError(`--${flag} must be a duration such as 500ms, 30s, 10m or 1h`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * unit);
}

/** Runs `rolecall operator ...`. */
export async function runOperatorCommand(args: string[]): Promise<number> {
  if (args[0] === 'crds') {
    process.stdout.write(CUSTOM_RESOURCE_TYPES.map((type) => stringify(customResourceDefinition(type), { lineWidth: 0 })).join('---\n'));
    return 0;
  }
  const flags = parseFlags(args, { values: VALUES, switches: [] });
  if (flags.positional.length > 0) throw new UsageError(`unexpected argument ${flags.positional[0]}`);
  const duration = (flag: string, fallback: number) => (flags.values[flag] === undefined ? fallback : parseDuration(flags.values[flag]!, flag));
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  const identity = flags.values.identity ?? process.env.POD_NAME ?? `${hostname()}_${randomUUID()}`;
  const endpoint = flags.values['endpoint-url'] ?? process.env.AWS_ENDPOINT_URL_IAM ?? process.env.AWS_ENDPOINT_URL;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  let exitCode = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const operator = new Operator({
    kubeConfig,
    identity,
    ...(flags.values.namespace ? { namespace: flags.values.namespace } : {}),
    lease: {
      namespace: flags.values['lease-namespace'] ?? process.env.POD_NAMESPACE ?? 'default',
      name: flags.values['lease-name'] ?? 'rolecall-operator',
      durationSeconds: duration('lease-duration', 15_000) / 1000,
      renewDeadlineMs: duration('renew-deadline', 10_000),
      retryPeriodMs: duration('retry-period', 2000),
    },
    driftPeriodMs: duration('drift-period', 600_000),
    backoff: { baseDelayMs: duration('backoff-base', 1000), maxDelayMs: duration('backoff-max', 300_000) },
    connect: endpoint ? { defaultEndpoint: endpoint } : {},
    log,
    // As controller-runtime does: a replica that lost its Lease exits, to restart as a clean candidate.
    onLeadershipLost: () => {
      exitCode = 1;
      resolveDone();
    },
  });
  const shutdown = () => {
    void operator.stop().then(resolveDone);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  log(`rolecall operator ${identity}: waiting for the Lease ${flags.values['lease-name'] ?? 'rolecall-operator'}`);
  operator.start();
  await done;
  return exitCode;
}

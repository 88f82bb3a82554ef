/** `rolecall agent`: the EKS Pod Identity node agent, until SIGINT/SIGTERM. */
import { createServer, type Server } from 'node:http';
import { AGENT_ADDRESSES, startPodIdentityAgent, type RunningAgent } from '../k8s/pod-identity-agent.js';
import { parseFlags, UsageError } from './flags.js';
import { API_CLIENT_FLAGS, endpointFromFlags } from './api-client-flags.js';
import { portFlag } from './program-flags.js';

const VALUE_FLAGS = [
  'cluster-name',
  'cluster',
  'bind',
  'bind-hosts',
  'port',
  'probe-port',
  'metrics-address',
  'metrics-port',
  'max-credential-retention-before-renewal',
  'max-cache-size',
  'endpoint',
  ...API_CLIENT_FLAGS,
] as const;

export async function runAgentCommand(args: string[]): Promise<number> {
  const { values, positional } = parseFlags(args, { values: VALUE_FLAGS, switches: [] });
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  const clusterName = values['cluster-name'] ?? values.cluster;
  if (!clusterName) throw new UsageError('--cluster-name is required');
  const bindText = values.bind ?? values['bind-hosts'];
  const bindHosts = bindText ? bindText.split(',').map((host) => host.trim()).filter((host) => host !== '') : [...AGENT_ADDRESSES];
  // `--endpoint` is the Go agent's name for the EKS Auth override.
  const eksAuth = await endpointFromFlags('eks-auth', { ...values, ...(values.endpoint ? { 'endpoint-url': values.endpoint } : {}) });
  const log = (line: string) => process.stderr.write(`rolecall agent: ${line}\n`);
  const agent = await startPodIdentityAgent({
    clusterName,
    eksAuth,
    bindHosts,
    port: values.port === undefined ? 80 : portFlag('port', values.port),
    retentionMs: values['max-credential-retention-before-renewal'] === undefined ? undefined : parseGoDuration(values['max-credential-retention-before-renewal']),
    maxCacheSize: values['max-cache-size'] === undefined ? undefined : countFlag('max-cache-size', values['max-cache-size']),
    log,
  });
  const probes = await listen(probeServer(agent, false), 'localhost', values['probe-port'] === undefined ? 2703 : portFlag('probe-port', values['probe-port']));
  const metrics = await listen(probeServer(agent, true), values['metrics-address'] ?? '0.0.0.0', values['metrics-port'] === undefined ? 2705 : portFlag('metrics-port', values['metrics-port']));
  log(`listening on ${agent.urls.join(' ')} for cluster ${clusterName}, EKS Auth at ${eksAuth.url}; probes on ${address(probes)}, metrics on ${address(metrics)}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  probes.close();
  metrics.close();
  await agent.close();
  return 0;
}

/** `/healthz` and `/readyz` (and `/metrics` on the metrics listener): ready while every credential listener answers. */
function probeServer(agent: RunningAgent, withMetrics: boolean): Server {
  return createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (withMetrics && path === '/metrics') {
      response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(agent.metrics.render());
      return;
    }
    if (path !== '/healthz' && path !== '/readyz') {
      response.writeHead(404).end();
      return;
    }
    // As the Go agent probes itself: each listener must answer its root path with a 404.
    Promise.all(agent.urls.map((url) => fetch(new URL('/', url), { signal: AbortSignal.timeout(10_000) }).then((answer) => answer.status === 404))).then(
      (healthy) => response.writeHead(healthy.every(Boolean) ? 200 : 500, { 'Content-Type': 'text/plain' }).end(healthy.every(Boolean) ? 'ok' : 'unhealthy'),
      () => response.writeHead(408, { 'Content-Type': 'text/plain' }).end('timeout'),
    );
  });
}

function listen(server: Server, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function address(server: Server): string {
  const bound = server.address();
  return typeof bound === 'object' && bound ? `${bound.address}:${bound.port}` : String(bound);
}

function countFlag(name: string, text: string): number {
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`--${name} must be a whole number, not '${text}'`);
  return Number(text);
}

/** A Go duration (`3h`, `90m`, `1h30m`, `45s`, `500ms`, `0`) in milliseconds. */
export function parseGoDuration(text: string): number {
  if (text === '0') return 0;
  const units: Record<string, number> = { h: 3600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) throw new UsageError(`'${text}' is not a duration such as 3h, 90m or 45s`);
  return Math.round(parts.reduce((total, part) => total + Number(part[1]) * units[part[2]!]!, 0));
}

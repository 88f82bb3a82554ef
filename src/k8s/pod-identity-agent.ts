/**
 * The EKS Pod Identity node agent, answering as eks-pod-identity-agent does byte for byte
 * (reference/pod-identity.md §3): `/v1/credentials` only, the pod's raw token in `Authorization`, the Host
 * rule, plain-text errors in Go's `http.Error` form, and JSON credentials from EKS Auth
 * AssumeRoleForPodIdentity behind a per-token cache.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricsRegistry } from '../protocol/prometheus.js';
import { CredentialCache, CredentialsTooShortError, type PodCredentials } from './credential-cache.js';
import { RolecallApiError, signedJsonRequest, type RolecallEndpoint } from './rolecall-endpoint.js';
import { hostForUrl } from './webhook-server.js';

/** The link-local addresses pods call the agent at. */
export const AGENT_ADDRESSES = ['169.254.170.23', 'fd00:ec2::23'] as const;
/** The Go agent's global rate limit: 1000 requests/s, burst 500. */
const RATE_PER_SECOND = 1000;
const RATE_BURST = 500;
/** The Go agent's EKS Auth client gives up on one attempt after 1 s and retries twice; Rolecall gets a little more room. */
const UPSTREAM_TIMEOUT_MS = 2000;
const UPSTREAM_ATTEMPTS = 3;

export interface AgentOptions {
  clusterName: string;
  /** Where EKS Auth is and as whom to call it (the node's default credential chain). */
  eksAuth: RolecallEndpoint;
  /** Addresses to listen on (IPv6 with or without brackets). */
  bindHosts: string[];
  port: number;
  /** `--max-credential-retention-before-renewal` in ms (default 3 h; 0 disables the cache). */
  retentionMs?: number;
  /** `--max-cache-size` (default 2000; 0 disables the cache). */
  maxCacheSize?: number;
  /** The global request limit (default the Go agent's 1000/s, burst 500); benchmarks lift it. */
  rateLimit?: { perSecond: number; burst: number };
  log?: (line: string) => void;
}

/** A running agent. */
export interface RunningAgent {
  /** `http://host:port/v1/credentials` of each listener. */
  urls: string[];
  port: number;
  metrics: AgentMetrics;
  close(): Promise<void>;
}

/** The Go agent's metrics. */
export class AgentMetrics {
  private readonly registry = new MetricsRegistry();
  private readonly responses = this.registry.counter('pod_identity_http_response', 'Responses of the credentials endpoint by HTTP status.');
  private readonly cacheStates = this.registry.counter('pod_identity_cache_state', 'Credential cache hits, misses and evictions.');
  private readonly cacheErrors = this.registry.counter('pod_identity_cache_errors', 'Failed background refreshes by error type and code.');

  countResponse(code: number): void {
    this.responses.inc({ code });
  }
  countCacheState(state: 'hit' | 'miss' | 'evicted'): void {
    this.cacheStates.inc({ state });
  }
  countCacheError(type: string, code: string): void {
    this.cacheErrors.inc({ code, type });
  }
  /** How often the cache answered with `state`. */
  cacheState(state: 'hit' | 'miss' | 'evicted'): number {
    return this.cacheStates.value({ state });
  }
  /** The exposition text (format 0.0.4). */
  render(): string {
    return this.registry.render();
  }
}

/** A failure answered to the pod with the upstream's status (pod-identity.md §3: `[<requestId>]: (<Code>): <message>, fault: ...`). */
function upstreamFailure(error: unknown): { status: number; body: string } {
  if (error instanceof RolecallApiError) {
    const fault = error.status >= 500 ? 'server' : 'client';
    return { status: error.status, body: `[${error.requestId}]: (${error.code}): ${error.message}, fault: ${fault}` };
  }
  if (error instanceof CredentialsTooShortError) return { status: 500, body: error.message };
  return { status: 500, body: `Unable to fetch credentials from EKS Auth: ${error instanceof Error ? error.message : String(error)}` };
}

/** One AssumeRoleForPodIdentity call, retried on transport failures, throttling and server errors. */
export function eksAuthFetcher(clusterName: string, eksAuth: RolecallEndpoint): (token: string) => Promise<PodCredentials> {
  return async (token) => {
    let lastError: unknown;
    for (let attempt = 0; attempt < UPSTREAM_ATTEMPTS; attempt++) {
      try {
        const answer = await signedJsonRequest<AssumeRoleForPodIdentityAnswer>(eksAuth, {
          method: 'POST',
          path: `/clusters/${encodeURIComponent(clusterName)}/assume-role-for-pod-identity`,
          body: { token },
          timeoutMs: UPSTREAM_TIMEOUT_MS,
        });
        const { credentials, assumedRoleUser } = answer.body;
        return {
          accessKeyId: credentials.accessKeyId,
          secretAccessKey: credentials.secretAccessKey,
          sessionToken: credentials.sessionToken,
          expiration: Math.round(Number(credentials.expiration) * 1000),
          accountId: assumedRoleUser.arn.split(':')[4] ?? '',
        };
      } catch (error) {
        lastError = error;
        const retryable = !(error instanceof RolecallApiError) || error.status >= 500 || error.status === 429;
        if (!retryable) throw error;
      }
    }
    throw lastError;
  };
}

interface AssumeRoleForPodIdentityAnswer {
  assumedRoleUser: { arn: string; assumeRoleId: string };
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: number };
}

/** Starts the agent's credential listeners. */
export async function startPodIdentityAgent(options: AgentOptions): Promise<RunningAgent> {
  const metrics = new AgentMetrics();
  const log = options.log ?? (() => {});
  const cache = new CredentialCache(eksAuthFetcher(options.clusterName, options.eksAuth), {
    retentionMs: options.retentionMs ?? 3 * 3600_000,
    maxEntries: options.maxCacheSize ?? 2000,
    now: Date.now,
    retryDelayMs: () => 60_000 + Math.floor(Math.random() * 60_000),
    errorCode: (error) => (error instanceof RolecallApiError ? error.code : undefined),
    onEvent: (event) => metrics.countCacheState(event),
    onRefreshError: (error) => {
      metrics.countCacheError(error instanceof RolecallApiError ? 'api' : 'transport', error instanceof RolecallApiError ? error.code : 'unreachable');
      log(`warning: refreshing cached credentials failed, serving the cached ones: ${error instanceof Error ? error.message : String(error)}`);
    },
  });
  const janitor = setInterval(() => cache.sweep(), 60_000);
  janitor.unref();

  const bindHosts = options.bindHosts.map((host) => host.replace(/^\[|\]$/g, ''));
  // Locally the SDKs call the agent by the loopback address it is bound to, so that address is accepted too.
  const acceptedHosts = new Set<string>([...AGENT_ADDRESSES, ...bindHosts.filter(isLoopback)]);
  const limiter = tokenBucket(options.rateLimit?.perSecond ?? RATE_PER_SECOND, options.rateLimit?.burst ?? RATE_BURST);
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const reply = (status: number, body: string) => {
      metrics.countResponse(status);
      sendGoHttpError(response, status, body);
    };
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/v1/credentials') {
      sendGoHttpError(response, 404, '404 page not found');
      return;
    }
    if (!limiter()) return reply(429, 'Too Many Requests');
    const host = hostWithoutPort(request.headers.host ?? '');
    if (!acceptedHosts.has(host)) {
      return reply(403, `Access Denied. Called agent through invalid address, please use either [${[...acceptedHosts].join(' ')}] address not ${host}`);
    }
    const token = request.headers.authorization ?? '';
    if (token === '') return reply(400, 'Service account token cannot be empty');
    const claimProblem = basicClaimProblem(token, Date.now());
    if (claimProblem) return reply(400, claimProblem);
    cache.credentials(token).then(
      (credentials) => {
        metrics.countResponse(200);
        const body = JSON.stringify({
          AccessKeyId: credentials.accessKeyId,
          SecretAccessKey: credentials.secretAccessKey,
          Token: credentials.sessionToken,
          AccountId: credentials.accountId,
          Expiration: rfc3339Nano(credentials.expiration),
        });
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
      },
      (error: unknown) => {
        const failure = upstreamFailure(error);
        reply(failure.status, failure.body);
      },
    );
  };

  const servers: Server[] = [];
  try {
    for (const host of bindHosts) {
      const server = createServer(handle);
      server.requestTimeout = 30_000;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(servers.length === 0 ? options.port : (servers[0]!.address() as AddressInfo).port, host, () => resolve());
      });
      servers.push(server);
    }
  } catch (error) {
    for (const server of servers) server.close();
    throw error;
  }
  const port = (servers[0]!.address() as AddressInfo).port;
  return {
    urls: bindHosts.map((host) => `http://${hostForUrl(host)}:${port}/v1/credentials`),
    port,
    metrics,
    async close() {
      clearInterval(janitor);
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
      for (const server of servers) server.closeAllConnections();
    },
  };
}

/** Go's http.Error: the message and a newline as plain text, never sniffed. */
function sendGoHttpError(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end(`${message}\n`);
}

/** The Host header's host: port stripped, IPv6 brackets removed. */
function hostWithoutPort(header: string): string {
  if (header.startsWith('[')) return header.slice(1, header.indexOf(']') < 0 ? undefined : header.indexOf(']'));
  const colons = header.split(':').length - 1;
  return colons === 1 ? header.slice(0, header.indexOf(':')) : header;
}

function isLoopback(host: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}

/**
 * The agent's pre-check of the token before calling EKS Auth: a JWT whose exp and nbf hold now; the
 * signature is EKS Auth's to verify. Returns the 400 message, or undefined when the token passes.
 */
export function basicClaimProblem(token: string, nowMs: number): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return 'Service account token cannot be parsed: token is malformed: token contains an invalid number of segments';
  let claims: unknown;
  try {
    JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return 'Service account token cannot be parsed: token is malformed: could not JSON decode the token';
  }
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) return 'Service account token cannot be parsed: token is malformed: could not JSON decode claim';
  const { exp, nbf } = claims as Record<string, unknown>;
  const now = nowMs / 1000;
  if (typeof exp === 'number' && now >= exp) return 'Service account token failed basic claim validations: token has invalid claims: token is expired';
  if (typeof nbf === 'number' && now < nbf) return 'Service account token failed basic claim validations: token has invalid claims: token is not valid yet';
  return undefined;
}

/** Go's time.RFC3339Nano of a UTC instant: fraction digits only as needed. */
export function rfc3339Nano(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return iso.replace(/\.(\d+)Z$/, (_, fraction: string) => (/^0+$/.test(fraction) ? 'Z' : `.${fraction.replace(/0+$/, '')}Z`));
}

/** A token bucket: returns whether a request may proceed now. */
function tokenBucket(ratePerSecond: number, burst: number): () => boolean {
  let tokens = burst;
  let last = Date.now();
  return () => {
    const now = Date.now();
    tokens = Math.min(burst, tokens + ((now - last) / 1000) * ratePerSecond);
    last = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

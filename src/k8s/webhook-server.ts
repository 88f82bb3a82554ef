/**
 * The admission webhook's HTTP(S) servers: `POST /mutate` and `/healthz` on the webhook port (TLS unless no
 * certificate is given), `/metrics` and `/healthz` on the plain-HTTP metrics port (reference/irsa.md §1.11).
 */
import { watchFile, unwatchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { reviewAdmission, type AdmissionContext } from './admission-review.js';

/** Kubernetes caps request bodies near 3 MiB; anything much larger is not an AdmissionReview. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** How often the certificate files are checked for rotation (cert-manager renews them in place). */
const CERTIFICATE_POLL_MS = 30_000;
const KNOWN_PATHS = new Set(['/mutate', '/healthz', '/metrics']);

export interface WebhookServerOptions {
  host: string;
  port: number;
  /** Port of the plain-HTTP metrics listener; undefined for none. */
  metricsPort: number | undefined;
  tls: { certFile: string; keyFile: string } | undefined;
  context: AdmissionContext;
}

/** The running listeners. */
export interface RunningWebhook {
  /** `https://host:port` (or `http://` without TLS). */
  url: string;
  metricsUrl: string | undefined;
  close(): Promise<void>;
}

/** Starts the webhook and, when asked, its metrics listener. */
export async function startWebhookServer(options: WebhookServerOptions): Promise<RunningWebhook> {
  const { context } = options;
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const started = process.hrtime.bigint();
    const path = (request.url ?? '/').split('?')[0]!;
    response.once('finish', () => {
      // Unknown paths share one label so probing cannot grow the metrics without bound.
      const label = KNOWN_PATHS.has(path) ? path : 'other';
      context.metrics.observeRequest(request.method ?? 'GET', label, response.statusCode, Number(process.hrtime.bigint() - started) / 1000);
    });
    routeWebhookRequest(request, response, path, context).catch((error: unknown) => {
      context.log(`warning: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  };

  let server: Server;
  let stopWatching = () => {};
  if (options.tls) {
    const { certFile, keyFile } = options.tls;
    const secureServer = createHttpsServer({ cert: await readFile(certFile), key: await readFile(keyFile) }, handle);
    const reload = () => {
      Promise.all([readFile(certFile), readFile(keyFile)])
        .then(([cert, key]) => secureServer.setSecureContext({ cert, key }))
        .catch((error: unknown) => context.log(`warning: keeping the old certificate: ${error instanceof Error ? error.message : String(error)}`));
    };
    watchFile(certFile, { interval: CERTIFICATE_POLL_MS, persistent: false }, reload);
    stopWatching = () => unwatchFile(certFile, reload);
    server = secureServer;
  } else server = createHttpServer(handle);
  await listen(server, options.host, options.port);

  let metricsServer: Server | undefined;
  if (options.metricsPort !== undefined) {
    metricsServer = createHttpServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (path === '/metrics') response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(context.metrics.render());
      else if (path === '/healthz') response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      else response.writeHead(404).end();
    });
    await listen(metricsServer, options.host, options.metricsPort);
  }
  const scheme = options.tls ? 'https' : 'http';
  return {
    url: `${scheme}://${hostForUrl(options.host)}:${(server.address() as AddressInfo).port}`,
    metricsUrl: metricsServer ? `http://${hostForUrl(options.host)}:${(metricsServer.address() as AddressInfo).port}` : undefined,
    async close() {
      stopWatching();
      await Promise.all([server, metricsServer].map((s) => (s ? new Promise<void>((resolve) => s.close(() => resolve())) : undefined)));
      server.closeAllConnections();
      metricsServer?.closeAllConnections();
    },
  };
}

async function routeWebhookRequest(request: IncomingMessage, response: ServerResponse, path: string, context: AdmissionContext): Promise<void> {
  if (path === '/healthz') {
    response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    return;
  }
  if (path === '/metrics') {
    response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(context.metrics.render());
    return;
  }
  if (path !== '/mutate') {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found\n');
    return;
  }
  if (request.method !== 'POST') {
    response.writeHead(405, { Allow: 'POST', 'Content-Type': 'text/plain' }).end('method not allowed\n');
    return;
  }
  // The API server always sends exactly this type; anything else is not an admission request (irsa.md §1.6).
  if (request.headers['content-type'] !== 'application/json') {
    response.writeHead(415, { 'Content-Type': 'text/plain' }).end(`invalid Content-Type ${request.headers['content-type'] ?? ''}, expected \`application/json\`\n`);
    return;
  }
  const body = await readBody(request);
  if (body === undefined) {
    response.writeHead(413, { 'Content-Type': 'text/plain' }).end('request body too large\n');
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const review = await reviewAdmission(parsed, context);
  response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(review));
}

/** The whole body, or undefined when it exceeds the limit (the rest is discarded). */
function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** `host` as it goes into a URL: IPv6 literals in brackets. */
export function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

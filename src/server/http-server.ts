/**
 * The HTTP server: AWS API calls on `/` (every service on one endpoint, routed by the SigV4 scope), the
 * REST-JSON services (EKS, EKS Auth) and the issuer documents of Rolecall-issued clusters on their paths,
 * `GET /health`, `GET /metrics` (Prometheus) and, only when started with --allow-reset, the test-only
 * `POST /_rolecall/reset`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApiRequest, type ApiDependencies } from './api.js';
import { handleJsonApiRequest, isJsonApiRequest } from './json-api.js';
import { handleRestJsonRequest, isRestJsonRequest } from './rest-json-api.js';

/** AWS rejects Query requests above this size; so do we, before buffering more. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpServerOptions {
  host: string;
  port: number;
  api: ApiDependencies;
  /** Wipes all state and bootstraps again; present only with --allow-reset. */
  reset?: () => Promise<void>;
  health: () => Promise<boolean>;
}

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

async function route(options: HttpServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = request.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart < 0 ? url : url.slice(0, queryStart);
  const query = queryStart < 0 ? '' : url.slice(queryStart + 1);

  if (request.method === 'GET' && path === '/health') {
    const healthy = await options.health();
    return send(response, healthy ? 200 : 503, { 'content-type': 'application/json' }, JSON.stringify({ status: healthy ? 'ok' : 'unavailable' }));
  }
  if (request.method === 'GET' && path === '/metrics') {
    return send(response, 200, { 'content-type': 'text/plain; version=0.0.4' }, options.api.metrics.render());
  }
  if (request.method === 'POST' && path === '/_rolecall/reset' && options.reset) {
    await options.reset();
    return send(response, 200, { 'content-type': 'application/json' }, '{"reset":true}');
  }
  const body = await readBody(request);
  if (body === undefined) return send(response, 413, { 'content-type': 'text/plain' }, 'Request entity too large');
  // JSON-protocol services (Organizations) are named by X-Amz-Target, REST-JSON ones (EKS, EKS Auth) by
  // method and path; everything else is Query (IAM, STS).
  const method = request.method ?? 'GET';
  const handle = isJsonApiRequest(request.headersDistinct)
    ? handleJsonApiRequest
    : isRestJsonRequest(method, path, query)
      ? handleRestJsonRequest
      : handleApiRequest;
  const result = await handle(options.api, {
    method,
    path,
    query,
    headers: request.headersDistinct,
    body,
    sourceIp: (request.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
  });
  send(response, result.status, result.headers, result.body);
}

/** Starts listening; resolves with the server and the port it got (0 asks the OS for a free one). */
export async function startHttpServer(options: HttpServerOptions): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    route(options, request, response).catch((error: unknown) => {
      process.stderr.write(`rolecall: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (!response.headersSent) send(response, 500, { 'content-type': 'text/plain' }, 'Internal error');
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

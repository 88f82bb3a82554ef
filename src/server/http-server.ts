/**
 * The HTTP server: AWS API calls on `/` (every service on one endpoint, routed by the SigV4 scope), the
 * REST-JSON services (EKS, EKS Auth) and the issuer documents of Rolecall-issued clusters on their paths,
 * `GET /health`, `GET /metrics` (Prometheus) and, only when started with --allow-reset, the test-only
 * `POST /_rolecall/reset`.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AwsError } from '../policy/errors.js';
import { handleApiRequest, queryRefusal, type ApiDependencies } from './api.js';
import { handleJsonApiRequest, isJsonApiRequest, jsonRefusal } from './json-api.js';
import { handleRestJsonRequest, isRestJsonRequest, restJsonRefusal } from './rest-json-api.js';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from './request-limits.js';

export interface HttpServerOptions {
  host: string;
  port: number;
  api: ApiDependencies;
  /** Wipes all state and bootstraps again; present only with --allow-reset. */
  reset?: () => Promise<void>;
  health: () => Promise<boolean>;
  /** What clients may hold before they are authenticated (defaults: DEFAULT_REQUEST_LIMITS). */
  limits?: RequestLimits;
}

/** The request-body bytes held in memory across all connections, reserved as they arrive. */
class BodyBudget {
  private held = 0;

  constructor(private readonly max: number) {}

  /** Reserves `bytes`; false (nothing reserved) when that would pass the limit. */
  reserve(bytes: number): boolean {
    if (this.held + bytes > this.max) return false;
    this.held += bytes;
    return true;
  }

  release(bytes: number): void {
    this.held -= bytes;
  }

  get bytes(): number {
    return this.held;
  }
}

type BodyOutcome = { body: Buffer; held: number } | { refusal: AwsError } | { aborted: true };

function bodyTooLarge(limit: number): AwsError {
  return new AwsError('RequestEntityTooLarge', `Request body must be ${limit} bytes or smaller.`, 413);
}

function requestTimedOut(limits: RequestLimits): AwsError {
  // AWS documents no error for a client too slow to send its request; RequestTimeout is the code the
  // SDKs already treat as transient (docs/security.md says so).
  return new AwsError('RequestTimeout', `The request was not received in full within ${limits.requestTimeoutMs / 1000} seconds.`, 408);
}

function serverBusy(): AwsError {
  return new AwsError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 503, 'Receiver');
}

/**
 * Reads a request body into memory within the limits: one body at most `maxBodyBytes`, all bodies
 * together at most the budget. A refused body is still read to its end and thrown away: answering
 * while the client is still sending and then closing makes the kernel reset the connection, and the
 * client sees the reset instead of the answer. The request deadline bounds how long that takes.
 */
function readBody(request: IncomingMessage, limits: RequestLimits, budget: BodyBudget): Promise<BodyOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let held = 0;
    let refusal: AwsError | undefined = Number(request.headers['content-length']) > limits.maxBodyBytes ? bodyTooLarge(limits.maxBodyBytes) : undefined;
    const refuse = (error: AwsError) => {
      refusal = error;
      chunks.length = 0;
      budget.release(held);
      held = 0;
    };
    request.on('data', (chunk: Buffer) => {
      if (refusal) return;
      if (held + chunk.length > limits.maxBodyBytes) return refuse(bodyTooLarge(limits.maxBodyBytes));
      if (!budget.reserve(chunk.length)) return refuse(serverBusy());
      held += chunk.length;
      chunks.push(chunk);
    });
    request.on('end', () => resolve(refusal ? { refusal } : { body: Buffer.concat(chunks), held }));
    // A client that goes away (or is cut off at the deadline) gives its bytes back.
    request.on('close', () => {
      if (request.complete) return;
      budget.release(held);
      held = 0;
      resolve({ aborted: true });
    });
  });
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

type Protocol = 'json' | 'rest-json' | 'query';

function protocolOf(request: IncomingMessage, path: string, query: string): Protocol {
  // JSON-protocol services (Organizations) are named by X-Amz-Target, REST-JSON ones (EKS, EKS Auth) by
  // method and path; everything else is Query (IAM, STS).
  if (isJsonApiRequest(request.headersDistinct)) return 'json';
  return isRestJsonRequest(request.method ?? 'GET', path, query) ? 'rest-json' : 'query';
}

/** The service's own error form for a request refused before it was read in full. */
function refusalResponse(protocol: Protocol, request: IncomingMessage, error: AwsError) {
  const refuse = protocol === 'json' ? jsonRefusal : protocol === 'rest-json' ? restJsonRefusal : queryRefusal;
  return refuse(request.headersDistinct, error);
}

/** The request a connection is reading now, so a deadline that cuts it off can answer in its service's form. */
const requestBeingRead = new WeakMap<Socket, { request: IncomingMessage; response: ServerResponse; protocol: Protocol }>();

async function route(options: HttpServerOptions, budget: BodyBudget, request: IncomingMessage, response: ServerResponse): Promise<void> {
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
  const method = request.method ?? 'GET';
  const protocol = protocolOf(request, path, query);
  requestBeingRead.set(request.socket, { request, response, protocol });
  const outcome = await readBody(request, options.limits ?? DEFAULT_REQUEST_LIMITS, budget);
  requestBeingRead.delete(request.socket);
  if ('aborted' in outcome) return;
  if ('refusal' in outcome) {
    const refused = refusalResponse(protocol, request, outcome.refusal);
    return send(response, refused.status, { ...refused.headers, connection: 'close' }, refused.body);
  }
  try {
    const handle = protocol === 'json' ? handleJsonApiRequest : protocol === 'rest-json' ? handleRestJsonRequest : handleApiRequest;
    const result = await handle(options.api, {
      method,
      path,
      query,
      headers: request.headersDistinct,
      body: outcome.body,
      sourceIp: (request.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
    });
    send(response, result.status, result.headers, result.body);
  } finally {
    budget.release(outcome.held);
  }
}

/** A raw HTTP/1.1 response, for a socket whose request Node has given up on. */
function rawResponse(status: number, headers: Record<string, string>, body: string): string {
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`];
  for (const [name, value] of Object.entries({ ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' })) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/**
 * What Node would answer to a client error, except that a request cut off at the deadline while its
 * body was being read is answered in its service's error form (AWS's XML or JSON), as the SDKs expect.
 */
function answerClientError(limits: RequestLimits, error: Error & { code?: string }, socket: Socket): void {
  const reading = requestBeingRead.get(socket);
  if (error.code === 'ECONNRESET' || !socket.writable || reading?.response.headersSent) {
    socket.destroy();
    return;
  }
  let answer: string;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' && reading) {
    const refused = refusalResponse(reading.protocol, reading.request, requestTimedOut(limits));
    answer = rawResponse(refused.status, refused.headers, refused.body);
  } else {
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    answer = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`;
  }
  socket.end(answer);
  // A client that does not read its answer must not keep the socket: give it a moment, then close.
  setTimeout(() => socket.destroy(), 1_000).unref();
}

/** Starts listening; resolves with the server and the port it got (0 asks the OS for a free one). */
export async function startHttpServer(options: HttpServerOptions): Promise<{ server: Server; port: number }> {
  const limits = options.limits ?? DEFAULT_REQUEST_LIMITS;
  const budget = new BodyBudget(limits.maxBufferedBodyBytes);
  // Node checks request deadlines on this interval (30 s by default): a fraction of the deadline keeps
  // a stalled client from holding its connection much past it.
  const connectionsCheckingInterval = Math.max(100, Math.min(30_000, Math.floor(limits.requestTimeoutMs / 4)));
  const server = createServer({ connectionsCheckingInterval, requestTimeout: limits.requestTimeoutMs, headersTimeout: Math.min(60_000, limits.requestTimeoutMs) }, (request, response) => {
    route(options, budget, request, response).catch((error: unknown) => {
      process.stderr.write(`rolecall: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (!response.headersSent) send(response, 500, { 'content-type': 'text/plain' }, 'Internal error');
      else response.destroy();
    });
  });
  server.on('clientError', (error: Error & { code?: string }, socket: Socket) => answerClientError(limits, error, socket));
  server.keepAliveTimeout = 65_000;
  server.maxConnections = limits.maxConnections;
  let connections = 0;
  server.on('connection', (socket) => {
    connections++;
    socket.once('close', () => connections--);
  });
  options.api.metrics.gauge('rolecall_buffered_body_bytes', 'Bytes of request bodies held in memory now.', () => budget.bytes);
  options.api.metrics.gauge('rolecall_open_connections', 'Client connections open now.', () => connections);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

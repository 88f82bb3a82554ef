/**
 * A Kubernetes API server test double: real HTTP (or HTTPS with a bearer token) on loopback, speaking
 * the API's REST and watch wire format, so the real `@kubernetes/client-node` (KubeConfig, makeInformer,
 * Watch, CoreV1Api, CustomObjectsApi, CoordinationV1Api) drives it exactly as it drives a cluster.
 * No kube-apiserver can be installed where the tests run; this is what Kubernetes-facing code is tested
 * against. Semantics live in ObjectStore; this file is routing and wire format.
 *
 * Use: `const api = await KubeApiServer.start({ tls: loopbackCertificate(), token: 't' })`, then
 * `api.kubeConfig()` (or `api.kubeconfigYaml()` for a KUBECONFIG file) for the client;
 * `api.createFromManifests([crd])` installs CRDs as kubectl would; `api.endWatches()` ends every watch
 * stream as a server timeout does; `api.store.compact()` makes older resourceVersions 410 Expired;
 * `api.requests` records what clients called.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ApiError, badRequest } from './api-errors.js';
import { ObjectStore, type KubeObject, type WatchEvent } from './object-store.js';
import { PatchError, applyJsonPatch, applyMergePatch } from './patches.js';
import { apiVersionOf, type ResourceType } from './resource-types.js';
import { SelectorError } from './selectors.js';

export interface KubeApiServerOptions {
  /** Serve HTTPS with this certificate and key (PEM); plain HTTP without. */
  tls?: { cert: string; key: string };
  /** Require `Authorization: Bearer <token>` on every request (any of several, to tell clients apart). */
  token?: string | string[];
  /** How many changes watches can resume from before 410 Expired (default 10,000). */
  historyLimit?: number;
  /** Interval of BOOKMARK events on watches that allow them (default 1 s). */
  bookmarkIntervalMs?: number;
}

/** One request the double served, for tests that check what a client did. */
export interface ServedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  /** The bearer token the request authenticated with. */
  token?: string;
}

const MAX_BODY_BYTES = 3 * 1024 * 1024;
const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface Target {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** A running API server double. */
export class KubeApiServer {
  /** Every request served, in order. */
  readonly requests: ServedRequest[] = [];
  private readonly openWatches = new Set<ServerResponse>();

  private constructor(
    readonly url: string,
    readonly store: ObjectStore,
    private readonly server: Server,
    private readonly options: KubeApiServerOptions,
  ) {}

  /** Starts the double on a free loopback port. */
  static async start(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
    const store = new ObjectStore(options.historyLimit);
    // The handler needs the instance, the instance needs the listening server's port.
    const started: { instance?: KubeApiServer } = {};
    const handler = (request: IncomingMessage, response: ServerResponse) => void started.instance!.serve(request, response);
    const server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler) : createHttpServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    started.instance = new KubeApiServer(`${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`, store, server, options);
    return started.instance;
  }

  /** A client-node KubeConfig for this server (its CA and token when it has them). */
  kubeConfig(namespace = 'default', token?: string): KubeConfig {
    const config = new KubeConfig();
    config.loadFromString(this.kubeconfigYaml(namespace, token));
    return config;
  }

  /** The kubeconfig file text for this server (its first token unless one is named), for programs that read KUBECONFIG. */
  kubeconfigYaml(namespace = 'default', token = this.tokens()[0]): string {
    const cluster: Record<string, unknown> = { server: this.url };
    if (this.options.tls) cluster['certificate-authority-data'] = Buffer.from(this.options.tls.cert).toString('base64');
    // client-node refuses plain http:// unless TLS verification is explicitly off.
    else cluster['insecure-skip-tls-verify'] = true;
    return stringifyYaml({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'double', cluster }],
      users: [{ name: 'double', user: token ? { token } : {} }],
      contexts: [{ name: 'double', context: { cluster: 'double', user: 'double', namespace } }],
      'current-context': 'double',
    });
  }

  /**
   * Creates objects as `kubectl create -f` would, straight from their manifest (raw JSON keys such as
   * `x-kubernetes-preserve-unknown-fields` kept; client-node's typed serializer drops keys it does not
   * model). For installing CRDs and fixtures.
   */
  createFromManifests(objects: KubeObject[]): KubeObject[] {
    return objects.map((object) => {
      const [group, version] = (object.apiVersion ?? '').includes('/') ? object.apiVersion!.split('/') : ['', object.apiVersion ?? ''];
      const type = this.store.servedTypes().find((t) => t.group === group && t.version === version && t.kind === object.kind);
      if (!type) throw new Error(`no served type for ${object.apiVersion} ${object.kind}`);
      return this.store.create(type, type.namespaced ? (object.metadata.namespace ?? 'default') : undefined, object);
    });
  }

  /** How many watch streams are open. */
  openWatchCount(): number {
    return this.openWatches.size;
  }

  /** Ends every open watch stream, as an API server does at its watch timeout or on restart. */
  endWatches(): void {
    for (const response of this.openWatches) response.end();
  }

  /** Stops the server, ending every watch. */
  async stop(): Promise<void> {
    this.endWatches();
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://double');
    const query = Object.fromEntries(url.searchParams.entries());
    const token = this.authenticated(request);
    this.requests.push({ method: request.method ?? 'GET', path: url.pathname, query, contentType: request.headers['content-type'], ...(token ? { token } : {}) });
    try {
      if (token === undefined && this.tokens().length > 0) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
      const discovery = this.discovery(url.pathname);
      if (discovery !== undefined) return reply(response, 200, discovery);
      const target = this.target(url.pathname);
      await this.dispatch(request, response, target, query);
    } catch (error) {
      const failure =
        error instanceof ApiError
          ? error
          : error instanceof SelectorError
            ? badRequest(error.message)
            : error instanceof PatchError
              ? new ApiError(422, 'Invalid', error.message)
              : new ApiError(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`);
      if (!response.headersSent) reply(response, failure.code, failure.toStatus());
      else response.end();
    }
  }

  private tokens(): string[] {
    const { token } = this.options;
    return token === undefined ? [] : Array.isArray(token) ? token : [token];
  }

  /** The token a request presents, when it is one of the server's. */
  private authenticated(request: IncomingMessage): string | undefined {
    const given = Buffer.from(request.headers.authorization ?? '');
    return this.tokens().find((token) => {
      const expected = Buffer.from(`Bearer ${token}`);
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  }

  private async dispatch(request: IncomingMessage, response: ServerResponse, target: Target, query: Record<string, string>): Promise<void> {
    const { type, namespace, name, subresource } = target;
    const dryRun = query.dryRun === 'All';
    const status = subresource === 'status';
    switch (request.method) {
      case 'GET':
        if (name !== undefined) return reply(response, 200, this.store.get(type, namespace, name));
        if (query.watch === 'true' || query.watch === '1') return this.watch(request, response, target, query);
        return reply(response, 200, this.listBody(type, namespace, query));
      case 'POST':
        if (name !== undefined) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        return reply(response, 201, this.store.create(type, namespace, (await readObject(request)) as KubeObject, { dryRun }));
      case 'PUT':
        if (name === undefined) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        return reply(response, 200, this.store.update(type, namespace, name, (await readObject(request)) as KubeObject, { dryRun, status }));
      case 'PATCH': {
        if (name === undefined) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        const apply = patchFunction(type, request.headers['content-type'], await readBody(request));
        return reply(response, 200, this.store.patch(type, namespace, name, apply, { dryRun, status }));
      }
      case 'DELETE': {
        const body = await readBody(request);
        const options = body.length > 0 ? (parseObject(body, request.headers['content-type']) as { preconditions?: { uid?: string; resourceVersion?: string } }) : {};
        if (name !== undefined) return reply(response, 200, this.store.delete(type, namespace, name, { dryRun, preconditions: options.preconditions }));
        const deleted = this.store.deleteCollection({ type, namespace, labelSelector: query.labelSelector, fieldSelector: query.fieldSelector }, { dryRun });
        return reply(response, 200, { kind: type.listKind, apiVersion: apiVersionOf(type), metadata: { resourceVersion: this.store.currentResourceVersion() }, items: deleted });
      }
      default:
        throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
  }

  private listBody(type: ResourceType, namespace: string | undefined, query: Record<string, string>): Record<string, unknown> {
    const limit = query.limit === undefined ? undefined : Number(query.limit);
    const page = this.store.list({ type, namespace, labelSelector: query.labelSelector, fieldSelector: query.fieldSelector, limit, continueToken: query.continue });
    return {
      kind: type.listKind,
      apiVersion: apiVersionOf(type),
      metadata: {
        resourceVersion: page.resourceVersion,
        ...(page.continueToken ? { continue: page.continueToken, remainingItemCount: page.remainingItemCount } : {}),
      },
      items: page.items,
    };
  }

  /** Streams watch events as newline-separated JSON objects on a chunked 200 response. */
  private watch(request: IncomingMessage, response: ServerResponse, target: Target, query: Record<string, string>): void {
    const { type, namespace } = target;
    response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    response.flushHeaders();
    const send = (event: WatchEvent) => {
      if (!response.writableEnded) response.write(`${JSON.stringify(event)}\n`);
    };
    const stop = this.store.watch(
      { type, namespace, labelSelector: query.labelSelector, fieldSelector: query.fieldSelector, resourceVersion: query.resourceVersion },
      send,
      () => response.end(),
    );
    if (response.writableEnded) return;
    this.openWatches.add(response);
    const timers: NodeJS.Timeout[] = [];
    if (query.timeoutSeconds !== undefined) timers.push(setTimeout(() => response.end(), Number(query.timeoutSeconds) * 1000));
    if (query.allowWatchBookmarks === 'true') {
      timers.push(
        setInterval(
          () => send({ type: 'BOOKMARK', object: { kind: type.kind, apiVersion: apiVersionOf(type), metadata: { resourceVersion: this.store.currentResourceVersion() } } }),
          this.options.bookmarkIntervalMs ?? 1000,
        ),
      );
    }
    const finish = () => {
      stop();
      for (const timer of timers) clearTimeout(timer);
      this.openWatches.delete(response);
    };
    response.once('close', finish);
    request.once('close', () => {
      if (!response.writableEnded) response.end();
    });
  }

  /** The group/version discovery documents client-node's KubernetesObjectApi reads. */
  private discovery(path: string): unknown {
    const segments = path.split('/').filter((segment) => segment !== '');
    const served = this.store.servedTypes();
    if (path === '/version') return { major: '1', minor: '31', gitVersion: 'v1.31.0', platform: 'linux/amd64' };
    if (path === '/healthz' || path === '/readyz' || path === '/livez') return 'ok';
    if (segments.length === 1 && segments[0] === 'api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
    if (segments.length === 1 && segments[0] === 'apis') {
      const groups = [...new Set(served.filter((t) => t.group !== '').map((t) => t.group))].map((group) => this.groupDocument(group));
      return { kind: 'APIGroupList', apiVersion: 'v1', groups };
    }
    if (segments.length === 2 && segments[0] === 'apis') {
      if (!served.some((t) => t.group === segments[1])) throw pageNotFound();
      return { kind: 'APIGroup', apiVersion: 'v1', ...this.groupDocument(segments[1]!) };
    }
    const groupVersion = segments[0] === 'api' && segments.length === 2 ? ['', segments[1]!] : segments[0] === 'apis' && segments.length === 3 ? [segments[1]!, segments[2]!] : undefined;
    if (groupVersion === undefined) return undefined;
    const [group, version] = groupVersion as [string, string];
    const types = served.filter((t) => t.group === group && t.version === version);
    if (types.length === 0) throw pageNotFound();
    const resources = types.flatMap((t) => [
      { name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: VERBS, ...(t.shortNames.length ? { shortNames: t.shortNames } : {}) },
      ...(t.statusSubresource ? [{ name: `${t.plural}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get', 'patch', 'update'] }] : []),
    ]);
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group === '' ? version : `${group}/${version}`, resources };
  }

  private groupDocument(group: string): Record<string, unknown> {
    const versions = [...new Set(this.store.servedTypes().filter((t) => t.group === group).map((t) => t.version))].map((version) => ({ groupVersion: `${group}/${version}`, version }));
    return { name: group, versions, preferredVersion: versions[0] };
  }

  /** The resource a request path names, or 404 as the API server answers for an unknown path. */
  private target(path: string): Target {
    const segments = path.split('/').filter((segment) => segment !== '').map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (segments[0] === 'api' && segments.length >= 3) [group, version, rest] = ['', segments[1]!, segments.slice(2)];
    else if (segments[0] === 'apis' && segments.length >= 4) [group, version, rest] = [segments[1]!, segments[2]!, segments.slice(3)];
    else throw pageNotFound();
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3 && this.store.typeFor(group, version, rest[2]!)?.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name, subresource, ...extra] = rest as [string, string | undefined, string | undefined];
    const type = this.store.typeFor(group, version, plural);
    if (!type || extra.length > 0) throw pageNotFound();
    if (type.namespaced && namespace === undefined && name !== undefined) throw pageNotFound();
    if (subresource !== undefined && (subresource !== 'status' || !type.statusSubresource)) throw pageNotFound();
    return { type, namespace, name, subresource };
  }
}

function pageNotFound(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {
    causes: [{ reason: 'UnexpectedServerResponse', message: '404 page not found' }],
  });
}

function reply(response: ServerResponse, code: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(code, { 'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseObject(text: string, contentType: string | undefined): unknown {
  try {
    return contentType?.startsWith('application/yaml') ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
}

async function readObject(request: IncomingMessage): Promise<unknown> {
  return parseObject(await readBody(request), request.headers['content-type']);
}

/**
 * The patch of a PATCH request as a function of the current object. Strategic merge patch is served
 * for built-in types as a JSON merge patch: the double's built-in types have no list whose merge key
 * would make the two differ in the tests that use them.
 */
function patchFunction(type: ResourceType, contentType: string | undefined, text: string): (current: KubeObject) => KubeObject {
  const media = (contentType ?? '').split(';')[0]!.trim();
  const body = parseObject(text, 'application/json');
  if (media === 'application/merge-patch+json' || (media === 'application/strategic-merge-patch+json' && !type.custom)) {
    return (current) => applyMergePatch(current, body) as KubeObject;
  }
  if (media === 'application/json-patch+json') return (current) => applyJsonPatch(current, body) as KubeObject;
  throw new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json${type.custom ? '' : ', application/strategic-merge-patch+json'}`,
  );
}

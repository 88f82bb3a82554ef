/**
 * The verification keys of OpenID Connect issuers: `<iss>/.well-known/openid-configuration` names the
 * `jwks_uri`, whose JSON Web Key Set holds the public keys tokens are signed with (OpenID Connect
 * Discovery 1.0 §4; IAM id_roles_providers_create_oidc.html). Key sets are cached per issuer and fetched
 * again when they grow old or when a token names a key the cached set lacks (the issuer rotated its keys),
 * but never more than once per cooldown: unauthenticated callers must not be able to make Rolecall hammer
 * an issuer. jose's createRemoteJWKSet does the same (refetch on an unknown `kid`, 30 s cooldown, 10 min
 * cache) but reads the wall clock and reads bodies of any size; this cache takes the request's time and
 * caps every response.
 */
import { createLocalJWKSet, type JSONWebKeySet, type JWK } from 'jose';
import { AwsError } from '../model/errors.js';
import { idpCommunicationError, invalidIdentityToken, NO_VERIFICATION_KEY } from './web-identity-errors.js';

/** Selects the public key for a token's protected header (jose's local JWKS resolver). */
export type IssuerKeySet = ReturnType<typeof createLocalJWKSet>;

/** Where a token's verification keys come from: a fetched, cached issuer (OidcKeyCache) or keys at hand. */
export interface IssuerKeySource {
  /** The issuer's key set now. */
  current(issuer: string, now: Date): Promise<IssuerKeySet>;
  /** A newer key set after a token named an unknown key, or undefined when there is none to get. */
  refreshed(issuer: string, now: Date): Promise<IssuerKeySet | undefined>;
}

/** Keys known without fetching anything (a Rolecall-issued cluster's, an inline JWKS): nothing to refresh. */
export function fixedKeySource(document: unknown): IssuerKeySource {
  const keySet = localKeySet(document);
  return { current: async () => keySet, refreshed: async () => undefined };
}

/** Which issuers may be reached over plain HTTP. */
export type HttpIssuerPolicy = 'loopback' | 'any' | 'none';

export interface OidcKeyCacheOptions {
  /** How long a fetched key set is used before it is fetched again. Default 10 minutes. */
  maxAgeMs?: number;
  /** The least time between two fetches for one issuer (refresh on an unknown key, retry after a failure). Default 10 s. */
  cooldownMs?: number;
  /** How long an old key set keeps verifying tokens while the issuer can't be reached. Default 1 hour. */
  maxStaleMs?: number;
  /** Timeout of each HTTP request, body included. Default 5 s. */
  timeoutMs?: number;
  /** The largest discovery document or key set accepted. Default 256 KiB. */
  maxBodyBytes?: number;
  /**
   * Plain-HTTP issuers: `loopback` (default) allows them on 127.0.0.0/8, ::1 and localhost only (a local
   * or test issuer); `any` allows every host (an in-cluster issuer without TLS); `none` requires HTTPS.
   */
  httpIssuers?: HttpIssuerPolicy;
  /** How many issuers' key sets are kept. Default 1,000. */
  maxIssuers?: number;
  /** The HTTP client (default: the global fetch). */
  fetch?: typeof fetch;
}

/** AWS accepts at most 100 RSA and 100 EC keys in a key set; keys beyond those are not considered. */
const MAX_KEYS_PER_TYPE = 100;
const SIGNING_KEY_TYPES = new Set(['RSA', 'EC']);

interface IssuerEntry {
  keySet?: IssuerKeySet;
  fetchedAt?: number;
  lastAttemptAt?: number;
  lastError?: AwsError;
  pending?: Promise<IssuerKeySet>;
}

/** Per-issuer cache of verification keys; one instance serves every request of a server. */
export class OidcKeyCache implements IssuerKeySource {
  readonly #maxAgeMs: number;
  readonly #cooldownMs: number;
  readonly #maxStaleMs: number;
  readonly #timeoutMs: number;
  readonly #maxBodyBytes: number;
  readonly #httpIssuers: HttpIssuerPolicy;
  readonly #maxIssuers: number;
  readonly #fetch: typeof fetch;
  readonly #entries = new Map<string, IssuerEntry>();

  constructor(options: OidcKeyCacheOptions = {}) {
    this.#maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
    this.#cooldownMs = options.cooldownMs ?? 10_000;
    this.#maxStaleMs = options.maxStaleMs ?? 60 * 60_000;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
    this.#httpIssuers = options.httpIssuers ?? 'loopback';
    this.#maxIssuers = options.maxIssuers ?? 1_000;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Whether an issuer URL may be used at all (scheme and host allowed by the HTTP policy). */
  allowsIssuer(issuer: string): boolean {
    return this.#allowedUrl(issuer) !== undefined;
  }

  /** The issuer's key set: cached while fresh, fetched otherwise; an old set serves while the issuer is down. */
  async current(issuer: string, now: Date): Promise<IssuerKeySet> {
    const entry = this.#entry(issuer);
    const at = now.getTime();
    if (entry.keySet && at - entry.fetchedAt! < this.#maxAgeMs) return entry.keySet;
    if (this.#coolingDown(entry, at)) {
      if (entry.keySet && at - entry.fetchedAt! < this.#maxAgeMs + this.#maxStaleMs) return entry.keySet;
      if (entry.lastError) throw entry.lastError;
    }
    try {
      return await this.#fetchInto(entry, issuer, at);
    } catch (error) {
      if (entry.keySet && at - entry.fetchedAt! < this.#maxAgeMs + this.#maxStaleMs) return entry.keySet;
      throw error;
    }
  }

  /**
   * A freshly fetched key set after a token named a key the cached set lacks, or undefined when the
   * issuer was asked within the cooldown (the unknown key is then refused without a request).
   */
  async refreshed(issuer: string, now: Date): Promise<IssuerKeySet | undefined> {
    const entry = this.#entry(issuer);
    if (entry.pending) return entry.pending;
    if (this.#coolingDown(entry, now.getTime())) return undefined;
    return this.#fetchInto(entry, issuer, now.getTime());
  }

  #coolingDown(entry: IssuerEntry, at: number): boolean {
    return entry.lastAttemptAt !== undefined && at - entry.lastAttemptAt < this.#cooldownMs && at >= entry.lastAttemptAt;
  }

  /** The issuer's entry, most recently used last so the oldest is evicted first. */
  #entry(issuer: string): IssuerEntry {
    let entry = this.#entries.get(issuer);
    if (entry) this.#entries.delete(issuer);
    else entry = {};
    this.#entries.set(issuer, entry);
    if (this.#entries.size > this.#maxIssuers) this.#entries.delete(this.#entries.keys().next().value!);
    return entry;
  }

  /** One fetch at a time per issuer: concurrent requests share it. */
  #fetchInto(entry: IssuerEntry, issuer: string, at: number): Promise<IssuerKeySet> {
    if (entry.pending) return entry.pending;
    entry.lastAttemptAt = at;
    const pending = this.#fetchKeySet(issuer)
      .then(
        (keySet) => {
          entry.keySet = keySet;
          entry.fetchedAt = at;
          entry.lastError = undefined;
          return keySet;
        },
        (error: AwsError) => {
          entry.lastError = error;
          throw error;
        },
      )
      .finally(() => {
        entry.pending = undefined;
      });
    entry.pending = pending;
    return pending;
  }

  async #fetchKeySet(issuer: string): Promise<IssuerKeySet> {
    const discoveryUrl = this.#allowedUrl(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
    if (!discoveryUrl) throw invalidIdentityToken(NO_VERIFICATION_KEY);
    const discovery = await this.#getJson(discoveryUrl);
    // The discovery document must name the very issuer the token claims (OpenID Connect Discovery §4.3).
    if (!isObject(discovery) || discovery.issuer !== issuer || typeof discovery.jwks_uri !== 'string') throw invalidIdentityToken(NO_VERIFICATION_KEY);
    const jwksUrl = this.#allowedUrl(discovery.jwks_uri);
    if (!jwksUrl) throw invalidIdentityToken(NO_VERIFICATION_KEY);
    const jwks = await this.#getJson(jwksUrl);
    return localKeySet(jwks);
  }

  /** The URL when its scheme (and, for HTTP, its host) is allowed. */
  #allowedUrl(text: string): URL | undefined {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return undefined;
    }
    if (url.username || url.password) return undefined;
    if (url.protocol === 'https:') return url;
    if (url.protocol !== 'http:') return undefined;
    if (this.#httpIssuers === 'any') return url;
    return this.#httpIssuers === 'loopback' && isLoopback(url.hostname) ? url : undefined;
  }

  /** GETs a JSON document: unreachable → IDPCommunicationError; anything else wrong → no verification key. */
  async #getJson(url: URL): Promise<unknown> {
    const signal = AbortSignal.timeout(this.#timeoutMs);
    let response: Response;
    try {
      response = await this.#fetch(url, { method: 'GET', redirect: 'manual', signal, headers: { accept: 'application/json' } });
    } catch (error) {
      throw isCertificateFailure(error) ? invalidIdentityToken(NO_VERIFICATION_KEY) : idpCommunicationError();
    }
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel().catch(() => undefined);
      throw idpCommunicationError();
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw invalidIdentityToken(NO_VERIFICATION_KEY);
    }
    const text = await readLimited(response, this.#maxBodyBytes);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw invalidIdentityToken(NO_VERIFICATION_KEY);
    }
  }
}

/**
 * The signing keys of a JWKS document: RSA and EC public keys for signatures only, at most 100 of each
 * type. A set that publishes private key material is refused whole: anyone could sign with it.
 */
export function localKeySet(document: unknown): IssuerKeySet {
  if (!isObject(document) || !Array.isArray(document.keys)) throw invalidIdentityToken(NO_VERIFICATION_KEY);
  const counts = new Map<string, number>();
  const keys: JWK[] = [];
  for (const key of document.keys as unknown[]) {
    if (!isObject(key) || typeof key.kty !== 'string') continue;
    if ('d' in key || 'p' in key || 'q' in key || 'k' in key) throw invalidIdentityToken(NO_VERIFICATION_KEY);
    if (!SIGNING_KEY_TYPES.has(key.kty) || (key.use !== undefined && key.use !== 'sig')) continue;
    const count = counts.get(key.kty) ?? 0;
    if (count >= MAX_KEYS_PER_TYPE) continue;
    counts.set(key.kty, count + 1);
    keys.push(key as JWK);
  }
  try {
    return createLocalJWKSet({ keys } as JSONWebKeySet);
  } catch {
    throw invalidIdentityToken(NO_VERIFICATION_KEY);
  }
}

/** Reads a body up to `limit` bytes; a larger one is abandoned (a key set is a few kilobytes). */
async function readLimited(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw invalidIdentityToken(NO_VERIFICATION_KEY);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        throw invalidIdentityToken(NO_VERIFICATION_KEY);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof AwsError) throw error;
    throw idpCommunicationError();
  }
  return Buffer.concat(chunks).toString('utf8');
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** TLS failures mean the issuer is reachable but not trusted: not a transient condition. */
function isCertificateFailure(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

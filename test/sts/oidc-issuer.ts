// A real OpenID Connect issuer for tests: an HTTP server on 127.0.0.1 (port 0) serving the discovery
// document and the JSON Web Key Set, with RS256 and ES256 keys made by jose, key rotation (a new kid),
// and a helper to mint tokens with any claims and header. Knobs make it misbehave the ways real issuers
// do (error statuses, a discovery document naming another issuer, a hung key set, oversized bodies).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export type SigningAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512' | 'PS256';

export interface IssuerKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
  /** The private key as a JWK: what a leaked key set would expose. */
  privateJwk: JWK;
}

/** How the issuer answers; tests change these to simulate broken or hostile issuers. */
export interface IssuerBehaviour {
  discoveryStatus: number;
  jwksStatus: number;
  /** The `issuer` the discovery document states (default: the issuer's own URL). */
  discoveryIssuer?: string;
  /** Overrides the `jwks_uri` of the discovery document. */
  jwksUri?: string;
  /** Serves this text instead of the key set. */
  jwksBody?: string;
  /** Never answers key-set requests (to exercise the fetch timeout). */
  hangJwks: boolean;
  /** Publishes the private parts of the keys too (a leaked key set). */
  leakPrivateKeys: boolean;
}

export interface MintOptions {
  /** The key to sign with (default: the current signing key). */
  key?: IssuerKey;
  /** The kid to put in the header; `null` leaves it out (default: the key's kid). */
  kid?: string | null;
  /** Extra or overriding protected-header parameters. */
  header?: Record<string, unknown>;
}

let kidCounter = 0;

/** A running issuer. `url` is what tokens carry as `iss`: `http://127.0.0.1:PORT/PATH`. */
export class TestOidcIssuer {
  readonly url: string;
  /** The URL without scheme: the IAM OIDC provider's URL and the prefix of trust-policy condition keys. */
  readonly hostPath: string;
  readonly requests = { discovery: 0, jwks: 0 };
  readonly behaviour: IssuerBehaviour = { discoveryStatus: 200, jwksStatus: 200, hangJwks: false, leakPrivateKeys: false };
  #published: IssuerKey[] = [];
  readonly #made = new Map<string, IssuerKey>();
  #signing: IssuerKey;
  readonly #server: Server;
  readonly #path: string;
  readonly #hung: ServerResponse[] = [];

  private constructor(server: Server, path: string, first: IssuerKey) {
    const { port } = server.address() as AddressInfo;
    this.#server = server;
    this.#path = path;
    this.hostPath = `127.0.0.1:${port}${path}`;
    this.url = `http://${this.hostPath}`;
    this.#signing = first;
    this.#published.push(first);
    this.#made.set(first.kid, first);
  }

  /** Starts an issuer at `path` (e.g. `/id/EXAMPLED539D4633E53DE1B71EXAMPLE`) with one `alg` key. */
  static async start(options: { path?: string; alg?: SigningAlgorithm } = {}): Promise<TestOidcIssuer> {
    const first = await newKey(options.alg ?? 'RS256');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = new TestOidcIssuer(server, options.path ?? '', first);
    server.on('request', (request, response) => issuer.#answer(request, response));
    return issuer;
  }

  /** The URL to register with CreateOpenIDConnectProvider (IAM requires https://). */
  get providerUrl(): string {
    return `https://${this.hostPath}`;
  }

  get signingKey(): IssuerKey {
    return this.#signing;
  }

  get publishedKids(): string[] {
    return this.#published.map((key) => key.kid);
  }

  /** Publishes a new key (new kid) and signs with it from now on; older keys stay published. */
  async rotate(alg: SigningAlgorithm = this.#signing.alg): Promise<IssuerKey> {
    const key = await newKey(alg);
    this.#published.push(key);
    this.#made.set(key.kid, key);
    this.#signing = key;
    return key;
  }

  /** A key this issuer made (published, rotated out or retired), by kid. */
  key(kid: string): IssuerKey {
    const key = this.#made.get(kid);
    if (!key) throw new Error(`the issuer never made key ${kid}`);
    return key;
  }

  /** Makes a key that is never published (a forger's key, or one the issuer has not announced yet). */
  async unpublishedKey(alg: SigningAlgorithm = 'RS256'): Promise<IssuerKey> {
    return newKey(alg);
  }

  /** Publishes an existing key (e.g. one made with unpublishedKey). */
  publish(key: IssuerKey): void {
    this.#published.push(key);
  }

  /** Stops publishing a key. */
  retire(kid: string): void {
    this.#published = this.#published.filter((key) => key.kid !== kid);
  }

  /** Signs `claims` as a JWT. */
  async mint(claims: Record<string, unknown>, options: MintOptions = {}): Promise<string> {
    const key = options.key ?? this.#signing;
    const header: Record<string, unknown> = { alg: key.alg, typ: 'JWT' };
    const kid = options.kid === undefined ? key.kid : options.kid;
    if (kid !== null) header.kid = kid;
    return new SignJWT(claims).setProtectedHeader({ ...header, ...options.header } as { alg: string }).sign(key.privateKey);
  }

  /**
   * Signs any header and claims with an RS256 key, bypassing jose's checks (it refuses to sign, e.g., an
   * unknown `crit` extension): for tokens a verifier must refuse although their signature is genuine.
   */
  async mintRaw(header: Record<string, unknown>, claims: Record<string, unknown>, key: IssuerKey = this.#signing): Promise<string> {
    if (key.alg !== 'RS256') throw new Error('mintRaw signs with RS256 keys only');
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode({ alg: 'RS256', kid: key.kid, ...header })}.${encode(claims)}`;
    const signature = await crypto.subtle.sign({ name: 'RSASSA-PKCS1-v1_5' }, key.privateKey, new TextEncoder().encode(input));
    return `${input}.${Buffer.from(signature).toString('base64url')}`;
  }

  /** Claims of a valid token at `now`: this issuer, the subject and audience given, one hour of validity. */
  claims(now: Date, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const seconds = Math.floor(now.getTime() / 1000);
    return { iss: this.url, sub: 'system:serviceaccount:payments:payments-api', aud: 'sts.amazonaws.com', iat: seconds, exp: seconds + 3600, ...overrides };
  }

  async close(): Promise<void> {
    for (const response of this.#hung) response.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #answer(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === `${this.#path}/.well-known/openid-configuration`) {
      this.requests.discovery++;
      this.#json(response, this.behaviour.discoveryStatus, {
        issuer: this.behaviour.discoveryIssuer ?? this.url,
        jwks_uri: this.behaviour.jwksUri ?? `${this.url}/keys`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      });
      return;
    }
    if (path === `${this.#path}/keys`) {
      this.requests.jwks++;
      if (this.behaviour.hangJwks) {
        this.#hung.push(response);
        return;
      }
      if (this.behaviour.jwksBody !== undefined) {
        response.writeHead(this.behaviour.jwksStatus, { 'content-type': 'application/json' });
        response.end(this.behaviour.jwksBody);
        return;
      }
      this.#json(response, this.behaviour.jwksStatus, { keys: this.#published.map((key) => this.#publicForm(key)) });
      return;
    }
    this.#json(response, 404, { error: 'not found' });
  }

  #publicForm(key: IssuerKey): JWK {
    return this.behaviour.leakPrivateKeys ? { ...key.privateJwk, kid: key.kid, alg: key.alg, use: 'sig' } : key.publicJwk;
  }

  #json(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  }
}

async function newKey(alg: SigningAlgorithm): Promise<IssuerKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `test-key-${++kidCounter}-${alg.toLowerCase()}`;
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicKey, publicJwk, privateJwk: await exportJWK(privateKey) };
}

/** A token with `alg: none` and no signature (RFC 7519 §6 unsecured JWT). */
export function unsecuredToken(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT', ...header })}.${encode(claims)}.`;
}

/**
 * The algorithm-confusion forgery: HS256 keyed with the issuer's public key (its JWK JSON and its PEM
 * are both tried by attackers), so a verifier that lets the token pick HMAC would accept it.
 */
export async function hmacWithPublicKey(key: IssuerKey, claims: Record<string, unknown>, form: 'jwk' | 'pem' = 'jwk'): Promise<string> {
  const secret =
    form === 'jwk'
      ? new TextEncoder().encode(JSON.stringify(key.publicJwk))
      : new TextEncoder().encode(await exportSPKI(key.publicKey));
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: key.kid }).sign(secret);
}

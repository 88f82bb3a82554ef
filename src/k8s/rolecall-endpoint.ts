/**
 * How Rolecall's own programs (`rolecall cluster`, `token`, `agent`, `run`, the webhook's reads of pod
 * identity associations) find the server and authenticate to it: exactly as the AWS CLI does, so they are
 * authorized and audited like any other AWS call and work against a remote Rolecall, or against AWS.
 *
 * - Endpoint (configuration-endpoints.html, "Service-specific endpoints"): `--endpoint-url`, then
 *   `AWS_ENDPOINT_URL_<SERVICE_ID>` (`AWS_ENDPOINT_URL_EKS`, `AWS_ENDPOINT_URL_EKS_AUTH`, ...), then
 *   `AWS_ENDPOINT_URL`, then the profile's `services` section (`eks = \n endpoint_url = ...`), then the
 *   profile's `endpoint_url`; `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` skips all but the flag. With none
 *   set, AWS's own regional endpoint of the service.
 * - Region: `--region`, then `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's `region`.
 * - Profile: `--profile`, then `AWS_PROFILE`, then `default`.
 * - Credentials: the SDK's default chain (`fromNodeProviderChain`: environment, SSO, shared files,
 *   process, web identity token file, container and instance metadata).
 *
 * Usage:
 * ```ts
 * const endpoint = await resolveRolecallEndpoint('eks', { endpointUrl: flags['endpoint-url'] });
 * const eks = new EKSClient(sdkClientConfig(endpoint));          // any operation an SDK client covers
 * const answer = await signedJsonRequest(await resolveRolecallEndpoint('eks-auth'), {
 *   method: 'POST', path: '/clusters/dev/assume-role-for-pod-identity', body: { token },
 * });                                                            // calls no SDK package covers
 * ```
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { getProfileName, loadSharedConfigFiles } from '@smithy/core/config';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { partitionOfRegion } from '../model/partitions.js';
import { plainHttpUrl } from '../model/urls.js';

/** A service Rolecall's programs call, by its SigV4 signing name. */
export type RolecallService = 'eks' | 'eks-auth' | 'iam' | 'sts';

/**
 * IAM's one endpoint per partition, as the IAM client's endpoint rules give it: the commercial and
 * GovCloud partitions have names of their own, every other one is the partition's IAM region.
 */
function iamEndpoint(region: string): string {
  const partition = partitionOfRegion(region);
  if (partition.id === 'aws') return 'https://iam.amazonaws.com';
  if (partition.id === 'aws-us-gov') return 'https://iam.us-gov.amazonaws.com';
  return `https://iam.${partition.iamRegion}.${partition.dnsSuffix}`;
}

/** How each service is named in endpoint settings, and where AWS serves it when nothing else is set. */
const SERVICES: Readonly<Record<RolecallService, { envSuffix: string; configKey: string; awsEndpoint: (region: string) => string }>> = {
  // The env suffix is the service id upper-cased with spaces as `_`; the config key lower-cased likewise.
  eks: { envSuffix: 'EKS', configKey: 'eks', awsEndpoint: (region) => `https://eks.${region}.${partitionOfRegion(region).dnsSuffix}` },
  // EKS Auth's rule set always resolves to the dual-stack host (pod-identity.md §2).
  'eks-auth': { envSuffix: 'EKS_AUTH', configKey: 'eks_auth', awsEndpoint: (region) => `https://eks-auth.${region}.${partitionOfRegion(region).dualStackDnsSuffix}` },
  iam: { envSuffix: 'IAM', configKey: 'iam', awsEndpoint: iamEndpoint },
  sts: { envSuffix: 'STS', configKey: 'sts', awsEndpoint: (region) => `https://sts.${region}.${partitionOfRegion(region).dnsSuffix}` },
};

/** What a command was told on its command line; anything absent comes from the environment and profile. */
export interface EndpointOptions {
  /** `--endpoint-url`. */
  endpointUrl?: string;
  /** `--region`. */
  region?: string;
  /** `--profile`. */
  profile?: string;
  /** The environment to read (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Credentials to use instead of the default chain (tests, or a program holding its own). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** Where and as whom to call one service. */
export interface RolecallEndpoint {
  service: RolecallService;
  /** The endpoint's base URL without a trailing slash, e.g. `http://127.0.0.1:8470`. */
  url: string;
  region: string;
  /** Resolves (and refreshes, for temporary credentials) the caller's credentials. */
  credentials: AwsCredentialIdentityProvider;
}

/** A problem with the caller's settings (no region, a malformed endpoint URL): the command's usage error. */
export class EndpointConfigurationError extends Error {
  override name = 'EndpointConfigurationError';
}

/** Finds the endpoint, region and credentials for calls to `service`, as the AWS CLI would. */
export async function resolveRolecallEndpoint(service: RolecallService, options: EndpointOptions = {}): Promise<RolecallEndpoint> {
  const env = options.env ?? process.env;
  const profileName = options.profile ?? getProfileName({ profile: env.AWS_PROFILE });
  const profiles = await readProfiles(env);
  const profile = profiles[profileName] ?? {};
  const region = options.region ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? nonEmpty(profile.region);
  if (!region) throw new EndpointConfigurationError('You must specify a region: --region, AWS_REGION or AWS_DEFAULT_REGION, or `region` in the profile.');
  const url = configuredEndpoint(service, options.endpointUrl, env, profiles, profile) ?? SERVICES[service].awsEndpoint(region);
  return { service, url: checkedUrl(url), region, credentials: credentialProvider(options, profileName) };
}

/** The configuration for an @aws-sdk/* v3 client of the endpoint's service: `new EKSClient(sdkClientConfig(endpoint))`. */
export function sdkClientConfig(endpoint: RolecallEndpoint): { endpoint: string; region: string; credentials: AwsCredentialIdentityProvider } {
  return { endpoint: endpoint.url, region: endpoint.region, credentials: endpoint.credentials };
}

/** One call of a REST-JSON API: method, path (already percent-encoded), query and JSON body. */
export interface JsonRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** The path under the endpoint, segments percent-encoded by the caller (`encodeURIComponent`). */
  path: string;
  query?: Record<string, string | string[] | undefined>;
  /** Sent as `application/json`; omitted for no body. */
  body?: unknown;
  /** Extra headers (lower-case names). */
  headers?: Record<string, string>;
  /** Abandons the call after this many milliseconds (default 30 s). */
  timeoutMs?: number;
}

/** A successful answer. */
export interface JsonAnswer<T = unknown> {
  status: number;
  headers: Headers;
  /** The parsed JSON body (`undefined` for an empty body). */
  body: T;
  /** `x-amzn-requestid`. */
  requestId: string;
}

/** An error the API answered (a non-2xx status), with AWS's error code and message. */
export class RolecallApiError extends Error {
  override name = 'RolecallApiError';
  constructor(
    /** AWS's error code, e.g. `ResourceNotFoundException` (from `x-amzn-errortype` or the body's `__type`). */
    readonly code: string,
    message: string,
    readonly status: number,
    readonly requestId: string,
  ) {
    super(message);
  }
}

/**
 * Sends one SigV4-signed JSON request to the endpoint (signed for its service and region, as the SDKs
 * sign REST-JSON calls) and returns the parsed answer; throws RolecallApiError for an error answer
 * (non-2xx), or the transport's error when the endpoint can't be reached.
 */
export async function signedJsonRequest<T = unknown>(endpoint: RolecallEndpoint, request: JsonRequest): Promise<JsonAnswer<T>> {
  const base = new URL(endpoint.url);
  const basePath = base.pathname.replace(/\/$/, '');
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) query[name] = value;
  const headers: Record<string, string> = {
    host: base.host,
    accept: 'application/json',
    ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...request.headers,
  };
  const signer = new SignatureV4({ service: endpoint.service, region: endpoint.region, credentials: endpoint.credentials, sha256: NodeSha256 });
  const signed = await signer.sign({
    method: request.method,
    protocol: base.protocol,
    hostname: base.hostname,
    ...(base.port ? { port: Number(base.port) } : {}),
    path: `${basePath}${request.path}`,
    query,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  // RFC 3986 encoding, as the signer canonicalises it (URLSearchParams would send a space as `+`).
  const queryText = Object.entries(query)
    .flatMap(([name, value]) => [value].flat().map((item) => `${rfc3986(name)}=${rfc3986(item)}`))
    .join('&');
  const url = `${base.origin}${basePath}${request.path}${queryText ? `?${queryText}` : ''}`;
  const { host: _host, ...sent } = signed.headers;
  const response = await fetch(url, {
    method: request.method,
    headers: sent,
    ...(body !== undefined ? { body } : {}),
    redirect: 'manual',
    signal: AbortSignal.timeout(request.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  const requestId = response.headers.get('x-amzn-requestid') ?? '';
  const parsed = parseJson(text);
  if (response.status < 200 || response.status > 299) throw apiError(response, parsed, text, requestId);
  return { status: response.status, headers: response.headers, body: parsed as T, requestId };
}

/** AWS's error code and message of an error answer (rest-json: `x-amzn-errortype`, else the body's `__type`/`code`). */
function apiError(response: Response, parsed: unknown, text: string, requestId: string): RolecallApiError {
  const document = isObject(parsed) ? parsed : {};
  const typeHeader = response.headers.get('x-amzn-errortype') ?? '';
  const rawCode = typeHeader || String(document.__type ?? document.code ?? document.Code ?? '');
  // `x-amzn-errortype` may carry `:http://internal...` and `__type` a `namespace#` prefix (rest-json error rules).
  const code = rawCode.split(':')[0]!.split('#').pop() || `Http${response.status}`;
  const message = String(document.message ?? document.Message ?? (text.trim() || response.statusText));
  return new RolecallApiError(code, message, response.status, requestId);
}

function credentialProvider(options: EndpointOptions, profile: string): AwsCredentialIdentityProvider {
  const given = options.credentials;
  if (typeof given === 'function') return given;
  if (given) return async () => given;
  // The chain caches what it resolved and resolves again once temporary credentials near expiry.
  return fromNodeProviderChain(options.profile !== undefined ? { profile } : {});
}

type Profiles = Record<string, Record<string, string | undefined>>;

/** The config file's sections (`default`, `other` for `[profile other]`, `services.NAME`); none when unreadable. */
async function readProfiles(env: NodeJS.ProcessEnv): Promise<Profiles> {
  try {
    const files = await loadSharedConfigFiles({
      ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
      ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    });
    return files.configFile as Profiles;
  } catch {
    return {};
  }
}

function configuredEndpoint(service: RolecallService, flag: string | undefined, env: NodeJS.ProcessEnv, profiles: Profiles, profile: Profiles[string]): string | undefined {
  if (flag !== undefined) return flag;
  if (/^true$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '') || /^true$/i.test(profile.ignore_configured_endpoint_urls ?? '')) return undefined;
  const { envSuffix, configKey } = SERVICES[service];
  const servicesSection = profile.services ? profiles[`services.${profile.services}`] : undefined;
  return (
    nonEmpty(env[`AWS_ENDPOINT_URL_${envSuffix}`]) ??
    nonEmpty(env.AWS_ENDPOINT_URL) ??
    nonEmpty(servicesSection?.[`${configKey}.endpoint_url`]) ??
    nonEmpty(profile.endpoint_url)
  );
}

function checkedUrl(text: string): string {
  const url = plainHttpUrl(text);
  if (!url) throw new EndpointConfigurationError(`Invalid endpoint URL (an http or https URL without query, fragment or user info): ${text}`);
  return url.href.replace(/\/$/, '');
}

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** SHA-256 (and HMAC-SHA-256 when given a secret) from node:crypto, in the shape the SigV4 signer takes. */
class NodeSha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key = secret === undefined ? undefined : typeof secret === 'string' ? secret : toBuffer(secret);
    this.#hash = key === undefined ? createHash('sha256') : createHmac('sha256', key);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(typeof data === 'string' ? data : toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
  reset(): void {
    throw new Error('NodeSha256 cannot be reset');
  }
}

function toBuffer(data: ArrayBuffer | ArrayBufferView): Buffer {
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

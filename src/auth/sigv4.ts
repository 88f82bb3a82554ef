/**
 * Server-side verification of AWS Signature Version 4, in both of its forms: the Authorization header
 * and the presigned query string. The canonical request is rebuilt from the request exactly as received
 * (raw path, raw query, header values, body bytes), following AWS's SigV4 rules for services other than
 * S3, and the signature is compared in constant time. Failures carry AWS's error codes and messages.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { invalidClientTokenId } from '../model/errors.js';
import { AwsError } from '../policy/index.js';

/** An HTTP request as the server received it; header names lower-cased. */
export interface SigV4Request {
  method: string;
  /** The path as received, still percent-encoded, without the query string. */
  path: string;
  /** The raw query string, without the leading `?`. */
  query: string;
  /**
   * Header values as Node gives them. Pass arrays (e.g. Node's `headersDistinct`) where a header was
   * repeated: SigV4 joins repeated values with a bare comma, Node's `headers` joins them with ", ".
   */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** What a valid signature proves about the request. */
export interface VerifiedSignature {
  accessKeyId: string;
  /** The signing time (X-Amz-Date, or the Date header). */
  date: Date;
  region: string;
  service: string;
  signedHeaders: string[];
  securityToken?: string;
  form: 'header' | 'presigned';
}

/** Finds the secret access key for a key id; the session token, if any, is given for session keys. */
export type SecretLookup = (
  accessKeyId: string,
  context: { securityToken?: string },
) => Promise<string | undefined>;

export interface VerifyOptions {
  /** The server's clock; defaults to the current time. */
  now?: Date;
  /** Services this endpoint serves (the credential scope's service must be one of them); any if absent. */
  expectedServices?: readonly string[];
  /**
   * Regions a service's credential scope may name, merged over DEFAULT_REGIONS_BY_SERVICE; `'*'` allows
   * any region. Services absent from both accept any region.
   */
  regionsByService?: Readonly<Record<string, readonly string[]>>;
}

/** IAM is a global service signed for us-east-1; STS accepts every region. */
export const DEFAULT_REGIONS_BY_SERVICE: Readonly<Record<string, readonly string[]>> = { iam: ['us-east-1'] };

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
const SCOPE_TERMINATOR = 'aws4_request';
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGNED_EXPIRES_SECONDS = 604800;

const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/**
 * AWS's SignatureDoesNotMatch for a wrong signature. The message is AWS's; the canonical request and
 * string to sign the server computed are kept apart for debug logs, with any session token redacted.
 */
export class SignatureMismatchError extends AwsError {
  readonly canonicalRequest: string;
  readonly stringToSign: string;

  constructor(canonicalRequest: string, stringToSign: string) {
    super('SignatureDoesNotMatch', SIGNATURE_MISMATCH_MESSAGE, 403);
    this.canonicalRequest = canonicalRequest;
    this.stringToSign = stringToSign;
  }
}

const incompleteSignature = (message: string) => new AwsError('IncompleteSignature', message, 400);
const signatureDoesNotMatch = (message: string) => new AwsError('SignatureDoesNotMatch', message, 403);

/** The signature's claims, read from the Authorization header or from the presigned query parameters. */
interface SignatureClaim {
  form: 'header' | 'presigned';
  credential: string;
  signedHeaders: string;
  signature: string;
  /** The signing time in ISO 8601 basic format, e.g. 20150830T123600Z. */
  amzDate: string;
  securityToken?: string;
  expiresSeconds?: number;
}

interface QueryPair {
  rawKey: string;
  rawValue: string;
  key: string;
  value: string;
}

/** Verifies a SigV4-signed request; returns what the signature proves or throws AWS's error. */
export async function verifySigV4(
  request: SigV4Request,
  lookupSecret: SecretLookup,
  options: VerifyOptions = {},
): Promise<VerifiedSignature> {
  const now = options.now ?? new Date();
  const queryPairs = parseQuery(request.query);
  const claim = readClaim(request, queryPairs);
  const scope = parseCredential(claim.credential);
  const signedHeaders = claim.signedHeaders.split(';');
  if (!signedHeaders.some((name) => name.toLowerCase() === 'host')) {
    throw incompleteSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const date = parseAmzDate(claim.amzDate);
  checkScope(scope, claim.amzDate, options);
  checkTime(claim, date, now);

  const secret = await lookupSecret(scope.accessKeyId, { securityToken: claim.securityToken });
  if (secret === undefined) throw invalidClientTokenId('unknown-access-key');

  const canonicalRequest = buildCanonicalRequest(request, queryPairs, signedHeaders, claim.form);
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/${scope.terminator}`;
  const stringToSign = [SIGV4_ALGORITHM, claim.amzDate, credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const expected = hmac(cachedSigningKey(secret, scope.date, scope.region, scope.service), stringToSign).toString('hex');
  if (!constantTimeEqual(expected, claim.signature)) {
    throw new SignatureMismatchError(redactToken(canonicalRequest, claim.securityToken), stringToSign);
  }
  return {
    accessKeyId: scope.accessKeyId,
    date,
    region: scope.region,
    service: scope.service,
    signedHeaders,
    ...(claim.securityToken === undefined ? {} : { securityToken: claim.securityToken }),
    form: claim.form,
  };
}

// ---------------------------------------------------------------------------------------------------
// Reading the signature's claims

function readClaim(request: SigV4Request, queryPairs: QueryPair[]): SignatureClaim {
  const authorization = headerValue(request.headers, 'authorization');
  const presigned = queryPairs.some((p) => p.key === 'X-Amz-Algorithm' || p.key === 'X-Amz-Signature');
  if (authorization !== undefined && presigned) {
    throw incompleteSignature(
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, ' +
        'Signature query string parameter or the Authorization header should be specified',
    );
  }
  if (authorization !== undefined) return readAuthorizationHeader(authorization, request.headers);
  if (presigned) return readPresignedQuery(queryPairs);
  throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
}

/** Parses `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` as AWS does. */
function readAuthorizationHeader(
  authorization: string,
  headers: SigV4Request['headers'],
): SignatureClaim {
  const text = authorization.trim();
  const schemeEnd = text.search(/\s/);
  const scheme = schemeEnd < 0 ? text : text.slice(0, schemeEnd);
  const rest = schemeEnd < 0 ? '' : text.slice(schemeEnd);
  const params = new Map<string, string>();
  for (const part of rest.split(/[\s,]+/).filter((p) => p.length > 0)) {
    const equals = part.indexOf('=');
    if (equals < 0) {
      throw incompleteSignature(
        `'${part}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`,
      );
    }
    const name = part.slice(0, equals);
    if (!params.has(name)) params.set(name, part.slice(equals + 1));
  }

  const amzDateHeader = headerValue(headers, 'x-amz-date');
  const dateHeader = headerValue(headers, 'date');
  const missing: string[] = [];
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!params.has(name)) missing.push(`Authorization header requires '${name}' parameter.`);
  }
  const amzDate = amzDateHeader !== undefined ? amzDateHeader.trim() : httpDateToAmzDate(dateHeader);
  if (amzDate === undefined) {
    missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (missing.length > 0) throw incompleteSignature(`${missing.join(' ')} Authorization=${authorization}`);
  checkAlgorithm(scheme);

  const securityToken = headerValue(headers, 'x-amz-security-token');
  return {
    form: 'header',
    credential: params.get('Credential') as string,
    signedHeaders: params.get('SignedHeaders') as string,
    signature: params.get('Signature') as string,
    amzDate: amzDate as string,
    ...(securityToken === undefined ? {} : { securityToken }),
  };
}

const PRESIGNED_REQUIRED = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'];

function readPresignedQuery(queryPairs: QueryPair[]): SignatureClaim {
  const param = (name: string) => queryPairs.find((p) => p.key === name)?.value;
  const missing = PRESIGNED_REQUIRED.filter((name) => param(name) === undefined);
  if (missing.length > 0) {
    throw incompleteSignature(
      missing
        .map((name) => `AWS query-string parameters must include '${name}'. Re-examine the query-string parameters.`)
        .join(' '),
    );
  }
  checkAlgorithm(param('X-Amz-Algorithm') as string);
  const expires = param('X-Amz-Expires');
  const securityToken = param('X-Amz-Security-Token');
  return {
    form: 'presigned',
    credential: param('X-Amz-Credential') as string,
    signedHeaders: param('X-Amz-SignedHeaders') as string,
    signature: param('X-Amz-Signature') as string,
    amzDate: param('X-Amz-Date') as string,
    ...(securityToken === undefined ? {} : { securityToken }),
    ...(expires === undefined ? {} : { expiresSeconds: parseExpires(expires) }),
  };
}

function checkAlgorithm(algorithm: string): void {
  if (algorithm !== SIGV4_ALGORITHM) throw incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'.`);
}

/** X-Amz-Expires: whole seconds, at most a week (the life of a signing key). */
function parseExpires(text: string): number {
  if (!/^-?\d+$/.test(text)) throw incompleteSignature('X-Amz-Expires should be a number');
  const seconds = Number(text);
  if (seconds < 0) throw incompleteSignature('X-Amz-Expires must be non-negative');
  if (seconds > MAX_PRESIGNED_EXPIRES_SECONDS) {
    throw incompleteSignature(`X-Amz-Expires must be less than a week (in seconds) that is; ${MAX_PRESIGNED_EXPIRES_SECONDS}`);
  }
  return seconds;
}

// ---------------------------------------------------------------------------------------------------
// Credential scope and time

interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
}

function parseCredential(credential: string): CredentialScope {
  const parts = credential.split('/');
  if (parts.length !== 5) {
    throw incompleteSignature(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  return { accessKeyId, date, region, service, terminator };
}

function checkScope(scope: CredentialScope, amzDate: string, options: VerifyOptions): void {
  if (scope.terminator !== SCOPE_TERMINATOR) {
    throw signatureDoesNotMatch(
      `Credential should be scoped with a valid terminator: '${SCOPE_TERMINATOR}', not '${scope.terminator}'. `,
    );
  }
  const services = options.expectedServices;
  if (services !== undefined && services.length > 0 && !services.includes(scope.service)) {
    throw signatureDoesNotMatch(`Credential should be scoped to correct service: '${services[0]}'. `);
  }
  const regions = { ...DEFAULT_REGIONS_BY_SERVICE, ...options.regionsByService }[scope.service];
  if (scope.region === '' || (regions !== undefined && !regions.includes('*') && !regions.includes(scope.region))) {
    throw signatureDoesNotMatch(`Credential should be scoped to a valid region, not '${scope.region}'. `);
  }
  if (scope.date !== amzDate.slice(0, 8)) {
    throw signatureDoesNotMatch(
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
        `'${scope.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
}

/** The header form (and a presigned URL without X-Amz-Expires) is valid 15 minutes either side of now. */
function checkTime(claim: SignatureClaim, date: Date, now: Date): void {
  const signedAt = date.getTime();
  const nowMs = now.getTime();
  if (signedAt > nowMs + MAX_CLOCK_SKEW_MS) {
    throw signatureDoesNotMatch(
      `Signature not yet current: ${claim.amzDate} is still later than ` +
        `${toAmzDate(new Date(nowMs + MAX_CLOCK_SKEW_MS))} (${toAmzDate(now)} + 15 min.)`,
    );
  }
  if (claim.expiresSeconds !== undefined) {
    if (nowMs > signedAt + claim.expiresSeconds * 1000) {
      throw new AwsError('RequestExpired', 'Request has expired.', 400);
    }
    return;
  }
  if (signedAt < nowMs - MAX_CLOCK_SKEW_MS) {
    throw signatureDoesNotMatch(
      `Signature expired: ${claim.amzDate} is now earlier than ` +
        `${toAmzDate(new Date(nowMs - MAX_CLOCK_SKEW_MS))} (${toAmzDate(now)} - 15 min.)`,
    );
  }
}

const AMZ_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Reads 20150830T123600Z; anything else, impossible dates included, is malformed. */
function parseAmzDate(amzDate: string): Date {
  const m = AMZ_DATE_PATTERN.exec(amzDate);
  const fields = (m ?? []).slice(1).map(Number) as [number, number, number, number, number, number];
  const date = m === null ? undefined : new Date(Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]));
  if (date === undefined || toAmzDate(date) !== amzDate) {
    throw incompleteSignature(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  }
  return date;
}

/** ISO 8601 basic format with whole seconds, as SigV4 writes times: 20150830T123600Z. */
export function toAmzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

function httpDateToAmzDate(dateHeader: string | undefined): string | undefined {
  if (dateHeader === undefined) return undefined;
  const ms = Date.parse(dateHeader);
  return Number.isNaN(ms) ? undefined : toAmzDate(new Date(ms));
}

// ---------------------------------------------------------------------------------------------------
// The canonical request

function buildCanonicalRequest(
  request: SigV4Request,
  queryPairs: QueryPair[],
  signedHeaders: string[],
  form: SignatureClaim['form'],
): string {
  const pairs = form === 'presigned' ? queryPairs.filter((p) => p.key !== 'X-Amz-Signature') : queryPairs;
  const headerLines = signedHeaders.map(
    (name) => `${name}:${canonicalHeaderValue(request.headers[name.toLowerCase()])}`,
  );
  return [
    request.method.toUpperCase(),
    canonicalUri(request.path),
    canonicalQuery(pairs),
    ...headerLines,
    '',
    signedHeaders.join(';'),
    sha256Hex(request.body),
  ].join('\n');
}

/**
 * The canonical URI for services other than S3: the path with `.`/`..`/empty segments removed, then
 * URI-encoded once more (the path is already encoded as received, so `%20` becomes `%2520`).
 */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailingSlash = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.map((s) => uriEncode(Buffer.from(s, 'utf8'))).join('/')}${trailingSlash}`;
}

/** Every parameter decoded and re-encoded per RFC 3986, sorted by name and then by value. */
export function canonicalQuery(pairs: readonly { rawKey: string; rawValue: string }[]): string {
  return pairs
    .map((p) => [uriEncode(percentDecode(p.rawKey)), uriEncode(percentDecode(p.rawValue))] as const)
    .sort(([k1, v1], [k2, v2]) => (k1 !== k2 ? compareAscii(k1, k2) : compareAscii(v1, v2)))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function parseQuery(query: string): QueryPair[] {
  const pairs: QueryPair[] = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const rawKey = equals < 0 ? part : part.slice(0, equals);
    const rawValue = equals < 0 ? '' : part.slice(equals + 1);
    pairs.push({
      rawKey,
      rawValue,
      key: percentDecode(rawKey).toString('utf8'),
      value: percentDecode(rawValue).toString('utf8'),
    });
  }
  return pairs;
}

/** Header values trimmed, runs of whitespace collapsed; repeated headers joined with commas. */
function canonicalHeaderValue(value: string | string[] | undefined): string {
  const joined = Array.isArray(value) ? value.map(collapseWhitespace).join(',') : value ?? '';
  return collapseWhitespace(joined);
}

function collapseWhitespace(value: string): string {
  return value.replace(/[ \t\r\n]+/g, ' ').trim();
}

function headerValue(headers: SigV4Request['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

const HEX = /^[0-9A-Fa-f]{2}$/;

/**
 * Percent-decodes to bytes: a malformed `%` stays literal and `+` is a space (form encoding, which is
 * what a `+` means in the query strings AWS's Query protocol receives).
 */
function percentDecode(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; ) {
    const ch = text[i] as string;
    if (ch === '%' && HEX.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
    } else if (ch === '+') {
      bytes.push(0x20);
      i += 1;
    } else {
      const codePoint = String.fromCodePoint(text.codePointAt(i) as number);
      bytes.push(...Buffer.from(codePoint, 'utf8'));
      i += codePoint.length;
    }
  }
  return Buffer.from(bytes);
}

/** RFC 3986 encoding: unreserved characters kept, every other byte as %XX with upper-case hex. */
function uriEncode(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Keys and hashes

/** The SigV4 signing key: HMAC chain over date, region, service and the terminator. */
export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  let key = hmac(Buffer.from(`AWS4${secretAccessKey}`, 'utf8'), date);
  for (const part of [region, service, SCOPE_TERMINATOR]) key = hmac(key, part);
  return key;
}

/**
 * Signing keys derived so far. A key depends only on the secret and the scope, so it changes once a day
 * per caller; deriving it is four HMACs, a third of a request's signature check. The map holds secrets the
 * process already holds (opened access keys, session tokens) and is emptied when it grows past its bound.
 */
const derivedSigningKeys = new Map<string, Buffer>();
const MAX_DERIVED_SIGNING_KEYS = 10_000;

function cachedSigningKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${date}/${region}/${service}/${secretAccessKey}`;
  let key = derivedSigningKeys.get(cacheKey);
  if (key === undefined) {
    if (derivedSigningKeys.size >= MAX_DERIVED_SIGNING_KEYS) derivedSigningKeys.clear();
    key = signingKey(secretAccessKey, date, region, service);
    derivedSigningKeys.set(cacheKey, key);
  }
  return key;
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function redactToken(canonicalRequest: string, token: string | undefined): string {
  if (token === undefined || token === '') return canonicalRequest;
  const encoded = uriEncode(Buffer.from(token, 'utf8'));
  return canonicalRequest.split(encoded).join('<redacted>').split(token).join('<redacted>');
}

function constantTimeEqual(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

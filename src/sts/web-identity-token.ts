/**
 * Reading and verifying a web identity token (an OpenID Connect ID token: a JWT in compact JWS form) as
 * STS does for AssumeRoleWithWebIdentity (API_AssumeRoleWithWebIdentity.html: "Tokens must be signed using
 * either RSA keys (RS256, RS384, or RS512) or ECDSA keys (ES256, ES384, or ES512)"; "Timestamps in the
 * token must be formatted as either an integer or a long integer"). Nothing here trusts a claim before the
 * signature is verified except to find out which issuer and key to verify it with.
 */
import { compactVerify, errors, type CompactVerifyGetKey } from 'jose';
import type { Tag } from '../model/entities.js';
import { AwsError } from '../model/errors.js';
import type { IssuerKeySet, IssuerKeySource } from './oidc-discovery.js';
import { expiredToken, invalidIdentityToken, NO_VERIFICATION_KEY, NOT_A_JWT, SIGNATURE_NOT_VALID } from './web-identity-errors.js';

/** The signature algorithms STS accepts; `none`, HMAC (HS*), RSA-PSS and EdDSA are refused. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const;

/** The claims namespace for session tags and source identity (id_session-tags.html, id_credentials_temp_control-access_monitor.html). */
export const TAGS_CLAIM = 'https://aws.amazon.com/tags';
export const SOURCE_IDENTITY_CLAIM = 'https://aws.amazon.com/source_identity';

export interface WebIdentityToken {
  compact: string;
  header: Record<string, unknown>;
  /** Unverified until verifyTokenSignature succeeds. */
  claims: Record<string, unknown>;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Splits and decodes a compact JWS whose header names an accepted algorithm; anything else is not a JWT to STS. */
export function readWebIdentityToken(compact: string): WebIdentityToken {
  const parts = compact.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) throw invalidIdentityToken(NOT_A_JWT);
  const header = decodeJsonPart(parts[0]!);
  const claims = decodeJsonPart(parts[1]!);
  if (typeof header.alg !== 'string' || !(ACCEPTED_ALGORITHMS as readonly string[]).includes(header.alg)) throw invalidIdentityToken(NOT_A_JWT);
  // Extensions a verifier must understand (RFC 7515 §4.1.11), unencoded payloads among them: no ID token uses them.
  if ('crit' in header || 'b64' in header) throw invalidIdentityToken(NOT_A_JWT);
  return { compact, header, claims };
}

function decodeJsonPart(part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw invalidIdentityToken(NOT_A_JWT);
  }
  if (!isObject(value)) throw invalidIdentityToken(NOT_A_JWT);
  return value;
}

/** A claim that must be a non-empty string ("Missing a required claim: aud", as STS words it). */
export function requiredStringClaim(claims: Record<string, unknown>, name: string): string {
  const value = claims[name];
  if (typeof value !== 'string' || value === '') throw invalidIdentityToken(`Missing a required claim: ${name}`);
  return value;
}

/**
 * The audience STS matches against the provider's client ids: the `azp` claim when present (the party
 * the token was issued to), else the `aud` value — a string, or the first element of an array that is a
 * registered client id (reference_policies_iam-condition-keys.html, `aud` and `oaud`).
 */
export function matchedAudience(claims: Record<string, unknown>, clientIds: readonly string[]): string {
  const candidates = typeof claims.azp === 'string' ? [claims.azp] : audiencesOf(claims);
  if (candidates.length === 0) throw invalidIdentityToken('Missing a required claim: aud');
  const matched = candidates.find((candidate) => clientIds.includes(candidate));
  if (matched === undefined) throw invalidIdentityToken('Incorrect token audience');
  return matched;
}

/** The `aud` claim as a list of strings (OpenID Connect Core §2: a string or an array of strings). */
export function audiencesOf(claims: Record<string, unknown>): string[] {
  const aud = claims.aud;
  if (typeof aud === 'string') return aud === '' ? [] : [aud];
  if (Array.isArray(aud)) return aud.filter((value): value is string => typeof value === 'string' && value !== '');
  return [];
}

/**
 * Verifies the signature with the issuer's keys. A key id the cached set lacks makes the cache fetch the
 * issuer's keys again (key rotation), at most once per cooldown.
 */
export async function verifyTokenSignature(token: WebIdentityToken, issuer: string, keys: IssuerKeySource, now: Date): Promise<void> {
  const current = await keys.current(issuer, now);
  try {
    await verifyWith(token.compact, current);
    return;
  } catch (error) {
    if (!isCode(error, 'ERR_JWKS_NO_MATCHING_KEY')) throw signatureError(error);
  }
  const refreshed = await keys.refreshed(issuer, now);
  if (!refreshed) throw invalidIdentityToken(NO_VERIFICATION_KEY);
  try {
    await verifyWith(token.compact, refreshed);
  } catch (error) {
    throw isCode(error, 'ERR_JWKS_NO_MATCHING_KEY') ? invalidIdentityToken(NO_VERIFICATION_KEY) : signatureError(error);
  }
}

async function verifyWith(compact: string, keySet: IssuerKeySet): Promise<void> {
  const options = { algorithms: [...ACCEPTED_ALGORITHMS] };
  try {
    await compactVerify(compact, keySet as CompactVerifyGetKey, options);
  } catch (error) {
    // A token without `kid` may match several keys of the set: any one of them verifying suffices.
    if (!isCode(error, 'ERR_JWKS_MULTIPLE_MATCHING_KEYS')) throw error;
    for await (const key of error as errors.JWKSMultipleMatchingKeys) {
      try {
        await compactVerify(compact, key, options);
        return;
      } catch (attempt) {
        if (!isCode(attempt, 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')) throw attempt;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

/** jose's failures as STS reports them: a bad signature, a malformed token, or a key that can't be used. */
function signatureError(error: unknown): Error {
  if (isCode(error, 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')) return invalidIdentityToken(SIGNATURE_NOT_VALID);
  if (isCode(error, 'ERR_JWS_INVALID') || isCode(error, 'ERR_JOSE_ALG_NOT_ALLOWED')) return invalidIdentityToken(NOT_A_JWT);
  if (error instanceof AwsError) return error;
  // An unusable key (wrong type for the algorithm, RSA modulus under 2048 bits, malformed JWK).
  return invalidIdentityToken(NO_VERIFICATION_KEY);
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * `exp` (required), `nbf` and `iat` as integers, with `skewSeconds` of tolerance for clocks that differ.
 * An expired token is ExpiredTokenException with STS's sentence; one from the future is InvalidIdentityToken.
 */
export function checkTokenTimes(claims: Record<string, unknown>, now: Date, skewSeconds: number): void {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const exp = timestampClaim(claims, 'exp');
  if (exp === undefined) throw invalidIdentityToken('Missing a required claim: exp');
  const nbf = timestampClaim(claims, 'nbf');
  const iat = timestampClaim(claims, 'iat');
  if (nowSeconds >= exp + skewSeconds) throw expiredToken(nowSeconds, exp);
  if (nbf !== undefined && nowSeconds + skewSeconds < nbf) {
    throw invalidIdentityToken(`Token not yet valid: current date/time ${nowSeconds} must not be before the not-before date/time ${nbf}`);
  }
  if (iat !== undefined && nowSeconds + skewSeconds < iat) {
    throw invalidIdentityToken(`Token used before issued: current date/time ${nowSeconds} must not be before the issued-at date/time ${iat}`);
  }
}

function timestampClaim(claims: Record<string, unknown>, name: string): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalidIdentityToken(NOT_A_JWT);
  return value;
}

export interface TokenSessionTags {
  tags: Tag[];
  transitiveTagKeys: string[];
}

/**
 * Session tags from the `https://aws.amazon.com/tags` claim: `principal_tags` maps each key to a one-value
 * list (multivalued session tags are not supported) and `transitive_tag_keys` lists the keys that persist
 * through role chaining (id_session-tags.html#id_session-tags_adding-assume-role-idp).
 */
export function sessionTagsOf(claims: Record<string, unknown>): TokenSessionTags | undefined {
  const claim = claims[TAGS_CLAIM];
  if (claim === undefined) return undefined;
  const invalid = () => invalidIdentityToken(`The ${TAGS_CLAIM} claim must hold principal_tags with one string value per key and transitive_tag_keys as a list of strings`);
  if (!isObject(claim)) throw invalid();
  const principalTags = claim.principal_tags ?? {};
  const transitive = claim.transitive_tag_keys ?? [];
  if (!isObject(principalTags) || !Array.isArray(transitive) || !transitive.every((key) => typeof key === 'string')) throw invalid();
  const tags: Tag[] = [];
  for (const [key, value] of Object.entries(principalTags)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.length !== 1 || typeof values[0] !== 'string') throw invalid();
    tags.push({ Key: key, Value: values[0] });
  }
  return { tags, transitiveTagKeys: transitive as string[] };
}

/** The source identity from the `https://aws.amazon.com/source_identity` claim, if the token sets one. */
export function sourceIdentityOf(claims: Record<string, unknown>): string | undefined {
  const value = claims[SOURCE_IDENTITY_CLAIM];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidIdentityToken(`The ${SOURCE_IDENTITY_CLAIM} claim must be a string`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

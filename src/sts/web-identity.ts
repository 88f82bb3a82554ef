/**
 * STS AssumeRoleWithWebIdentity (API_AssumeRoleWithWebIdentity.html; id_roles_providers_oidc.html;
 * id_credentials_temp_request.html#api_assumerolewithwebidentity) — the IRSA path. The call is unsigned:
 * the token is the credential. It is verified against the OpenID Connect provider registered in the
 * role's account for the token's issuer (signature with the issuer's published keys, audience in the
 * provider's client ids, validity times); then the role's trust policy decides with the provider as the
 * Federated principal and the token's claims as condition keys; then a role session is issued.
 *
 * Every refusal that concerns the role (no such role, trust policy does not allow) is the same
 * AccessDenied, so an unauthenticated caller learns nothing about which roles exist.
 */
import { defineOperation, type OperationContext } from '../iam/operation.js';
import { checkMembers, optional, required, type Rule } from '../iam/validation.js';
import type { OpenIdConnectProvider, Role } from '../model/entities.js';
import { validationError } from '../model/errors.js';
import { issueRoleSession, type IssuedCredentials } from './issue-session.js';
import { OidcKeyCache, type OidcKeyCacheOptions } from './oidc-discovery.js';
import { invalidIdentityToken, notAuthorizedForWebIdentity } from './web-identity-errors.js';
import {
  checkTokenTimes,
  matchedAudience,
  readWebIdentityToken,
  requiredStringClaim,
  sessionTagsOf,
  sourceIdentityOf,
  verifyTokenSignature,
} from './web-identity-token.js';
import { webIdentityTrusted } from './web-identity-trust.js';

export interface AssumeRoleWithWebIdentityInput {
  RoleArn: string;
  RoleSessionName: string;
  WebIdentityToken: string;
  ProviderId?: string;
  PolicyArns?: Array<{ arn?: string }>;
  Policy?: string;
  DurationSeconds?: number;
}

export interface AssumeRoleWithWebIdentityOutput {
  Credentials: IssuedCredentials;
  SubjectFromWebIdentityToken: string;
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
  PackedPolicySize?: number;
  /** The provider's ARN, as STS answers for OIDC providers. */
  Provider: string;
  Audience: string;
  SourceIdentity?: string;
}

export interface WebIdentityOptions {
  /** The issuers' key cache, or options for a new one (one cache per server: it is the JWKS cache). */
  keys?: OidcKeyCache | OidcKeyCacheOptions;
  /** Tolerance, in seconds, for `exp`, `nbf` and `iat` against this server's clock. Default 60. */
  clockSkewSeconds?: number;
}

/** The session duration when DurationSeconds is omitted (API_AssumeRoleWithWebIdentity.html). */
export const DEFAULT_DURATION_SECONDS = 3600;

// The STS model's shapes (sts-2011-06-15: arnType, roleSessionNameType, roleDurationSecondsType,
// sessionPolicyDocumentType, urlType). The token (clientTokenType, sensitive) is checked apart: never echoed.
const ARN: Rule = { type: 'string', min: 20, max: 2048 };
const SESSION_NAME: Rule = { type: 'string', min: 2, max: 64, pattern: '[\\w+=,.@-]*' };
const DURATION: Rule = { type: 'integer', min: 900, max: 43200 };
const SESSION_POLICY: Rule = { type: 'string', min: 1, max: 2048, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' };
const PROVIDER_ID: Rule = { type: 'string', min: 4, max: 2048 };
const TOKEN_MIN = 4;
const TOKEN_MAX = 20000;

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\u0021-\u007E]*\/)?([\w+=,.@-]+)$/;

/** AssumeRoleWithWebIdentity with its own key cache and clock tolerance. */
export function createAssumeRoleWithWebIdentity(options: WebIdentityOptions = {}) {
  const keys = options.keys instanceof OidcKeyCache ? options.keys : new OidcKeyCache(options.keys);
  const skew = options.clockSkewSeconds ?? 60;

  return defineOperation<AssumeRoleWithWebIdentityInput, AssumeRoleWithWebIdentityOutput>({
    name: 'AssumeRoleWithWebIdentity',
    // Unsigned: there is no caller whose policies could be asked; the role's trust policy decides in execute.
    authorize: () => [],
    async execute(context, input) {
      checkInput(input);
      const target = ROLE_ARN.exec(input.RoleArn);
      if (!target) throw validationError('Request ARN is invalid');
      const [, account, roleName] = target as unknown as [string, string, string];

      const token = readWebIdentityToken(input.WebIdentityToken);
      const issuer = requiredStringClaim(token.claims, 'iss');
      const provider = await findProvider(context, account, issuer, keys);
      const audience = matchedAudience(token.claims, provider.ClientIDList);
      await verifyTokenSignature(token, issuer, keys, context.now);
      checkTokenTimes(token.claims, context.now, skew);
      const subject = requiredStringClaim(token.claims, 'sub');
      const sessionTags = sessionTagsOf(token.claims);
      const sourceIdentity = sourceIdentityOf(token.claims);

      const role = await context.store.read((reader) => reader.get<Role>('role', account, roleName));
      if (!role || role.Arn !== input.RoleArn) throw notAuthorizedForWebIdentity();
      const trustRequest = { role, provider, claims: token.claims, subject, audience, sessionName: input.RoleSessionName, sessionTags, sourceIdentity };
      if (!webIdentityTrusted(context, trustRequest)) throw notAuthorizedForWebIdentity();

      const session = await issueRoleSession(context, {
        role,
        sessionName: input.RoleSessionName,
        durationSeconds: input.DurationSeconds ?? DEFAULT_DURATION_SECONDS,
        ...(input.Policy !== undefined ? { policy: input.Policy } : {}),
        ...(input.PolicyArns !== undefined ? { policyArns: input.PolicyArns.map((descriptor) => descriptor.arn!) } : {}),
        ...(sessionTags ? { tags: sessionTags.tags, transitiveTagKeys: sessionTags.transitiveTagKeys } : {}),
        ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
        webIdentity: { providerArn: provider.Arn, subject, audience },
      });
      // Like AssumeRole, PackedPolicySize is reported only when session policies or tags were passed.
      const packed = input.Policy !== undefined || (input.PolicyArns?.length ?? 0) > 0 || (sessionTags?.tags.length ?? 0) > 0;
      return {
        Credentials: session.Credentials,
        SubjectFromWebIdentityToken: subject,
        AssumedRoleUser: session.AssumedRoleUser,
        ...(packed ? { PackedPolicySize: session.PackedPolicySize } : {}),
        Provider: provider.Arn,
        Audience: audience,
        ...(sourceIdentity !== undefined ? { SourceIdentity: sourceIdentity } : {}),
      };
    },
  });
}

/** The operation as the server registers it, with a default key cache (HTTP issuers on loopback only). */
export const assumeRoleWithWebIdentity = createAssumeRoleWithWebIdentity();

/** The model's constraints; the token's length is checked without ever quoting the token. */
function checkInput(input: AssumeRoleWithWebIdentityInput): void {
  checkMembers(input, {
    RoleArn: required(ARN),
    RoleSessionName: required(SESSION_NAME),
    ProviderId: optional(PROVIDER_ID),
    Policy: optional(SESSION_POLICY),
    DurationSeconds: optional(DURATION),
  });
  const token: unknown = input.WebIdentityToken;
  if (token === undefined || token === null) throw validationError("1 validation error detected: Value null at 'webIdentityToken' failed to satisfy constraint: Member must not be null");
  const length = typeof token === 'string' ? [...token].length : -1;
  if (length < TOKEN_MIN) throw validationError(`1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to ${TOKEN_MIN}`);
  if (length > TOKEN_MAX) throw validationError(`1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length less than or equal to ${TOKEN_MAX}`);
  if (input.PolicyArns?.some((descriptor) => typeof descriptor?.arn !== 'string')) {
    throw validationError("1 validation error detected: Value null at 'policyArns.member.arn' failed to satisfy constraint: Member must not be null");
  }
  if (input.ProviderId !== undefined) {
    // ProviderId names an OAuth 2.0 provider (www.amazon.com, graph.facebook.com) whose access tokens STS
    // checks with that provider; Rolecall federates OpenID Connect ID tokens only.
    throw invalidIdentityToken('ProviderId is for OAuth 2.0 access tokens of www.amazon.com and graph.facebook.com, which Rolecall does not accept; omit it for OpenID Connect ID tokens');
  }
}

/**
 * The OIDC provider registered in the role's account for the issuer: its URL without scheme, exactly
 * (STS: "No OpenIDConnect provider found in your account for <iss>"). IAM registers providers as
 * `https://` URLs; an `http://` issuer matches the same registration only where the key cache may reach
 * it over plain HTTP (a local or in-cluster issuer).
 */
async function findProvider(context: OperationContext, account: string, issuer: string, keys: OidcKeyCache): Promise<OpenIdConnectProvider> {
  const notFound = () => invalidIdentityToken(`No OpenIDConnect provider found in your account for ${issuer}`);
  const scheme = /^https?:\/\//i.exec(issuer)?.[0];
  if (!scheme || !keys.allowsIssuer(issuer)) throw notFound();
  const url = issuer.slice(scheme.length);
  const provider = await context.store.read((reader) => reader.get<OpenIdConnectProvider>('oidcProvider', account, url));
  // The store's keys ignore case; an issuer's path does not.
  if (!provider || provider.Url !== url) throw notFound();
  return provider;
}

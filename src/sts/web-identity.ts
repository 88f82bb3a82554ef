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
import { parseRoleArn } from '../model/arns.js';
import { defineOperation, type OperationContext } from '../iam/operation.js';
import type { OpenIdConnectProvider, Role } from '../model/entities.js';
import type { ServiceAccountIssuerKeys } from '../model/eks-entities.js';
import { validationError } from '../model/errors.js';
import { issueRoleSession, type IssuedCredentials } from './issue-session.js';
import { fixedKeySource, OidcKeyCache, type IssuerKeySource, type OidcKeyCacheOptions } from './oidc-discovery.js';
import { sessionPolicyArns } from './session-parameters.js';
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

/** AssumeRoleWithWebIdentity with its own key cache and clock tolerance. */
export function createAssumeRoleWithWebIdentity(options: WebIdentityOptions = {}) {
  const keys = options.keys instanceof OidcKeyCache ? options.keys : new OidcKeyCache(options.keys);
  const skew = options.clockSkewSeconds ?? 60;

  return defineOperation<AssumeRoleWithWebIdentityInput, AssumeRoleWithWebIdentityOutput>({
    service: 'sts',
    name: 'AssumeRoleWithWebIdentity',
    // Unsigned: there is no caller whose policies could be asked; the role's trust policy decides in execute.
    authorize: () => [],
    async execute(context, input) {
      const policyArns = sessionPolicyArns(input.PolicyArns);
      refuseOAuthProvider(input.ProviderId);
      const target = parseRoleArn(input.RoleArn);
      if (!target) throw validationError('Request ARN is invalid');
      const { account, name: roleName } = target;

      const token = readWebIdentityToken(input.WebIdentityToken);
      const issuer = requiredStringClaim(token.claims, 'iss');
      const provider = await findProvider(context, account, issuer, keys);
      const audience = matchedAudience(token.claims, provider.ClientIDList);
      await verifyTokenSignature(token, issuer, await keySourceFor(context, issuer, keys), context.now);
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
        ...(policyArns.length > 0 ? { policyArns } : {}),
        ...(sessionTags ? { tags: sessionTags.tags, transitiveTagKeys: sessionTags.transitiveTagKeys } : {}),
        ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
        webIdentity: { providerArn: provider.Arn, subject, audience },
      });
      // Like AssumeRole, PackedPolicySize is reported only when session policies or tags were passed.
      const packed = input.Policy !== undefined || policyArns.length > 0 || (sessionTags?.tags.length ?? 0) > 0;
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

/**
 * ProviderId is valid by the model (defineOperation checked the input, the token too: the model marks it
 * sensitive, so its violations never quote it) but names a provider Rolecall does not federate.
 */
function refuseOAuthProvider(providerId: string | undefined): void {
  if (providerId !== undefined) {
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

/**
 * The keys of an issuer this server signs for (a Rolecall-issued cluster: its public keys are in the
 * store, so nothing is fetched — the issuer's HTTPS URL need not even be reachable from here), else the
 * issuer's published keys through the cache.
 */
async function keySourceFor(context: OperationContext, issuer: string, keys: OidcKeyCache): Promise<IssuerKeySource> {
  const own = await context.store.read((reader) => reader.get<ServiceAccountIssuerKeys>('serviceAccountIssuer', '', issuer));
  return own && own.issuer === issuer ? fixedKeySource({ keys: own.keys }) : keys;
}

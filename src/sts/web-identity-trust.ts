/**
 * The trust decision for AssumeRoleWithWebIdentity: the role's trust policy, evaluated by the policy
 * engine with the OIDC provider's ARN as the (Federated) principal and the token's claims as condition
 * keys named after the provider's URL — `oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:sub`, `:aud`,
 * `:oaud`, `:amr`, `:email` (reference_policies_iam-condition-keys.html#condition-keys-wif,
 * id_roles_create_for-idp_oidc.html). Passing session tags also needs `sts:TagSession` and setting a
 * source identity `sts:SetSourceIdentity` in the same trust policy (id_session-tags.html,
 * id_credentials_temp_control-access_monitor.html).
 */
import { requestTagContext, resourceTagContext } from '../iam/tags.js';
import type { OperationContext } from '../iam/operation.js';
import type { OpenIdConnectProvider, Role } from '../model/entities.js';
import { evaluate, type ContextValue } from '../policy/index.js';
import { audiencesOf, type TokenSessionTags } from './web-identity-token.js';

export interface WebIdentityTrustRequest {
  role: Role;
  provider: OpenIdConnectProvider;
  /** Verified claims of the token. */
  claims: Record<string, unknown>;
  subject: string;
  /** The audience that matched the provider's client ids (azp or aud). */
  audience: string;
  sessionName: string;
  sessionTags?: TokenSessionTags;
  sourceIdentity?: string;
}

/**
 * The keys every trust decision sees whoever assumes the role (a federated or a service principal): the
 * request's time, source and region, and the role's tags as aws:ResourceTag (iam:ResourceTag too).
 */
export function trustBaseContext(context: OperationContext, role: Role): Record<string, ContextValue> {
  return {
    'aws:CurrentTime': context.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(context.now.getTime() / 1000)),
    'aws:SourceIp': context.sourceIp,
    'aws:SecureTransport': 'false',
    'aws:RequestedRegion': context.region,
    ...resourceTagContext(role.Tags, true),
  };
}

/** The request context the trust policy sees. */
export function webIdentityTrustContext(context: OperationContext, request: WebIdentityTrustRequest): Record<string, ContextValue> {
  const prefix = request.provider.Url;
  const keys: Record<string, ContextValue> = {
    ...trustBaseContext(context, request.role),
    [`${prefix}:sub`]: request.subject,
    [`${prefix}:aud`]: request.audience,
    'sts:RoleSessionName': request.sessionName,
  };
  // `oaud` is the token's own aud claim, which differs from `aud` when the token names an azp.
  const audiences = audiencesOf(request.claims);
  if (audiences.length > 0) keys[`${prefix}:oaud`] = audiences.length === 1 ? audiences[0]! : audiences;
  const amr = stringsOf(request.claims.amr);
  if (amr) keys[`${prefix}:amr`] = amr;
  if (typeof request.claims.email === 'string') keys[`${prefix}:email`] = request.claims.email;
  if (request.sourceIdentity !== undefined) keys['sts:SourceIdentity'] = request.sourceIdentity;
  if (request.sessionTags) {
    Object.assign(keys, requestTagContext(request.sessionTags.tags));
    if (request.sessionTags.transitiveTagKeys.length > 0) keys['sts:TransitiveTagKeys'] = request.sessionTags.transitiveTagKeys;
  }
  return keys;
}

/** The STS actions the request needs the trust policy to allow. */
export function trustActions(request: WebIdentityTrustRequest): string[] {
  const actions = ['sts:AssumeRoleWithWebIdentity'];
  if (request.sessionTags && request.sessionTags.tags.length > 0) actions.push('sts:TagSession');
  if (request.sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
  return actions;
}

/** Whether the role's trust policy allows the provider every action the request needs. */
export function webIdentityTrusted(context: OperationContext, request: WebIdentityTrustRequest): boolean {
  return trustPolicyAllows(request.role, request.provider.Arn, trustActions(request), webIdentityTrustContext(context, request));
}

/** Whether the role's trust policy alone allows a federated principal every one of `actions`. */
export function trustPolicyAllows(role: Role, principal: string, actions: readonly string[], requestContext: Record<string, ContextValue>): boolean {
  const trustPolicy = { name: `${role.Arn} trust policy`, document: role.AssumeRolePolicyDocument };
  return actions.every(
    (action) =>
      evaluate({
        request: { principal, action, resource: role.Arn, resourceAccount: role.AccountId, context: requestContext },
        resourcePolicy: trustPolicy,
        resourcePolicyKind: 'trust',
      }).decision === 'Allow',
  );
}

/** A claim holding a string or a list of strings (`amr` is multivalued). */
function stringsOf(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) return value as string[];
  return undefined;
}

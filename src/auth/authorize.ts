/**
 * Authorization of an API call: every permission the operation needs is decided by the policy engine
 * with the caller's identity policies, boundary and session policies, and the request's context keys.
 * A denial becomes AWS's AccessDenied message naming the caller, action, resource and the deciding layer
 * (troubleshoot_access-denied.html).
 */
import { managedPolicyDocument } from '../iam/policy-documents.js';
import { accessDenied } from '../model/errors.js';
import type { AuthorizationTarget, Caller, CallerSession, OperationContext } from '../iam/operation.js';
import { evaluate } from '../policy/evaluate.js';
import { layerName, withArticle } from '../policy/explain.js';
import type { ContextValue, EvaluationResult, PolicyInput } from '../policy/types.js';
import type { StoreReader } from '../store/types.js';
import { ALLOWS_NOTHING, loadCallerPolicies, type CallerPolicies } from './caller-policies.js';
import { organizationPoliciesFor, type OrganizationPolicies } from '../organizations/index.js';

/** The global condition keys AWS adds to every request (reference_policies_condition-keys.html). */
export function globalContext(context: OperationContext, policies: CallerPolicies): Record<string, ContextValue> {
  const { caller, now } = context;
  const keys: Record<string, ContextValue> = {
    'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:SourceIp': context.sourceIp,
    'aws:SecureTransport': 'false',
    'aws:RequestedRegion': context.region,
    'aws:PrincipalAccount': caller.accountId,
    'aws:userid': caller.userId,
  };
  if (caller.kind === 'assumed-role' && caller.roleArn) keys['aws:PrincipalArn'] = caller.roleArn;
  else keys['aws:PrincipalArn'] = caller.arn;
  // aws:username belongs to IAM users only, not to role sessions (reference_policies_condition-keys.html).
  if (caller.userName && caller.kind === 'user') keys['aws:username'] = caller.userName;
  for (const tag of policies.tags) keys[`aws:PrincipalTag/${tag.Key}`] = tag.Value;
  const session = caller.session;
  if (session) {
    keys['aws:TokenIssueTime'] = session.issuedAt;
    if (session.sourceIdentity !== undefined) keys['aws:SourceIdentity'] = session.sourceIdentity;
    if (session.webIdentity) keys['aws:FederatedProvider'] = session.webIdentity.providerArn;
    if (session.saml) keys['aws:FederatedProvider'] = session.saml.providerArn;
    Object.assign(keys, mfaContext(session, now));
  }
  return keys;
}

/**
 * aws:MultiFactorAuthPresent is in the context of every request signed with temporary credentials —
 * `false` unless MFA authenticated them — and never with long-term ones; aws:MultiFactorAuthAge, the
 * seconds since the MFA authentication, only when it did (reference_policies_condition-keys.html).
 */
function mfaContext(session: CallerSession, now: Date): Record<string, ContextValue> {
  if (session.mfaAuthenticatedAt === undefined) return { 'aws:MultiFactorAuthPresent': 'false' };
  const age = Math.max(0, Math.floor((now.getTime() - Date.parse(session.mfaAuthenticatedAt)) / 1000));
  return { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': String(age) };
}

/**
 * The session policies a caller's session carries: its inline policy and its managed ones (read at each
 * request from the session's account; one deleted since allows nothing, as a boundary AWS cannot read).
 */
export async function sessionPoliciesOf(reader: StoreReader, account: string, session: CallerSession | undefined): Promise<PolicyInput[]> {
  if (!session) return [];
  const policies: PolicyInput[] = [];
  if (session.policy !== undefined) policies.push({ name: 'session-policy', document: session.policy });
  for (const arn of session.policyArns ?? []) {
    const document = await managedPolicyDocument(reader, account, arn);
    policies.push({ name: arn, document: document ?? ALLOWS_NOTHING });
  }
  return policies;
}

/** AWS's AccessDenied sentence for a denied target. */
export function accessDeniedMessage(caller: Caller, target: AuthorizationTarget, result: EvaluationResult): string {
  // IAM names the resource even when it is "*" ("iam:GetAccountSummary on resource: *").
  const on = target.resource ? ` on resource: ${target.resource}` : '';
  // STS's trust decisions name no reason: "User: ... is not authorized to perform: sts:AssumeRole on
  // resource: arn:aws:iam::...:role/..." (the caller must not learn what the trust policy says).
  if (target.resourcePolicyKind === 'trust') return `User: ${caller.arn} is not authorized to perform: ${target.action}${on}`;
  const layer = result.deniedBy ?? 'identity';
  const reason =
    result.decision === 'ExplicitDeny'
      ? `with an explicit deny in ${withArticle(layerName(layer))}`
      : `because no ${layerName(layer)} allows the ${target.action} action`;
  return `User: ${caller.arn} is not authorized to perform: ${target.action}${on} ${reason}`;
}

/** Decides every target; throws AccessDenied at the first one the caller may not perform. */
export async function authorizeTargets(context: OperationContext, reader: StoreReader, targets: readonly AuthorizationTarget[]): Promise<void> {
  if (targets.length === 0) return;
  const policies = await loadCallerPolicies(reader, context.caller);
  const sessionPolicies = await sessionPoliciesOf(reader, context.caller.accountId, context.caller.session);
  const base = globalContext(context, policies);
  const callerOrganization = await organizationPoliciesFor(reader, context.caller.accountId);
  // SCPs bind principals of member accounts (not the management account's).
  const serviceControlPolicies =
    callerOrganization && callerOrganization.managementAccount !== context.caller.accountId ? callerOrganization.serviceControlPolicies : [];
  for (const target of targets) {
    const resourceAccount = target.resourceAccount ?? context.accountId;
    const resourceControlPolicies = await resourceControlPoliciesFor(reader, resourceAccount, context.caller.accountId, callerOrganization);
    const result = evaluate(
      {
        request: {
          principal: context.caller.arn,
          action: target.action,
          resource: target.resource,
          resourceAccount: target.resourceAccount ?? context.accountId,
          context: { ...base, ...target.context },
        },
        identityPolicies: policies.identity,
        permissionsBoundary: policies.boundary ?? null,
        sessionPolicies,
        resourcePolicy: target.resourcePolicy ?? null,
        ...(target.resourcePolicyKind ? { resourcePolicyKind: target.resourcePolicyKind } : {}),
        serviceControlPolicies,
        resourceControlPolicies,
      },
    );
    if (result.decision !== 'Allow') throw accessDenied(accessDeniedMessage(context.caller, target, result));
  }
}

/**
 * RCPs come from the organization of the resource's account (it may differ from the caller's on a
 * cross-account call) and do not bind resources of that organization's management account.
 */
async function resourceControlPoliciesFor(
  reader: StoreReader,
  resourceAccount: string,
  callerAccount: string,
  callerOrganization: OrganizationPolicies | undefined,
): Promise<PolicyInput[][]> {
  const organization = resourceAccount === callerAccount ? callerOrganization : await organizationPoliciesFor(reader, resourceAccount);
  if (!organization || organization.managementAccount === resourceAccount) return [];
  return organization.resourceControlPolicies;
}

/**
 * STS AssumeRole (API_AssumeRole.html). The decision is the policy engine's, with the role's trust
 * policy as the resource policy of kind `trust` (so an identity allow alone never suffices, a trust
 * policy naming the caller does, one naming the caller's account delegates to the caller's identity
 * policies, and cross-account needs both) and the request's STS condition keys. Passing tags also needs
 * sts:TagSession, a source identity sts:SetSourceIdentity — on both sides, as AssumeRole itself.
 * Any denial, a missing role included, is the same AccessDenied naming the role ARN. The root user may
 * not assume roles at all ("Roles may not be assumed by root accounts.").
 *
 * MFA: a request with `SerialNumber` and `TokenCode` of the caller's own device is MFA-authenticated —
 * its trust decision sees aws:MultiFactorAuthPresent `true` and aws:MultiFactorAuthAge 0 — and so is the
 * session it starts. A caller signed with an MFA-authenticated session carries the keys of its session
 * into the decision, and its MFA time into the new session.
 */
import { parseRoleArn } from '../model/arns.js';
import { defineOperation, requestPartition, type AuthorizationTarget, type OperationContext } from '../iam/operation.js';
import { requestTagContext, resourceTagContext } from '../iam/tags.js';
import type { Role, Tag } from '../model/entities.js';
import { accessDenied } from '../model/errors.js';
import type { ContextValue } from '../policy/types.js';
import { isRoleChain, issueRoleSession, type IssuedCredentials } from './issue-session.js';
import { authenticateRequestMfa } from './mfa-authentication.js';
import { combineSessionTags, sessionPolicyArns } from './session-parameters.js';

export interface AssumeRoleInput {
  RoleArn: string;
  RoleSessionName: string;
  PolicyArns?: Array<{ arn?: string }>;
  Policy?: string;
  DurationSeconds?: number;
  Tags?: Tag[];
  TransitiveTagKeys?: string[];
  ExternalId?: string;
  SerialNumber?: string;
  TokenCode?: string;
  SourceIdentity?: string;
  ProvidedContexts?: unknown[];
}

export interface AssumeRoleOutput {
  Credentials: IssuedCredentials;
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
  PackedPolicySize?: number;
  SourceIdentity?: string;
}

export const DEFAULT_ROLE_SESSION_SECONDS = 3600;

/**
 * The role an ARN names, when it exists under exactly that ARN (path included) in the caller's partition:
 * roles delegate only within a partition, so a role of another one is not there to assume.
 */
export async function findRoleByArn(context: OperationContext, arn: string): Promise<Role | undefined> {
  const parsed = parseRoleArn(arn);
  if (!parsed || parsed.partition !== requestPartition(context)) return undefined;
  const role = await context.store.read((reader) => reader.get<Role>('role', parsed.account, parsed.name));
  return role && role.Arn.toLowerCase() === arn.toLowerCase() ? role : undefined;
}

/** The request's MFA checks, one per request: authorize needs the outcome for the trust decision, execute for the session. */
const mfaChecks = new WeakMap<AssumeRoleInput, Promise<string | undefined>>();

/** The ISO time the request's own MFA information authenticated it (a code is good once, so it is checked once). */
function requestMfa(context: OperationContext, input: AssumeRoleInput): Promise<string | undefined> {
  let check = mfaChecks.get(input);
  if (!check) {
    check = authenticateRequestMfa(context, input);
    mfaChecks.set(input, check);
  }
  return check;
}

/** The STS condition keys of an AssumeRole request (reference_policies_iam-condition-keys.html). */
function assumeRoleContext(context: OperationContext, input: AssumeRoleInput, role: Role | undefined, mfaInRequest: boolean): Record<string, ContextValue> {
  const keys: Record<string, ContextValue> = { 'sts:RoleSessionName': input.RoleSessionName };
  // The request's own MFA authentication replaces whatever the caller's credentials carried, as of now.
  if (mfaInRequest) Object.assign(keys, { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '0' });
  if (input.ExternalId !== undefined) keys['sts:ExternalId'] = input.ExternalId;
  // The tags the new session will carry, inherited transitive ones included, are the request's tags.
  const inherited = isRoleChain(context) ? context.caller.session : undefined;
  const tags = sessionTagsOf(inherited, input);
  Object.assign(keys, requestTagContext(tags.tags));
  if (input.TransitiveTagKeys?.length) keys['sts:TransitiveTagKeys'] = [...input.TransitiveTagKeys];
  const sourceIdentity = inherited?.sourceIdentity ?? input.SourceIdentity;
  if (sourceIdentity !== undefined) keys['sts:SourceIdentity'] = sourceIdentity;
  if (role) Object.assign(keys, resourceTagContext(role.Tags));
  return keys;
}

function sessionTagsOf(inherited: Parameters<typeof combineSessionTags>[0], input: AssumeRoleInput): { tags: Tag[] } {
  try {
    return combineSessionTags(inherited, input.Tags ?? [], input.TransitiveTagKeys ?? []);
  } catch {
    // A conflicting tag fails later, in execute, with its own error; the decision sees the passed tags.
    return { tags: [...(inherited?.tags ?? []), ...(input.Tags ?? [])] };
  }
}

export const assumeRole = defineOperation<AssumeRoleInput, AssumeRoleOutput>({
  service: 'sts',
  name: 'AssumeRole',
  async authorize(context, input) {
    // Whatever the trust policy says: AWS refuses the root user (and its GetSessionToken sessions).
    if (context.caller.kind === 'root') throw accessDenied('Roles may not be assumed by root accounts.');
    const mfaInRequest = (await requestMfa(context, input)) !== undefined;
    const role = await findRoleByArn(context, input.RoleArn);
    const trust = role ? { name: `${role.Arn} trust policy`, document: role.AssumeRolePolicyDocument } : null;
    const conditionKeys = assumeRoleContext(context, input, role, mfaInRequest);
    const target = (action: string): AuthorizationTarget => ({
      action,
      resource: input.RoleArn,
      context: conditionKeys,
      resourcePolicy: trust,
      resourcePolicyKind: 'trust',
      resourceAccount: role?.AccountId ?? parseRoleArn(input.RoleArn)?.account ?? context.accountId,
    });
    const targets = [target('sts:AssumeRole')];
    const inherited = isRoleChain(context) ? context.caller.session : undefined;
    // Transitive tags a chain carries in are tags set on the new session, as are passed ones.
    const tagsSet = (input.Tags?.length ?? 0) > 0 || (input.TransitiveTagKeys?.length ?? 0) > 0 || (inherited?.transitiveTagKeys?.length ?? 0) > 0;
    if (tagsSet) targets.push(target('sts:TagSession'));
    if (input.SourceIdentity !== undefined || inherited?.sourceIdentity !== undefined) targets.push(target('sts:SetSourceIdentity'));
    return targets;
  },
  async execute(context, input) {
    const mfaAuthenticatedAt = (await requestMfa(context, input)) ?? context.caller.session?.mfaAuthenticatedAt;
    const role = await findRoleByArn(context, input.RoleArn);
    // authorize() already denied a missing role; a role deleted in between is denied the same way.
    if (!role) throw accessDenied(`User: ${context.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`);
    const policyArns = sessionPolicyArns(input.PolicyArns);
    const issued = await issueRoleSession(context, {
      role,
      sessionName: input.RoleSessionName,
      durationSeconds: input.DurationSeconds ?? DEFAULT_ROLE_SESSION_SECONDS,
      ...(input.Policy !== undefined ? { policy: input.Policy } : {}),
      ...(policyArns.length > 0 ? { policyArns } : {}),
      ...(input.Tags ? { tags: input.Tags } : {}),
      ...(input.TransitiveTagKeys ? { transitiveTagKeys: input.TransitiveTagKeys } : {}),
      ...(input.SourceIdentity !== undefined ? { sourceIdentity: input.SourceIdentity } : {}),
      ...(mfaAuthenticatedAt !== undefined ? { mfaAuthenticatedAt } : {}),
    });
    const output: AssumeRoleOutput = { Credentials: issued.Credentials, AssumedRoleUser: issued.AssumedRoleUser };
    // AWS reports the packed size only when the request passed session policies or tags.
    const packs = input.Policy !== undefined || policyArns.length > 0 || (input.Tags?.length ?? 0) > 0;
    if (packs) output.PackedPolicySize = issued.PackedPolicySize;
    if (issued.SourceIdentity !== undefined) output.SourceIdentity = issued.SourceIdentity;
    return output;
  },
});

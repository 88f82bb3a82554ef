/**
 * Issuing a role session: the part of AssumeRole and AssumeRoleWithWebIdentity that comes after the
 * trust decision. It checks the session's duration, session policies, tags and source identity, mints
 * the `ASIA` key and the self-contained session token, and answers with the members both operations
 * share. A session issued while the caller is itself a role session is chained: it inherits the
 * caller's transitive tags and source identity and lasts at most an hour.
 *
 * For AssumeRoleWithWebIdentity the request is unsigned: the server gives it a caller of kind
 * `anonymous`, which is never a chain.
 */
import type { OperationContext } from '../iam/operation.js';
import { assumedRoleArn } from '../model/arns.js';
import { DEFAULT_PARTITION, partitionOfArn } from '../model/partitions.js';
import type { Role, Tag } from '../model/entities.js';
import {
  checkInlineSessionPolicy,
  checkPackedSize,
  checkSessionDuration,
  checkSessionPolicyArns,
  checkSessionTags,
  combineSessionTags,
  packedSize,
  resolveSourceIdentity,
} from './session-parameters.js';
import { mintSessionCredentials, type UnmintedClaims } from './session-token.js';

/** The web-identity claims a session carries (AssumeRoleWithWebIdentity). */
export interface WebIdentityClaims {
  /** The OIDC provider's ARN in the role's account. */
  providerArn: string;
  /** The token's `sub`. */
  subject: string;
  /** The token's `aud` (the client id that matched). */
  audience: string;
}

export interface RoleSessionRequest {
  role: Role;
  sessionName: string;
  /** Range-checked by the operation's model (900..43200); checked here against the role and the chain cap. */
  durationSeconds: number;
  /** Inline session policy text (`Policy`). */
  policy?: string;
  /** Managed session policies (`PolicyArns[].arn`). */
  policyArns?: string[];
  tags?: Tag[];
  transitiveTagKeys?: string[];
  sourceIdentity?: string;
  webIdentity?: WebIdentityClaims;
  /** For AssumeRoleWithSAML: the SAML provider that vouched for the session. */
  saml?: { providerArn: string };
  /** ISO time an MFA code authenticated the request, or the calling session it inherits from. */
  mfaAuthenticatedAt?: string;
  /**
   * The AWS service principal that assumes the role for someone (EKS Pod Identity's
   * `pods.eks.amazonaws.com`): the session is the service's, never a chain of whoever signed the request,
   * and it lasts what the service grants, not bounded by the role's MaxSessionDuration (as ECS task and
   * EKS Pod Identity credentials last six hours whatever the role's setting).
   */
  issuedByService?: string;
}

export interface IssuedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  /** ISO timestamp. */
  Expiration: string;
}

export interface IssuedRoleSession {
  Credentials: IssuedCredentials;
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
  /** Percentage of the packed-policy budget the session policies and tags use. */
  PackedPolicySize: number;
  /** The session's source identity: the requested one, or the one inherited in a role chain. */
  SourceIdentity?: string;
}

/** An ISO timestamp to the second, as AWS prints credential times. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Whether the caller is a role session, so that a session it assumes is chained. */
export function isRoleChain(context: OperationContext): boolean {
  return context.caller.kind === 'assumed-role' && context.caller.session !== undefined;
}

/**
 * Validates and mints a role session for `params.role` (trust already decided); throws AWS's errors
 * (ValidationError, MalformedPolicyDocument, PackedPolicyTooLarge, InvalidParameterValue).
 */
export async function issueRoleSession(context: OperationContext, params: RoleSessionRequest): Promise<IssuedRoleSession> {
  const { role } = params;
  // A web identity session starts a chain whoever signed the request (it needs no signature at all).
  const chained = params.webIdentity === undefined && params.saml === undefined && params.issuedByService === undefined && isRoleChain(context);
  const callerSession = chained ? context.caller.session : undefined;
  if (params.issuedByService === undefined) checkSessionDuration(role, params.durationSeconds, chained);
  if (params.policy !== undefined) checkInlineSessionPolicy(params.policy);
  const policyArns = params.policyArns ?? [];
  // Most sessions pass no managed session policies: don't open a read for nothing.
  if (policyArns.length > 0) await context.store.read((reader) => checkSessionPolicyArns(reader, role.AccountId, policyArns));
  const passedTags = params.tags ?? [];
  checkSessionTags(passedTags);
  const tagSet = combineSessionTags(callerSession, passedTags, params.transitiveTagKeys ?? []);
  const sourceIdentity = resolveSourceIdentity(callerSession?.sourceIdentity, params.sourceIdentity);
  const size = packedSize(params.policy, policyArns, tagSet.tags);
  checkPackedSize(size);

  const issuedAt = new Date(Math.floor(context.now.getTime() / 1000) * 1000);
  const expiresAt = new Date(issuedAt.getTime() + params.durationSeconds * 1000);
  const assumedRoleId = `${role.RoleId}:${params.sessionName}`;
  const arn = assumedRoleArn(partitionOfArn(role.Arn) ?? DEFAULT_PARTITION, role.AccountId, role.RoleName, params.sessionName);
  const claims: UnmintedClaims = {
    principal: 'role',
    issuedBy: params.webIdentity ? 'AssumeRoleWithWebIdentity' : params.saml ? 'AssumeRoleWithSAML' : 'AssumeRole',
    account: role.AccountId,
    arn,
    userId: assumedRoleId,
    roleArn: role.Arn,
    roleName: role.RoleName,
    roleId: role.RoleId,
    sessionName: params.sessionName,
    issuedAt: isoSeconds(issuedAt),
    expiresAt: isoSeconds(expiresAt),
  };
  if (params.policy !== undefined) claims.policy = params.policy;
  if (policyArns.length > 0) claims.policyArns = [...policyArns];
  if (tagSet.tags.length > 0) claims.tags = tagSet.tags;
  if (tagSet.transitiveTagKeys.length > 0) claims.transitiveTagKeys = tagSet.transitiveTagKeys;
  if (sourceIdentity !== undefined) claims.sourceIdentity = sourceIdentity;
  if (chained) claims.chained = true;
  if (params.webIdentity) claims.webIdentity = { ...params.webIdentity };
  if (params.saml) claims.saml = { ...params.saml };
  if (params.mfaAuthenticatedAt !== undefined) claims.mfaAuthenticatedAt = params.mfaAuthenticatedAt;

  const issued: IssuedRoleSession = {
    Credentials: mintSessionCredentials(context.secrets, claims),
    AssumedRoleUser: { AssumedRoleId: assumedRoleId, Arn: arn },
    PackedPolicySize: size.percent,
  };
  if (sourceIdentity !== undefined) issued.SourceIdentity = sourceIdentity;
  return issued;
}

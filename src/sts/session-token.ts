/**
 * Session credentials that need no store: the session token is the session's claims (who, until when,
 * with which session policies, tags and source identity, and the secret access key itself) sealed with
 * the server key (AES-256-GCM, see auth/secrets.ts). Any replica holding the key verifies a token with no
 * store read; keys rotate because a sealed value names the key that sealed it.
 *
 * The token is bound to its access key id (the sealing context), so a token can't be replayed with
 * another key id. The access key id itself encodes the account (8 base32 characters of the 12-digit
 * number, then 8 random ones), so GetAccessKeyInfo can answer for it without the token.
 */
import { secureRandomBytes } from '../model/random.js';
import type { Caller, CallerSession, SecretSealing } from '../iam/operation.js';
import type { Tag } from '../model/entities.js';
import { AwsError, invalidClientTokenId } from '../model/errors.js';
import { newSecretAccessKey } from '../model/ids.js';

/** The claims a session token carries. */
export interface SessionClaims {
  /** Claims format version. */
  v: 1;
  /** Whose session: a role's (AssumeRole*), a user's or the root user's (GetSessionToken), a federated user's (GetFederationToken). */
  principal: 'role' | 'user' | 'root' | 'federated-user';
  issuedBy: CallerSession['issuedBy'];
  accessKeyId: string;
  secretAccessKey: string;
  /** The account the session acts in (the role's, or the user's). */
  account: string;
  /** The session principal's ARN: `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`, the user's or root's ARN. */
  arn: string;
  /** aws:userid: `AROA...:SESSION`, the user id, or the account id. */
  userId: string;
  roleArn?: string;
  roleName?: string;
  roleId?: string;
  sessionName?: string;
  userName?: string;
  /** ISO timestamps. */
  issuedAt: string;
  expiresAt: string;
  policy?: string;
  policyArns?: string[];
  tags?: Tag[];
  transitiveTagKeys?: string[];
  sourceIdentity?: string;
  chained?: boolean;
  webIdentity?: { providerArn: string; subject: string; audience: string };
  /** For AssumeRoleWithSAML sessions: the SAML provider. */
  saml?: { providerArn: string };
  /** ISO time an MFA code authenticated the session, when one did. */
  mfaAuthenticatedAt?: string;
  /** For federated users: the unique id of the IAM user (or the account id of the root user) that federated. */
  federatedBy?: { userId: string };
}

const SESSION_KEY_PREFIX = 'ASIA';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ACCOUNT_CHARS = 8;
const RANDOM_CHARS = 8;

/** A fresh `ASIA` access key id for a session in `account` (12 digits; 40 bits in 8 base32 characters). */
export function newSessionAccessKeyId(account: string): string {
  if (!/^\d{12}$/.test(account)) throw new Error(`Session key ids encode a 12-digit account, got '${account}'`);
  let number = BigInt(account);
  let encoded = '';
  for (let i = 0; i < ACCOUNT_CHARS; i++) {
    encoded = BASE32[Number(number & 31n)] + encoded;
    number >>= 5n;
  }
  let random = '';
  for (const byte of secureRandomBytes(RANDOM_CHARS)) random += BASE32[byte & 31];
  return SESSION_KEY_PREFIX + encoded + random;
}

/** The account encoded in a session access key id, or undefined when the id is not one Rolecall makes. */
export function accountOfSessionAccessKeyId(accessKeyId: string): string | undefined {
  if (!/^ASIA[A-Z2-7]{16}$/.test(accessKeyId)) return undefined;
  let number = 0n;
  for (const char of accessKeyId.slice(4, 4 + ACCOUNT_CHARS)) number = (number << 5n) | BigInt(BASE32.indexOf(char));
  return number < 10n ** 12n ? number.toString().padStart(12, '0') : undefined;
}

/** The sealing context: binds a token to its access key id. */
function tokenContext(accessKeyId: string): string {
  return `sts:session-token:${accessKeyId}`;
}

export interface MintedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  /** ISO timestamp. */
  Expiration: string;
}

/** The claims of a session still to be minted: everything but its key id and secret. */
export type UnmintedClaims = Omit<SessionClaims, 'v' | 'accessKeyId' | 'secretAccessKey'>;

/** Mints credentials for a session: a new key id and secret, and the sealed token carrying the claims. */
export function mintSessionCredentials(secrets: SecretSealing, claims: UnmintedClaims): MintedCredentials {
  const accessKeyId = newSessionAccessKeyId(claims.account);
  const secretAccessKey = newSecretAccessKey();
  const full: SessionClaims = { v: 1, ...claims, accessKeyId, secretAccessKey };
  return {
    AccessKeyId: accessKeyId,
    SecretAccessKey: secretAccessKey,
    SessionToken: sealSessionClaims(secrets, full),
    Expiration: claims.expiresAt,
  };
}

/** Seals claims into a session token. */
export function sealSessionClaims(secrets: SecretSealing, claims: SessionClaims): string {
  return secrets.seal(JSON.stringify(claims), tokenContext(claims.accessKeyId));
}

const invalidToken = () => invalidClientTokenId('refused-session-token');
const expiredToken = () => new AwsError('ExpiredToken', 'The security token included in the request is expired', 403);

/**
 * Opens the session token presented with `accessKeyId`: throws InvalidClientTokenId when it is not a
 * token this server sealed for that key id (garbage, tampered, another key's, an unknown server key),
 * ExpiredToken when its session is over.
 */
export function openSessionToken(secrets: SecretSealing, accessKeyId: string, token: string, now: Date): SessionClaims {
  let claims: SessionClaims;
  try {
    claims = JSON.parse(secrets.unseal(token, tokenContext(accessKeyId))) as SessionClaims;
  } catch {
    throw invalidToken();
  }
  // The context already binds the key id; checking it again guards against a format change going unnoticed.
  if (claims.v !== 1 || claims.accessKeyId !== accessKeyId) throw invalidToken();
  if (now.getTime() >= Date.parse(claims.expiresAt)) throw expiredToken();
  return claims;
}

/** The caller-side view of a session's claims. */
export function callerSessionOf(claims: SessionClaims): CallerSession {
  const session: CallerSession = { issuedBy: claims.issuedBy, issuedAt: claims.issuedAt, expiresAt: claims.expiresAt };
  if (claims.policy !== undefined) session.policy = claims.policy;
  if (claims.policyArns?.length) session.policyArns = claims.policyArns;
  if (claims.tags?.length) session.tags = claims.tags;
  if (claims.transitiveTagKeys?.length) session.transitiveTagKeys = claims.transitiveTagKeys;
  if (claims.sourceIdentity !== undefined) session.sourceIdentity = claims.sourceIdentity;
  if (claims.chained) session.chained = true;
  if (claims.webIdentity) session.webIdentity = claims.webIdentity;
  if (claims.saml) session.saml = { ...claims.saml };
  if (claims.mfaAuthenticatedAt !== undefined) session.mfaAuthenticatedAt = claims.mfaAuthenticatedAt;
  if (claims.federatedBy) session.federatedBy = { ...claims.federatedBy };
  return session;
}

/** The caller a session's claims describe: the assumed-role session, or the user or root user (GetSessionToken). */
export function sessionCaller(claims: SessionClaims): Caller {
  const caller: Caller = {
    accountId: claims.account,
    arn: claims.arn,
    kind: claims.principal === 'role' ? 'assumed-role' : claims.principal,
    userId: claims.userId,
    accessKeyId: claims.accessKeyId,
    session: callerSessionOf(claims),
  };
  if (claims.userName !== undefined) caller.userName = claims.userName;
  if (claims.roleArn !== undefined) caller.roleArn = claims.roleArn;
  if (claims.roleName !== undefined) caller.roleName = claims.roleName;
  if (claims.roleId !== undefined) caller.roleId = claims.roleId;
  if (claims.sessionName !== undefined) caller.sessionName = claims.sessionName;
  return caller;
}

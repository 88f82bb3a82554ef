/**
 * What temporary credentials may call. Credentials from GetSessionToken "cannot call any IAM API
 * operations unless MFA authentication information is included in the request" (for the credentials:
 * GetSessionToken called with SerialNumber and TokenCode) and "cannot call any STS API except AssumeRole
 * or GetCallerIdentity" (API_GetSessionToken.html). Credentials from GetFederationToken: "You cannot call
 * any IAM operations using the CLI or the Amazon Web Services API" and "You cannot call any STS operations
 * except GetCallerIdentity" (API_GetFederationToken.html). IAM answers such a token InvalidClientTokenId.
 */
import type { Caller } from '../iam/operation.js';
import { accessDenied, invalidClientTokenId } from '../model/errors.js';

const STS_CALLS_OF_USER_SESSIONS = new Set(['AssumeRole', 'GetCallerIdentity', 'GetSessionToken']);
const STS_CALLS_OF_FEDERATED_USERS = new Set(['GetCallerIdentity']);

// AWS refuses these credentials at IAM as a session token it will not take (aws/aws-cli#8918, 99designs/aws-vault#1056).
const invalidToken = () => invalidClientTokenId('refused-session-token');

/** Throws AWS's error when the caller's credentials may not call `operation` of `service`. */
export function checkSessionMayCall(caller: Caller, service: string, operation: string): void {
  const issuedBy = caller.session?.issuedBy;
  if (issuedBy === 'GetFederationToken') {
    if (service === 'iam') throw invalidToken();
    if (service === 'sts' && !STS_CALLS_OF_FEDERATED_USERS.has(operation)) throw accessDenied(`Cannot call ${operation} with session credentials`);
    return;
  }
  if (issuedBy !== 'GetSessionToken') return;
  if (service === 'iam' && caller.session?.mfaAuthenticatedAt === undefined) throw invalidToken();
  // GetSessionToken answers for itself with its own message.
  if (service === 'sts' && !STS_CALLS_OF_USER_SESSIONS.has(operation)) throw accessDenied(`Cannot call ${operation} with session credentials`);
}

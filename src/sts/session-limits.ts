/**
 * What temporary credentials may call. Credentials from GetSessionToken "cannot call any IAM API
 * operations unless MFA authentication information is included in the request" (for the credentials:
 * GetSessionToken called with SerialNumber and TokenCode) and "cannot call any STS API except AssumeRole
 * or GetCallerIdentity" (API_GetSessionToken.html). IAM refuses such a token as it refuses an unknown one.
 */
import type { Caller } from '../iam/operation.js';
import { accessDenied, AwsError } from '../model/errors.js';

const STS_CALLS_OF_USER_SESSIONS = new Set(['AssumeRole', 'GetCallerIdentity', 'GetSessionToken']);

/** Throws AWS's error when the caller's credentials may not call `operation` of `service`. */
export function checkSessionMayCall(caller: Caller, service: string, operation: string): void {
  if (caller.session?.issuedBy !== 'GetSessionToken') return;
  if (service === 'iam' && caller.session.mfaAuthenticatedAt === undefined) throw new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  // GetSessionToken answers for itself with its own message.
  if (service === 'sts' && !STS_CALLS_OF_USER_SESSIONS.has(operation)) throw accessDenied(`Cannot call ${operation} with session credentials`);
}

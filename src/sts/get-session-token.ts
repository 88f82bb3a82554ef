/**
 * STS GetSessionToken (API_GetSessionToken.html): temporary credentials for an IAM user (900 s to 36 h,
 * default 12 h) or the root user (at most one hour: a longer request silently gets one hour). They carry
 * the user's own permissions, evaluated at each request. No permission is needed to call it, but only
 * long-term credentials may: session credentials get AWS's AccessDenied. With `SerialNumber` and
 * `TokenCode` of the user's MFA device the session is MFA-authenticated (mfa-authentication.ts): its
 * requests carry aws:MultiFactorAuthPresent and aws:MultiFactorAuthAge, and it may call IAM.
 */
import { defineOperation } from '../iam/operation.js';
import { accessDenied } from '../model/errors.js';
import { isoSeconds, type IssuedCredentials } from './issue-session.js';
import { authenticateRequestMfa } from './mfa-authentication.js';
import { mintSessionCredentials } from './session-token.js';

export interface GetSessionTokenInput {
  DurationSeconds?: number;
  SerialNumber?: string;
  TokenCode?: string;
}

export const DEFAULT_USER_SESSION_SECONDS = 43_200;
export const ROOT_SESSION_MAX_SECONDS = 3600;

export const getSessionToken = defineOperation<GetSessionTokenInput, { Credentials: IssuedCredentials }>({
  service: 'sts',
  name: 'GetSessionToken',
  // "No permissions are required for users to perform this operation."
  authorize(context) {
    if (context.caller.session) throw accessDenied('Cannot call GetSessionToken with session credentials');
    return [];
  },
  async execute(context, input) {
    const { caller } = context;
    if (caller.kind !== 'user' && caller.kind !== 'root') throw accessDenied('Cannot call GetSessionToken with session credentials');
    const mfaAuthenticatedAt = await authenticateRequestMfa(context, input);
    const requested = input.DurationSeconds ?? (caller.kind === 'root' ? ROOT_SESSION_MAX_SECONDS : DEFAULT_USER_SESSION_SECONDS);
    const duration = caller.kind === 'root' ? Math.min(requested, ROOT_SESSION_MAX_SECONDS) : requested;
    const issuedAt = new Date(Math.floor(context.now.getTime() / 1000) * 1000);
    const credentials = mintSessionCredentials(context.secrets, {
      principal: caller.kind,
      issuedBy: 'GetSessionToken',
      account: caller.accountId,
      arn: caller.arn,
      userId: caller.userId,
      ...(caller.userName !== undefined ? { userName: caller.userName } : {}),
      issuedAt: isoSeconds(issuedAt),
      expiresAt: isoSeconds(new Date(issuedAt.getTime() + duration * 1000)),
      ...(mfaAuthenticatedAt !== undefined ? { mfaAuthenticatedAt } : {}),
    });
    return { Credentials: credentials };
  },
});

/**
 * The MFA information of a GetSessionToken or AssumeRole request (`SerialNumber`, `TokenCode`): the
 * serial number must name a virtual MFA device assigned to the calling IAM user, and the code must check
 * out (iam/mfa-sign-in.ts). Anything else is STS's AccessDenied, as AWS answers it
 * (id_credentials_mfa_configure-api-require.html: "a request is denied if ... they provide an invalid MFA
 * device identifier or invalid TOTP").
 */
import { acceptMfaCode } from '../iam/mfa-sign-in.js';
import type { OperationContext } from '../iam/operation.js';
import { accessDenied } from '../model/errors.js';
import { isoSeconds } from './issue-session.js';

export interface MfaRequest {
  SerialNumber?: string;
  TokenCode?: string;
}

/** A wrong code, or one used before (AWS answers a reused code the same way). */
const invalidCode = () => accessDenied('MultiFactorAuthentication failed with invalid MFA one time pass code. ');
/** A serial number that names no device of the calling user. */
const notTheUsersDevice = () =>
  accessDenied('MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.');
/** One of the two members without the other (the opening words are Rolecall's; AWS's message ends as this one does). */
const incomplete = () => accessDenied('MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.');

/**
 * Authenticates the request's MFA information, if it carries any: the ISO time (to the second) of the
 * MFA authentication when the code checks out, undefined when the request carries none; AccessDenied
 * otherwise. Only IAM users have MFA devices here, so any other caller's serial number names none.
 */
export async function authenticateRequestMfa(context: OperationContext, request: MfaRequest): Promise<string | undefined> {
  if (request.SerialNumber === undefined && request.TokenCode === undefined) return undefined;
  if (request.SerialNumber === undefined || request.TokenCode === undefined) throw incomplete();
  const userName = context.caller.kind === 'user' ? context.caller.userName : undefined;
  const check = await acceptMfaCode(context, userName, request.SerialNumber, request.TokenCode);
  if (check === 'not-the-users-device') throw notTheUsersDevice();
  if (check === 'invalid-code') throw invalidCode();
  return isoSeconds(context.now);
}

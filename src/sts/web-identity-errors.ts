/**
 * The errors AssumeRoleWithWebIdentity answers with (API_AssumeRoleWithWebIdentity.html, the STS model's
 * declared errors). Messages quoted from AWS's responses where they are known; where AWS's wording is not
 * documented the message says plainly what failed (docs/web-identity.md lists which is which). No message
 * ever carries the token itself.
 */
import { AwsError } from '../model/errors.js';

/** AWS's answer for a token that is not a compact JWS with JSON header and claims (quoted from STS). */
export const NOT_A_JWT = 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)';

/**
 * AWS's answer when the issuer's discovery document or JWKS can't be read or holds no key for the token
 * (quoted from STS responses, including its double space after the comma).
 */
export const NO_VERIFICATION_KEY =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";

/** The model's description of InvalidIdentityToken: used when the signature does not verify. */
export const SIGNATURE_NOT_VALID =
  'The web identity token that was passed could not be validated by Amazon Web Services. Get a new identity token from the identity provider and then retry the request.';

/** The model's description of IDPCommunicationError: the issuer could not be reached (transient). */
export const IDP_UNREACHABLE =
  'The request could not be fulfilled because the identity provider (IDP) that was asked to verify the incoming identity token could not be reached.';

/** `InvalidIdentityToken` (HTTP 400). */
export function invalidIdentityToken(message: string): AwsError {
  return new AwsError('InvalidIdentityToken', message, 400);
}

/** `ExpiredTokenException` (HTTP 400) with STS's "Token expired: current date/time ..." sentence. */
export function expiredToken(nowSeconds: number, expSeconds: number): AwsError {
  return new AwsError('ExpiredTokenException', `Token expired: current date/time ${nowSeconds} must be before the expiration date/time ${expSeconds}`, 400);
}

/** `IDPCommunicationError` (HTTP 400): SDKs treat it as transient and retry. */
export function idpCommunicationError(): AwsError {
  return new AwsError('IDPCommunicationError', IDP_UNREACHABLE, 400);
}

/** `AccessDenied` (HTTP 403) as STS words it for every refusal of the role, whatever the reason. */
export function notAuthorizedForWebIdentity(): AwsError {
  return new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
}

/**
 * The IAM/STS error codes with their HTTP statuses as the service models declare them (`awsQueryError`);
 * each operation supplies AWS's message.
 */
import { AwsError } from '../policy/errors.js';

export { AwsError };

export const noSuchEntity = (message: string) => new AwsError('NoSuchEntity', message, 404);
export const entityAlreadyExists = (message: string) => new AwsError('EntityAlreadyExists', message, 409);
export const limitExceeded = (message: string) => new AwsError('LimitExceeded', message, 409);
export const deleteConflict = (message: string) => new AwsError('DeleteConflict', message, 409);
export const invalidInput = (message: string) => new AwsError('InvalidInput', message, 400);
export const validationError = (message: string) => new AwsError('ValidationError', message, 400);

/** AWS's ValidationError (400) carrying constraint messages, counted as AWS counts them. */
export function validationErrors(messages: readonly string[]): AwsError {
  const count = messages.length;
  const detected = `${count} validation error${count === 1 ? '' : 's'} detected`;
  return validationError(`${detected}: ${messages.join('; ')}`);
}
export const malformedPolicyDocument = (message: string) => new AwsError('MalformedPolicyDocument', message, 400);
export const unmodifiableEntity = (message: string) => new AwsError('UnmodifiableEntity', message, 400);
export const concurrentModification = (message: string) => new AwsError('ConcurrentModification', message, 409);
export const accessDenied = (message: string) => new AwsError('AccessDenied', message, 403);
/**
 * Why a request's credentials authenticate nobody. AWS answers both with InvalidClientTokenId (403) but words
 * them apart, as recorded responses show: an access key ID it does not know ends with a period (IAM GetUser,
 * hashicorp/terraform#34177; STS AssumeRole with an ASIA key sent without its token, jrl84/amazon-sp-api#218);
 * a session token it refuses does not (IAM with short-term credentials, aws/aws-cli#8918; IAM with
 * GetSessionToken credentials lacking MFA, 99designs/aws-vault#1056; a session token a regional STS cannot
 * read, aws-azure-login/aws-azure-login#251). docs/authentication.md lists which Rolecall case is which.
 */
export type RefusedCredentials = 'unknown-access-key' | 'refused-session-token';

const INVALID_CLIENT_TOKEN_MESSAGES: Readonly<Record<RefusedCredentials, string>> = {
  'unknown-access-key': 'The security token included in the request is invalid.',
  'refused-session-token': 'The security token included in the request is invalid',
};

/** AWS's InvalidClientTokenId (403) in AWS's words for `refused`; JSON services rename it (protocol/json-errors). */
export const invalidClientTokenId = (refused: RefusedCredentials) =>
  new AwsError('InvalidClientTokenId', INVALID_CLIENT_TOKEN_MESSAGES[refused], 403);

export const serviceFailure = (message: string) => new AwsError('ServiceFailure', message, 500, 'Receiver');

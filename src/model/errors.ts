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
export const serviceFailure = (message: string) => new AwsError('ServiceFailure', message, 500, 'Receiver');

/**
 * AWS Query errors: the protocol's own failures (unknown action, unreadable parameter) and the one
 * rendering of every AwsError as AWS's `<ErrorResponse>` XML with the HTTP status the model declares.
 */
import { AwsError } from '../policy/errors.js';
import type { ServiceModel } from '../model/service-models.js';
import { escapeXml } from './xml-encode.js';

/** What Query services answer when Version is absent: AWS's message names this placeholder version. */
export const NO_VERSION_SPECIFIED = 'NO_VERSION_SPECIFIED';

/** AWS's InvalidAction (400) for an action the model's API version does not have. */
export function invalidAction(action: string, version: string | undefined): AwsError {
  return new AwsError('InvalidAction', `Could not find operation ${action} for version ${version || NO_VERSION_SPECIFIED}`, 400);
}

/** AWS's MissingAction (400), worded as AWS's common-errors reference describes it. */
export function missingAction(): AwsError {
  return new AwsError('MissingAction', 'The request is missing an action or a required parameter.', 400);
}

/** AWS's InvalidParameterValue (400): a parameter that cannot be read as its model type. */
export function invalidParameterValue(parameter: string, value: string, expected: string): AwsError {
  return new AwsError('InvalidParameterValue', `Value (${value}) for parameter ${parameter} is invalid. Expected ${expected}.`, 400);
}

const UNKNOWN_FAILURE = 'The request processing has failed because of an unknown error, exception or failure.';

/**
 * Any thrown value as an AwsError: AwsErrors pass through; anything else is our fault, reported as the
 * service's own server error (IAM declares ServiceFailure; others answer InternalFailure) without details.
 */
export function asAwsError(error: unknown, model: ServiceModel): AwsError {
  if (error instanceof AwsError) return error;
  const code = model.errors.has('ServiceFailure') ? 'ServiceFailure' : 'InternalFailure';
  return new AwsError(code, UNKNOWN_FAILURE, 500, 'Receiver');
}

export interface EncodedQueryError {
  statusCode: number;
  body: string;
}

/**
 * AWS's Query error document. The HTTP status and Sender/Receiver come from the model when it declares the
 * code (the model is what clients were generated from); otherwise from the error itself.
 */
export function encodeQueryError(model: ServiceModel, error: AwsError, requestId: string): EncodedQueryError {
  const declared = model.errors.get(error.code);
  const namespace = model.metadata.xmlNamespace;
  const body =
    `<ErrorResponse${namespace ? ` xmlns="${escapeXml(namespace)}"` : ''}>` +
    `<Error><Type>${declared?.type ?? error.type}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
  return { statusCode: declared?.httpStatusCode ?? error.httpStatus, body };
}

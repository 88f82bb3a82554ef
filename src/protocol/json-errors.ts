/**
 * AWS JSON protocol errors: `{"__type": "<Code>", "Message": "..."}` plus any other members the model's
 * error shape declares (Organizations' `Reason`), with the HTTP status the model gives the error. Codes the
 * Query services use for authentication and authorization failures are renamed to their JSON services'
 * counterparts, so one AwsError from auth/ reads right on either protocol.
 */
import { AwsError } from '../policy/errors.js';
import type { ServiceModel } from '../model/service-models.js';

/** Extra error members (e.g. `Reason`) an AwsError may carry for the JSON protocol. */
export interface ErrorDetails {
  readonly details?: Readonly<Record<string, string>>;
}

/**
 * What JSON services answer where Query services say InvalidClientTokenId / SignatureDoesNotMatch /
 * AccessDenied (the `Exception`-suffixed names Coral services use, e.g. Organizations' AccessDeniedException).
 */
const JSON_CODES: Readonly<Record<string, string>> = {
  InvalidClientTokenId: 'UnrecognizedClientException',
  SignatureDoesNotMatch: 'InvalidSignatureException',
};

/**
 * Statuses the JSON protocol's front end gives a renamed code its model does not declare: an unknown key is
 * `400 Bad Request` there (recorded for Cognito, ECR, DynamoDB, ECS and EMR, e.g. aws/aws-sdk-php#1114,
 * keidarcy/e1s#367), while REST-JSON services keep the Query services' 403 (Lambda, iann0036/iamlive#58; EKS,
 * kubecost/cluster-turndown#51).
 */
const JSON_PROTOCOL_STATUSES: Readonly<Record<string, number>> = {
  UnrecognizedClientException: 400,
};

const UNKNOWN_FAILURE = 'The request processing has failed because of an unknown error, exception or failure.';

export interface EncodedJsonError {
  statusCode: number;
  code: string;
  body: string;
}

/** The wire code of an error for this model: the declared `<Code>Exception` when only that exists. */
export function jsonErrorCode(model: ServiceModel, code: string): string {
  if (model.errors.has(code)) return code;
  if (model.errors.has(`${code}Exception`)) return `${code}Exception`;
  return JSON_CODES[code] ?? code;
}

/** Any thrown value as an AwsError; anything but an AwsError is our fault, reported without details. */
export function asJsonAwsError(error: unknown, model: ServiceModel): AwsError {
  if (error instanceof AwsError) return error;
  // Each service names its own fault: Organizations ServiceException, EKS ServerException, EKS Auth InternalServerException.
  const code = ['ServiceException', 'ServerException', 'InternalServerException'].find((name) => model.errors.has(name)) ?? 'InternalFailure';
  return new AwsError(code, UNKNOWN_FAILURE, 500, 'Receiver');
}

/**
 * Renders an AwsError as the service's JSON error document. The JSON protocol names the code in the body
 * (`__type`); REST-JSON services name it in the `x-amzn-errortype` header instead (`typeInBody: false`).
 */
export function encodeJsonError(model: ServiceModel, error: AwsError & ErrorDetails, options: { typeInBody?: boolean } = {}): EncodedJsonError {
  const code = jsonErrorCode(model, error.code);
  const declared = model.errors.get(code);
  const shape = declared ? model.shapes[declared.shapeName] : undefined;
  const members = shape?.members ?? {};
  // AWS's own JSON errors spell it `message`; a declared shape names it (`Message` for Organizations).
  const messageMember = Object.keys(members).find((name) => name.toLowerCase() === 'message') ?? 'message';
  const body: Record<string, unknown> = options.typeInBody === false ? { [messageMember]: error.message } : { __type: code, [messageMember]: error.message };
  for (const [name, value] of Object.entries(error.details ?? {})) {
    if (Object.hasOwn(members, name)) body[name] = value;
  }
  const protocolStatus = options.typeInBody === false ? undefined : JSON_PROTOCOL_STATUSES[code];
  return { statusCode: declared?.httpStatusCode ?? protocolStatus ?? error.httpStatus, code, body: JSON.stringify(body) };
}

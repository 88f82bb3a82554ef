/**
 * One AWS JSON-protocol call (Organizations, `X-Amz-Target: AWSOrganizationsV20161128.<Op>`), end to end,
 * with the same steps as the Query endpoint (api.ts): authenticate the SigV4 signature, decode the JSON
 * body with the service model, authorize every permission through the policy engine (the operation checks
 * its input against the model first, reported the service's way), execute, encode — and record the call
 * in the audit trail, the metrics and the access log.
 */
import { randomUUID } from 'node:crypto';
import type { AnyOperation } from '../iam/operation.js';
import { ORGANIZATIONS_OPERATIONS } from '../organizations/index.js';
import { AwsError } from '../policy/errors.js';
import { decodeJsonRequest } from '../protocol/json-decode.js';
import { encodeJsonResponse, jsonContentType } from '../protocol/json-encode.js';
import { asJsonAwsError, encodeJsonError } from '../protocol/json-errors.js';
import { loadServiceModel, type ServiceModel } from '../protocol/index.js';
import type { ApiDependencies, ApiRequest, ApiResponse } from './api.js';
import { headerText, performSignedCall, recordCall, startCall, type FinishedCall } from './call-pipeline.js';

/** A service spoken over the JSON protocol. */
interface JsonService {
  /** The SigV4 signing name, also the metrics and audit label. */
  signingName: string;
  model: ServiceModel;
  operations: ReadonlyMap<string, AnyOperation>;
  /** The region a global service acts in, whatever region the client signed for. */
  region?: string;
}

const ORGANIZATIONS: JsonService = {
  signingName: 'organizations',
  model: loadServiceModel('organizations'),
  operations: new Map(ORGANIZATIONS_OPERATIONS.map((operation) => [operation.name, operation])),
  // Organizations is a global service whose endpoint is in us-east-1 (aws:RequestedRegion says so).
  region: 'us-east-1',
};

const SERVICES: readonly JsonService[] = [ORGANIZATIONS];

function serviceOfTarget(target: string): JsonService | undefined {
  return SERVICES.find((service) => target.startsWith(`${service.model.metadata.targetPrefix}.`));
}

/** Whether a request is for a JSON-protocol service this server speaks (by its X-Amz-Target header). */
export function isJsonApiRequest(headers: ApiRequest['headers']): boolean {
  return serviceOfTarget(headerText(headers['x-amz-target'])) !== undefined;
}

/** AWS's JSON error for a request refused before its body was read (too large, server busy). */
export function jsonRefusal(headers: ApiRequest['headers'], error: AwsError): ApiResponse {
  const model = (serviceOfTarget(headerText(headers['x-amz-target'])) ?? ORGANIZATIONS).model;
  const encoded = encodeJsonError(model, error);
  return { status: encoded.statusCode, headers: { 'content-type': jsonContentType(model), 'x-amzn-requestid': randomUUID() }, body: encoded.body };
}

/** Handles one JSON-protocol request. */
export async function handleJsonApiRequest(deps: ApiDependencies, request: ApiRequest): Promise<ApiResponse> {
  const call = startCall();
  const target = headerText(request.headers['x-amz-target']);
  const service = serviceOfTarget(target) ?? ORGANIZATIONS;
  const model = service.model;
  // Only the model's operation names become metric labels and audit event names, never arbitrary text.
  const named = target.slice(target.indexOf('.') + 1);
  const operationName = model.operation(named) ? named : 'Unknown';
  const outcome = await performSignedCall(deps, request, call, {
    signingName: service.signingName,
    regionFor: (_signedService, signedRegion) => service.region ?? signedRegion,
    decode: () => {
      const decoded = decodeJsonRequest(model, target, request.body);
      return { operationName: decoded.operation.name, input: decoded.input };
    },
    operation: (name) => {
      const operation = service.operations.get(name);
      if (!operation) throw new AwsError('UnknownOperationException', `The operation ${target} is not supported by Rolecall.`, 400);
      return operation;
    },
    asAwsError: (error) => asJsonAwsError(error, model),
  });

  const headers = { 'content-type': jsonContentType(model), 'x-amzn-requestid': call.requestId };
  const encodedError = outcome.failure ? encodeJsonError(model, outcome.failure) : undefined;
  const response: ApiResponse = encodedError
    ? { status: encodedError.statusCode, headers, body: encodedError.body }
    : { status: 200, headers, body: encodeJsonResponse(model, operationName, outcome.output) };
  const region = call.authentication.region ?? service.region ?? 'us-east-1';
  const finished: FinishedCall = { service: service.signingName, operation: operationName, region, request, outcome, status: response.status };
  if (encodedError) finished.errorCode = encodedError.code;
  await recordCall(deps, call, finished);
  return response;
}

/**
 * One AWS API call, end to end: route by the SigV4 credential scope's service, authenticate, decode
 * with the service model, authorize every permission the operation needs through the policy engine,
 * execute, encode — and record the call in the audit trail, the metrics and the access log.
 */
import { randomUUID } from 'node:crypto';
import type { Caller, SecretSealing } from '../iam/operation.js';
import { AwsError } from '../policy/errors.js';
import { decodeQueryRequest, encodeQueryError, encodeQueryResponse, loadServiceModel, type ServiceModel } from '../protocol/index.js';
import { iamRegionFor } from '../model/partitions.js';
import type { Store } from '../store/types.js';
import { checkSessionMayCall } from '../sts/session-limits.js';
import type { AuditWriter } from './audit.js';
import type { LastUsedTracker } from './last-used.js';
import type { Metrics } from './metrics.js';
import { OPERATIONS, type ServiceName } from './operations.js';
import { authenticate, authorizeAndExecute, headerText, logInternalFailure, operationContext, recordCall, startCall, type CallOutcome } from './call-pipeline.js';

export interface ApiRequest {
  method: string;
  /** Raw path and query as received. */
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  sourceIp: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ApiDependencies {
  store: Store;
  secrets: SecretSealing;
  audit: AuditWriter;
  metrics: Metrics;
  lastUsed?: LastUsedTracker;
  /** Writes one access-log line (JSON); undefined to disable. */
  accessLog?: (line: Record<string, unknown>) => void;
  /** The server's external base URL (`--public-url`), under which its clusters' issuers live. */
  publicUrl?: string;
}

const MODELS: Record<ServiceName, ServiceModel> = { iam: loadServiceModel('iam'), sts: loadServiceModel('sts') };

/** The service named by the credential scope (`Credential=AKID/date/region/SERVICE/aws4_request`). */
function scopeService(headers: ApiRequest['headers'], params: URLSearchParams): string | undefined {
  const authorization = headerText(headers.authorization);
  const credential = /Credential=([^,\s]+)/.exec(authorization)?.[1] ?? params.get('X-Amz-Credential') ?? undefined;
  return credential?.split('/')[3];
}

/** STS operations AWS serves without a signature: the caller proves itself with the token it passes. */
const UNSIGNED_OPERATIONS: ReadonlySet<string> = new Set(['AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML']);

/** Whether the request carries a SigV4 signature (header or presigned query). */
function isSigned(request: ApiRequest, params: URLSearchParams): boolean {
  return headerText(request.headers.authorization) !== '' || params.has('X-Amz-Signature') || params.has('X-Amz-Credential');
}

/** The caller of an unsigned call: nobody yet (the operation authenticates the token it is given). */
const ANONYMOUS: Caller = Object.freeze({ accountId: '', arn: '', kind: 'anonymous', userId: '', accessKeyId: '' }) as Caller;

/** Query parameters from the URL and, for form POSTs, the body (AWS Query protocol). */
function requestParameters(request: ApiRequest): URLSearchParams {
  const params = new URLSearchParams(request.query);
  const type = headerText(request.headers['content-type']);
  if (request.method === 'POST' && (type === '' || type.startsWith('application/x-www-form-urlencoded'))) {
    for (const [key, value] of new URLSearchParams(request.body.toString('utf8'))) params.append(key, value);
  }
  return params;
}

/** Handles one AWS API request. */
export async function handleApiRequest(deps: ApiDependencies, request: ApiRequest): Promise<ApiResponse> {
  const call = startCall();
  const { requestId, now, authentication } = call;
  const params = requestParameters(request);
  const unsigned = UNSIGNED_OPERATIONS.has(params.get('Action') ?? '') && !isSigned(request, params);
  const service: ServiceName = unsigned || scopeService(request.headers, params) === 'sts' ? 'sts' : 'iam';
  const model = MODELS[service];
  let operationName = params.get('Action') ?? 'Unknown';
  let region = 'us-east-1';
  const outcome: CallOutcome = {};

  try {
    let caller: Caller;
    if (unsigned) {
      caller = ANONYMOUS;
      authentication.caller = caller;
    } else {
      caller = await authenticate(
        deps,
        request,
        now,
        // Clients pointed at a custom endpoint sign IAM calls for their configured region, not us-east-1.
        { expectedServices: ['iam', 'sts'], regionsByService: { iam: ['*'], sts: ['*'] } },
        authentication,
        // IAM is a global service: its requests act in its partition's IAM region (us-east-1, cn-north-1, ...).
        (signedService, signedRegion) => (signedService === 'iam' ? iamRegionFor(signedRegion) : signedRegion),
      );
      region = authentication.region ?? region;
    }

    const decoded = decodeQueryRequest(model, params);
    operationName = decoded.operation.name;
    outcome.input = decoded.input;
    checkSessionMayCall(caller, service, operationName);
    const operation = OPERATIONS[service].get(operationName);
    if (!operation) throw new AwsError('InvalidAction', `The action ${operationName} is not valid for this web service.`, 400);
    outcome.output = await authorizeAndExecute(deps, operation, operationContext(deps, caller, requestId, now, region, request.sourceIp), decoded.input);
  } catch (error) {
    outcome.failure = error instanceof AwsError ? error : internalFailure(error, requestId);
  }

  const response = outcome.failure ? errorResponse(model, outcome.failure, requestId) : successResponse(model, operationName, outcome.output, requestId);
  await recordCall(deps, call, { service, operation: operationName, region, request, outcome, status: response.status });
  return response;
}

/**
 * AWS's Query error for a request refused before its body was read (too large, server busy), in the
 * namespace of the service its signature names. It is not audited: nobody was authenticated and nothing ran.
 */
export function queryRefusal(headers: ApiRequest['headers'], error: AwsError): ApiResponse {
  const service: ServiceName = scopeService(headers, new URLSearchParams()) === 'sts' ? 'sts' : 'iam';
  return errorResponse(MODELS[service], error, randomUUID());
}

function internalFailure(error: unknown, requestId: string): AwsError {
  logInternalFailure(error, requestId);
  return new AwsError('ServiceFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500, 'Receiver');
}

function successResponse(model: ServiceModel, operation: string, output: unknown, requestId: string): ApiResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: encodeQueryResponse(model, operation, output ?? {}, requestId),
  };
}

function errorResponse(model: ServiceModel, error: AwsError, requestId: string): ApiResponse {
  const encoded = encodeQueryError(model, error, requestId);
  return { status: encoded.statusCode, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: encoded.body };
}

/**
 * One AWS API call, end to end: route by the SigV4 credential scope's service, authenticate, decode
 * with the service model, authorize every permission the operation needs through the policy engine,
 * execute, encode — and record the call in the audit trail, the metrics and the access log.
 */
import { randomUUID } from 'node:crypto';
import { authorizeTargets } from '../auth/authorize.js';
import { resolveCredentials, type ResolvedAccessKey } from '../auth/caller.js';
import { verifySigV4 } from '../auth/sigv4.js';
import type { Caller, OperationContext, SecretSealing } from '../iam/operation.js';
import { AwsError } from '../policy/errors.js';
import { decodeQueryRequest, encodeQueryError, encodeQueryResponse, loadServiceModel, validateInput, type ServiceModel } from '../protocol/index.js';
import type { Store } from '../store/types.js';
import { checkSessionMayCall } from '../sts/session-limits.js';
import type { AuditWriter } from './audit.js';
import type { LastUsedTracker } from './last-used.js';
import type { Metrics } from './metrics.js';
import { isReadOnly, OPERATIONS, type ServiceName } from './operations.js';

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
}

const MODELS: Record<ServiceName, ServiceModel> = { iam: loadServiceModel('iam'), sts: loadServiceModel('sts') };

/** The service named by the credential scope (`Credential=AKID/date/region/SERVICE/aws4_request`). */
function scopeService(request: ApiRequest, params: URLSearchParams): string | undefined {
  const authorization = headerText(request.headers.authorization);
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

function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

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
  const started = process.hrtime.bigint();
  const requestId = randomUUID();
  const now = new Date();
  const params = requestParameters(request);
  const unsigned = UNSIGNED_OPERATIONS.has(params.get('Action') ?? '') && !isSigned(request, params);
  const service: ServiceName = unsigned || scopeService(request, params) === 'sts' ? 'sts' : 'iam';
  const model = MODELS[service];
  let operationName = params.get('Action') ?? 'Unknown';
  let caller: Caller | undefined;
  let region = 'us-east-1';
  let input: Record<string, unknown> | undefined;
  let output: unknown;
  let failure: AwsError | undefined;
  let presentedAccessKeyId: string | undefined;

  try {
    if (unsigned) {
      caller = ANONYMOUS;
    } else {
      let resolved: ResolvedAccessKey | undefined;
      const signature = await verifySigV4(
        { method: request.method, path: request.path, query: request.query, headers: request.headers, body: request.body },
        async (accessKeyId, { securityToken }) => {
          presentedAccessKeyId = accessKeyId;
          resolved = await resolveCredentials(deps.store, deps.secrets, accessKeyId, securityToken, now);
          return resolved?.secret;
        },
        // Clients pointed at a custom endpoint sign IAM calls for their configured region, not us-east-1.
        { now, expectedServices: ['iam', 'sts'], regionsByService: { iam: ['*'], sts: ['*'] } },
      );
      if (!resolved) throw new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
      caller = resolved.caller;
      // IAM is a global service: its requests act in us-east-1 whatever region signed them.
      region = signature.service === 'iam' ? 'us-east-1' : signature.region;
      // Session keys live in their tokens, not the store: there is no key record to mark as used.
      if (!caller.session) deps.lastUsed?.accessKeyUsed(caller.accessKeyId, signature.service, region, now);
      if (caller.kind === 'assumed-role' && caller.roleName) deps.lastUsed?.roleUsed(caller.accountId, caller.roleName, region, now);
    }

    const decoded = decodeQueryRequest(model, params);
    operationName = decoded.operation.name;
    input = decoded.input;
    checkSessionMayCall(caller, service, operationName);
    validateInput(model, decoded.operation, input);
    const operation = OPERATIONS[service].get(operationName);
    if (!operation) throw new AwsError('InvalidAction', `The action ${operationName} is not valid for this web service.`, 400);

    const context: OperationContext = {
      store: deps.store,
      secrets: deps.secrets,
      caller,
      accountId: caller.accountId,
      requestId,
      now,
      region,
      sourceIp: request.sourceIp,
    };
    const targets = await operation.authorize(context, input);
    await deps.store.read((reader) => authorizeTargets(context, reader, targets));
    output = await operation.execute(context, input);
  } catch (error) {
    failure = error instanceof AwsError ? error : internalFailure(error, requestId);
  }

  const response = failure ? errorResponse(model, failure, requestId) : successResponse(model, operationName, output, requestId);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  deps.metrics.observe(service, operationName, response.status, failure?.code, seconds);
  const call = {
    requestId,
    time: now,
    service,
    operation: operationName,
    region,
    sourceIp: request.sourceIp,
    userAgent: headerText(request.headers['user-agent']),
    readOnly: isReadOnly(operationName),
    ...(caller && caller.kind !== 'anonymous' ? { caller } : {}),
    ...(presentedAccessKeyId && !caller ? { presentedAccessKeyId } : {}),
    ...(input !== undefined ? { request: input } : {}),
    ...(output !== undefined ? { response: output } : {}),
    ...(failure ? { errorCode: failure.code, errorMessage: failure.message } : {}),
  };
  if (call.readOnly) deps.audit.record(call);
  else await deps.audit.recordDurably(call);
  deps.accessLog?.({
    time: now.toISOString(),
    requestId,
    service,
    operation: operationName,
    status: response.status,
    ...(failure ? { errorCode: failure.code } : {}),
    principal: caller?.arn || null,
    sourceIp: request.sourceIp,
    durationMs: Math.round(seconds * 1e6) / 1e3,
  });
  return response;
}

function internalFailure(error: unknown, requestId: string): AwsError {
  process.stderr.write(`rolecall: request ${requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
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

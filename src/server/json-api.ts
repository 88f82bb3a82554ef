/**
 * One AWS JSON-protocol call (Organizations, `X-Amz-Target: AWSOrganizationsV20161128.<Op>`), end to end,
 * with the same steps as the Query endpoint (api.ts): authenticate the SigV4 signature, decode the JSON
 * body with the service model, validate it (reported the service's way), authorize every permission
 * through the policy engine, execute, encode — and record the call in the audit trail, the metrics and
 * the access log.
 */
import { randomUUID } from 'node:crypto';
import { authorizeTargets } from '../auth/authorize.js';
import { resolveCredentials, type ResolvedAccessKey } from '../auth/caller.js';
import { verifySigV4 } from '../auth/sigv4.js';
import type { AnyOperation, Caller, OperationContext } from '../iam/operation.js';
import { invalidInputFromViolations, ORGANIZATIONS_OPERATIONS } from '../organizations/index.js';
import { AwsError } from '../policy/errors.js';
import { decodeJsonRequest } from '../protocol/json-decode.js';
import { encodeJsonResponse, jsonContentType } from '../protocol/json-encode.js';
import { asJsonAwsError, encodeJsonError } from '../protocol/json-errors.js';
import { inputViolations, loadServiceModel, validationErrors, type ServiceModel } from '../protocol/index.js';
import { checkSessionMayCall } from '../sts/session-limits.js';
import type { ApiDependencies, ApiRequest, ApiResponse } from './api.js';
import { isReadOnly } from './operations.js';

/** A service spoken over the JSON protocol. */
interface JsonService {
  /** The SigV4 signing name, also the metrics and audit label. */
  signingName: string;
  model: ServiceModel;
  operations: ReadonlyMap<string, AnyOperation>;
  /** The region a global service acts in, whatever region the client signed for. */
  region?: string;
  /** The service's answer to input breaking the model's constraints. */
  invalidInput(violations: readonly string[]): AwsError;
}

const ORGANIZATIONS: JsonService = {
  signingName: 'organizations',
  model: loadServiceModel('organizations'),
  operations: new Map(ORGANIZATIONS_OPERATIONS.map((operation) => [operation.name, operation])),
  // Organizations is a global service whose endpoint is in us-east-1 (aws:RequestedRegion says so).
  region: 'us-east-1',
  invalidInput: (violations) => invalidInputFromViolations(violations) ?? validationErrors(violations),
};

const SERVICES: readonly JsonService[] = [ORGANIZATIONS];

function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

function serviceOfTarget(target: string): JsonService | undefined {
  return SERVICES.find((service) => target.startsWith(`${service.model.metadata.targetPrefix}.`));
}

/** Whether a request is for a JSON-protocol service this server speaks (by its X-Amz-Target header). */
export function isJsonApiRequest(headers: ApiRequest['headers']): boolean {
  return serviceOfTarget(headerText(headers['x-amz-target'])) !== undefined;
}

/** Handles one JSON-protocol request. */
export async function handleJsonApiRequest(deps: ApiDependencies, request: ApiRequest): Promise<ApiResponse> {
  const started = process.hrtime.bigint();
  const requestId = randomUUID();
  const now = new Date();
  const target = headerText(request.headers['x-amz-target']);
  const service = serviceOfTarget(target) ?? ORGANIZATIONS;
  const model = service.model;
  // Only the model's operation names become metric labels and audit event names, never arbitrary text.
  const named = target.slice(target.indexOf('.') + 1);
  const operationName = model.operation(named) ? named : 'Unknown';
  let caller: Caller | undefined;
  let region = service.region ?? 'us-east-1';
  let input: Record<string, unknown> | undefined;
  let output: unknown;
  let failure: AwsError | undefined;
  let presentedAccessKeyId: string | undefined;

  try {
    let resolved: ResolvedAccessKey | undefined;
    const signature = await verifySigV4(
      { method: request.method, path: request.path, query: request.query, headers: request.headers, body: request.body },
      async (accessKeyId, { securityToken }) => {
        presentedAccessKeyId = accessKeyId;
        resolved = await resolveCredentials(deps.store, deps.secrets, accessKeyId, securityToken, now);
        return resolved?.secret;
      },
      { now, expectedServices: [service.signingName], regionsByService: { [service.signingName]: ['*'] } },
    );
    if (!resolved) throw new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    caller = resolved.caller;
    region = service.region ?? signature.region;
    // Session keys live in their tokens, not the store: there is no key record to mark as used.
    if (!caller.session) deps.lastUsed?.accessKeyUsed(caller.accessKeyId, signature.service, region, now);
    if (caller.kind === 'assumed-role' && caller.roleName) deps.lastUsed?.roleUsed(caller.accountId, caller.roleName, region, now);

    const decoded = decodeJsonRequest(model, target, request.body);
    input = decoded.input;
    checkSessionMayCall(caller, service.signingName, decoded.operation.name);
    const violations = decoded.operation.input ? inputViolations(model, decoded.operation.input.shape, input) : [];
    if (violations.length > 0) throw service.invalidInput(violations);
    const operation = service.operations.get(decoded.operation.name);
    if (!operation) throw new AwsError('UnknownOperationException', `The operation ${target} is not supported by Rolecall.`, 400);

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
    failure = asJsonAwsError(error, model);
    if (!(error instanceof AwsError)) {
      process.stderr.write(`rolecall: request ${requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
  }

  const headers = { 'content-type': jsonContentType(model), 'x-amzn-requestid': requestId };
  const encodedError = failure ? encodeJsonError(model, failure) : undefined;
  const response: ApiResponse = encodedError
    ? { status: encodedError.statusCode, headers, body: encodedError.body }
    : { status: 200, headers, body: encodeJsonResponse(model, operationName, output) };
  const errorCode = encodedError?.code;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  deps.metrics.observe(service.signingName, operationName, response.status, errorCode, seconds);
  deps.audit.record({
    requestId,
    time: now,
    service: service.signingName,
    operation: operationName,
    region,
    sourceIp: request.sourceIp,
    userAgent: headerText(request.headers['user-agent']),
    readOnly: isReadOnly(operationName) || operationName.startsWith('Describe'),
    ...(caller ? { caller } : {}),
    ...(presentedAccessKeyId && !caller ? { presentedAccessKeyId } : {}),
    ...(input !== undefined ? { request: input } : {}),
    ...(output !== undefined ? { response: output } : {}),
    ...(failure ? { errorCode, errorMessage: failure.message } : {}),
  });
  deps.accessLog?.({
    time: now.toISOString(),
    requestId,
    service: service.signingName,
    operation: operationName,
    status: response.status,
    ...(errorCode ? { errorCode } : {}),
    principal: caller?.arn ?? null,
    sourceIp: request.sourceIp,
    durationMs: Math.round(seconds * 1e6) / 1e3,
  });
  return response;
}

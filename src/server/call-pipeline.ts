/**
 * The steps every API call takes whatever its wire protocol (Query for IAM/STS in api.ts, JSON for
 * Organizations in json-api.ts): authenticate the SigV4 signature, build the operation's context,
 * authorize every permission it needs through the policy engine and execute it, then record the call in
 * the metrics, the audit trail and the access log.
 */
import { randomUUID } from 'node:crypto';
import { authorizeTargets } from '../auth/authorize.js';
import { callerInSignedPartition, resolveCredentials, type ResolvedAccessKey } from '../auth/caller.js';
import { verifySigV4, type VerifyOptions } from '../auth/sigv4.js';
import type { AnyOperation, Caller, OperationContext } from '../iam/operation.js';
import { invalidClientTokenId } from '../model/errors.js';
import { AwsError } from '../policy/errors.js';
import { checkSessionMayCall } from '../sts/session-limits.js';
import type { ApiDependencies, ApiRequest } from './api.js';
import type { CallRecord } from './audit.js';

/** A header's value as one string (Node gives repeated headers as arrays with headersDistinct). */
export function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/** What authentication established, or tried to: the key presented is kept for the audit of a failure. */
export interface Authentication {
  presentedAccessKeyId?: string;
  caller?: Caller;
  /** The region the call acts in (a global service's own region, else the one it was signed for). */
  region?: string;
}

/**
 * Verifies the request's signature against the presented key's secret (long-term keys through the store,
 * session keys through their token) and notes the key's and role's last use. Fills `into` as it goes, so
 * a failure still tells the audit trail which key was presented; throws AWS's error on failure.
 */
export async function authenticate(
  deps: ApiDependencies,
  request: ApiRequest,
  now: Date,
  options: Pick<VerifyOptions, 'expectedServices' | 'regionsByService'>,
  into: Authentication,
  regionFor: (signedService: string, signedRegion: string) => string,
): Promise<Caller> {
  let resolved: ResolvedAccessKey | undefined;
  const signature = await verifySigV4(
    { method: request.method, path: request.path, query: request.query, headers: request.headers, body: request.body },
    async (accessKeyId, { securityToken }) => {
      into.presentedAccessKeyId = accessKeyId;
      resolved = await resolveCredentials(deps.store, deps.secrets, accessKeyId, securityToken, now);
      return resolved?.secret;
    },
    { now, ...options },
  );
  if (!resolved) throw invalidClientTokenId('unknown-access-key');
  const caller = await callerInSignedPartition(deps.store, resolved, signature.region);
  into.caller = caller;
  const region = regionFor(signature.service, signature.region);
  into.region = region;
  // Session keys live in their tokens, not the store: there is no key record to mark as used.
  if (!caller.session) deps.lastUsed?.accessKeyUsed(caller.accessKeyId, signature.service, region, now);
  if (caller.kind === 'assumed-role' && caller.roleName) deps.lastUsed?.roleUsed(caller.accountId, caller.roleName, region, now);
  return caller;
}

/** The context an operation runs in. */
export function operationContext(deps: ApiDependencies, caller: Caller, requestId: string, now: Date, region: string, sourceIp: string): OperationContext {
  const context: OperationContext = { store: deps.store, secrets: deps.secrets, caller, accountId: caller.accountId, requestId, now, region, sourceIp };
  if (deps.publicUrl !== undefined) context.publicUrl = deps.publicUrl;
  // Another principal's permissions are decided in the same request context, with that principal's policies.
  context.authorizeAs = (principal, targets) =>
    deps.store.read((reader) => authorizeTargets({ ...context, caller: principal, accountId: principal.accountId }, reader, targets));
  // A service's own call gets its own event, request id and identity; CloudTrail names the service where
  // it would name the caller's address and agent, and marks it read-only with its response elements (as
  // for EKS Pod Identity's AssumeRole). The operation's own event, written after it, flushes it.
  context.recordServiceCall = ({ invokedBy, ...call }) =>
    deps.audit.record({ ...call, invokedBy, requestId: randomUUID(), time: now, region, sourceIp: invokedBy, userAgent: invokedBy, readOnly: true, recordsResponse: true });
  return context;
}

/** Authorizes every permission the operation needs, then runs it (the operation first checks its input against its model). */
export async function authorizeAndExecute(deps: ApiDependencies, operation: AnyOperation, context: OperationContext, input: Record<string, unknown>): Promise<unknown> {
  const targets = await operation.authorize(context, input);
  await deps.store.read((reader) => authorizeTargets(context, reader, targets));
  return operation.execute(context, input);
}

/** How a protocol handler's call is authenticated and decoded (the JSON and REST-JSON endpoints). */
export interface SignedCallSteps {
  /** The SigV4 signing name the request must be signed for (also the service of session limits). */
  signingName: string;
  /** The region the call acts in, from the signed one (a global service's own region). */
  regionFor: (signedService: string, signedRegion: string) => string;
  /** Decodes the request once it is authenticated (AWS checks the signature before the body). */
  decode(): { operationName: string; input: Record<string, unknown> };
  /** The operation, or the service's error for one Rolecall does not serve. */
  operation(operationName: string): AnyOperation;
  /** Any thrown value as the service's AwsError (ours reported without details). */
  asAwsError(error: unknown): AwsError;
}

/** What became of a call: its decoded input, and its output or the error it failed with. */
export interface CallOutcome {
  input?: Record<string, unknown>;
  output?: unknown;
  failure?: AwsError;
}

/**
 * Authenticates a signed call (any region of its service), decodes it, checks the session may call it,
 * authorizes and executes it; an unexpected failure is logged and reported without details.
 */
export async function performSignedCall(
  deps: ApiDependencies,
  request: ApiRequest,
  call: { requestId: string; now: Date; authentication: Authentication },
  steps: SignedCallSteps,
): Promise<CallOutcome> {
  const outcome: CallOutcome = {};
  try {
    const { signingName } = steps;
    const caller = await authenticate(deps, request, call.now, { expectedServices: [signingName], regionsByService: { [signingName]: ['*'] } }, call.authentication, steps.regionFor);
    const decoded = steps.decode();
    outcome.input = decoded.input;
    checkSessionMayCall(caller, signingName, decoded.operationName);
    const operation = steps.operation(decoded.operationName);
    const region = call.authentication.region ?? 'us-east-1';
    outcome.output = await authorizeAndExecute(deps, operation, operationContext(deps, caller, call.requestId, call.now, region, request.sourceIp), decoded.input);
  } catch (error) {
    outcome.failure = steps.asAwsError(error);
    if (!(error instanceof AwsError)) logInternalFailure(error, call.requestId);
  }
  return outcome;
}

/** Logs an unexpected failure (never shown to the client) and returns what the client is told. */
export function logInternalFailure(error: unknown, requestId: string): void {
  process.stderr.write(`rolecall: request ${requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
}

/** Operations CloudTrail marks read-only though their names don't say so. */
const READ_ONLY_BY_CLOUDTRAIL = new Set(['AssumeRoleForPodIdentity']);
/** Read-only calls that hand out credentials: their events (and their services' events) are written before the answer. */
const ISSUES_CREDENTIALS = new Set(['AssumeRoleForPodIdentity']);

/** Operations that only read (CloudTrail's readOnly): by AWS's naming, Get*, List*, Describe*, Simulate*, ... */
export function isReadOnly(operation: string): boolean {
  return /^(Get|List|Describe|Simulate|Generate|Decode)/.test(operation) || READ_ONLY_BY_CLOUDTRAIL.has(operation);
}

/** A call as it starts: when (for its duration and its event's time), its request id, and who it turns out to be. */
export interface StartedCall {
  started: bigint;
  requestId: string;
  now: Date;
  authentication: Authentication;
}

/** Starts the clock and names a call. */
export function startCall(): StartedCall {
  return { started: process.hrtime.bigint(), requestId: randomUUID(), now: new Date(), authentication: {} };
}

/** How a call ended: what it was, what it got, what it answered. */
export interface FinishedCall {
  service: string;
  operation: string;
  region: string;
  request: ApiRequest;
  outcome: CallOutcome;
  /** The status answered. */
  status: number;
  /** The error code as the protocol encoded it (a model's shape name may replace the thrown code). */
  errorCode?: string;
}

/**
 * Records a finished call: metrics, the audit event (written before the answer for calls that change
 * something, batched for reads) and the access-log line. Every call of every protocol passes here, so the
 * record is built by assignment, not from spread literals, and the started and finished halves of a call
 * are passed as they are instead of merged: building these with spreads cost about 25 µs of server CPU
 * per GetRole (docs/performance.md).
 */
export async function recordCall(deps: ApiDependencies, start: StartedCall, call: FinishedCall): Promise<void> {
  const seconds = Number(process.hrtime.bigint() - start.started) / 1e9;
  const { outcome } = call;
  const errorCode = call.errorCode ?? outcome.failure?.code;
  deps.metrics.observe(call.service, call.operation, call.status, errorCode, seconds);
  const caller = start.authentication.caller;
  const identified = caller && caller.kind !== 'anonymous' ? caller : undefined;
  const record: CallRecord = {
    requestId: start.requestId,
    time: start.now,
    service: call.service,
    operation: call.operation,
    region: call.region,
    sourceIp: call.request.sourceIp,
    userAgent: headerText(call.request.headers['user-agent']),
    readOnly: isReadOnly(call.operation),
  };
  if (identified) record.caller = identified;
  if (start.authentication.presentedAccessKeyId && !caller) record.presentedAccessKeyId = start.authentication.presentedAccessKeyId;
  if (outcome.input !== undefined) record.request = outcome.input;
  if (outcome.output !== undefined) record.response = outcome.output;
  if (errorCode) {
    record.errorCode = errorCode;
    record.errorMessage = outcome.failure?.message ?? '';
  }
  if (record.readOnly && !ISSUES_CREDENTIALS.has(call.operation)) deps.audit.record(record);
  else await deps.audit.recordDurably(record);
  deps.accessLog?.({
    time: start.now.toISOString(),
    requestId: start.requestId,
    service: call.service,
    operation: call.operation,
    status: call.status,
    ...(errorCode ? { errorCode } : {}),
    principal: identified?.arn ?? null,
    sourceIp: call.request.sourceIp,
    durationMs: Math.round(seconds * 1e6) / 1e3,
  });
}

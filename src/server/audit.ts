/**
 * The audit trail: every API call, allowed or denied, becomes a CloudTrail-format event
 * (cloudtrail-event-reference-record-contents.html). Events are appended in small batches — one durable
 * transaction per batch instead of one per request — and flushed on shutdown. Secrets never reach it:
 * request and response members that carry them are replaced, as CloudTrail does.
 */
import { randomUUID } from 'node:crypto';
import type { Caller } from '../iam/operation.js';
import type { AuditRecord, Store } from '../store/types.js';

const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
// Members that carry credentials or bearer material: secret keys, passwords, session and web identity
// tokens, MFA token codes and authentication codes, virtual MFA seeds and their QR codes, SAML assertions,
// private keys.
const SECRET_MEMBER = /secret|password|token|assertion|privatekey|authenticationcode|seed|qrcode/i;
// Members whose names match but hold settings, flags or times, which CloudTrail records as they are: the
// password policy's rules and a login profile's reset flag.
const NOT_SECRET = new Set([
  'PasswordResetRequired',
  'MinimumPasswordLength',
  'MaxPasswordAge',
  'PasswordReusePrevention',
  'AllowUsersToChangePassword',
  'ExpirePasswords',
  'PasswordLastUsed',
]);

function isSecretMember(key: string): boolean {
  return SECRET_MEMBER.test(key) && !NOT_SECRET.has(key);
}

/** A copy with lower-camel-cased member names (CloudTrail's style) and secret members hidden. */
export function auditView(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(auditView);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    const name = key.charAt(0).toLowerCase() + key.slice(1);
    out[name] = isSecretMember(key) ? HIDDEN : auditView(member);
  }
  return out;
}

/** The string values of every hidden member of a request, however deep. */
function hiddenValues(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) hiddenValues(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
      if (isSecretMember(key) && typeof member === 'string' && member !== '') found.push(member);
      else hiddenValues(member, found);
    }
  }
  return found;
}

/** Values this short are hidden only where a message quotes them whole, so digits elsewhere survive. */
const SHORTEST_HIDDEN_ANYWHERE = 6;

/**
 * An error message with every hidden member's value replaced, as the member itself is: validation
 * messages quote what they refuse (`Value '1234567' at 'tokenCode' failed to satisfy constraint`).
 */
export function redactMessage(message: string, request: unknown): string {
  let redacted = message;
  for (const value of hiddenValues(request)) {
    for (const quoted of [`'${value}'`, `(${value})`, `"${value}"`]) redacted = redacted.split(quoted).join(`${quoted[0]}${HIDDEN}${quoted.at(-1)}`);
    if (value.length >= SHORTEST_HIDDEN_ANYWHERE) redacted = redacted.split(value).join(HIDDEN);
  }
  return redacted;
}

export interface CallRecord {
  requestId: string;
  time: Date;
  service: string;
  operation: string;
  region: string;
  sourceIp: string;
  userAgent: string;
  caller?: Caller;
  /** The access key a failed authentication presented (no caller could be established). */
  presentedAccessKeyId?: string;
  readOnly: boolean;
  request?: unknown;
  response?: unknown;
  errorCode?: string;
  errorMessage?: string;
  /** The AWS service that made the call (CloudTrail's userIdentity.invokedBy). */
  invokedBy?: string;
  /** CloudTrail records this read-only call's response elements all the same (sts:AssumeRole's session). */
  recordsResponse?: boolean;
  /** The resources the call acted on, where CloudTrail lists them. */
  resources?: Array<{ accountId: string; type: string; ARN: string }>;
}

/** The web identity an unsigned AssumeRoleWithWebIdentity call presented, as CloudTrail records it. */
function webIdentityUser(record: CallRecord): Record<string, unknown> {
  const response = (record.errorCode ? undefined : record.response) as
    | { SubjectFromWebIdentityToken?: string; Provider?: string; Audience?: string }
    | undefined;
  if (!response?.SubjectFromWebIdentityToken) return { type: 'WebIdentityUser' };
  const { Provider: provider, Audience: audience, SubjectFromWebIdentityToken: subject } = response;
  return { type: 'WebIdentityUser', principalId: `${provider}:${audience}:${subject}`, userName: subject, identityProvider: provider };
}

function userIdentity(record: CallRecord): Record<string, unknown> {
  const caller = record.caller;
  // A service calling as itself: only its name (EKS Pod Identity's AssumeRole: type AWSService, invokedBy pods.eks.amazonaws.com).
  if (!caller && record.invokedBy !== undefined) return { type: 'AWSService', invokedBy: record.invokedBy };
  if (!caller && record.operation === 'AssumeRoleWithWebIdentity') return webIdentityUser(record);
  if (!caller) return { type: 'Unknown', ...(record.presentedAccessKeyId ? { accessKeyId: record.presentedAccessKeyId } : {}) };
  const type = caller.kind === 'root' ? 'Root' : caller.kind === 'user' ? 'IAMUser' : caller.kind === 'assumed-role' ? 'AssumedRole' : 'FederatedUser';
  const identity: Record<string, unknown> = { type, principalId: caller.userId, arn: caller.arn, accountId: caller.accountId, accessKeyId: caller.accessKeyId };
  if (caller.userName) identity.userName = caller.userName;
  const session = caller.session;
  if (session) {
    const context: Record<string, unknown> = { attributes: { creationDate: session.issuedAt, mfaAuthenticated: session.mfaAuthenticatedAt ? 'true' : 'false' } };
    if (caller.kind === 'assumed-role' && caller.roleArn) {
      context.sessionIssuer = { type: 'Role', principalId: caller.userId.split(':')[0], arn: caller.roleArn, accountId: caller.accountId, userName: caller.roleName };
    }
    if (session.webIdentity) context.webIdFederationData = { federatedProvider: session.webIdentity.providerArn, attributes: {} };
    if (session.sourceIdentity) context.sourceIdentity = session.sourceIdentity;
    identity.sessionContext = context;
  }
  if (record.invokedBy !== undefined) identity.invokedBy = record.invokedBy;
  return identity;
}

/** The account of the role an unsigned AssumeRole* call named (CloudTrail's recipient account). */
function roleAccountOf(record: CallRecord): string | undefined {
  const roleArn = (record.request as { RoleArn?: unknown } | undefined)?.RoleArn;
  return typeof roleArn === 'string' ? /^arn:[^:]+:iam::(\d{12}):role\//.exec(roleArn)?.[1] : undefined;
}

/** The CloudTrail event for one call. */
export function cloudTrailEvent(record: CallRecord): AuditRecord {
  const eventId = randomUUID();
  const eventTime = record.time.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const accountId = record.caller?.accountId ?? roleAccountOf(record) ?? '';
  const event: Record<string, unknown> = {
    eventVersion: '1.09',
    userIdentity: userIdentity(record),
    eventTime,
    eventSource: `${record.service}.amazonaws.com`,
    eventName: record.operation,
    awsRegion: record.region,
    sourceIPAddress: record.sourceIp,
    userAgent: record.userAgent,
    requestParameters: record.request === undefined ? null : auditView(record.request),
    // CloudTrail records response elements only for calls that change something (read-only calls and
    // failures get null); it also keeps a ListRoles event from copying every listed role.
    responseElements: record.response === undefined || record.errorCode || (record.readOnly && !record.recordsResponse) ? null : auditView(record.response),
    requestID: record.requestId,
    eventID: eventId,
    readOnly: record.readOnly,
  };
  // Assigned in CloudTrail's field order rather than spread into the literal: a spread in the middle
  // of a literal builds the event the slow way on every call.
  if (record.resources) event.resources = record.resources;
  event.eventType = 'AwsApiCall';
  event.managementEvent = true;
  event.recipientAccountId = accountId;
  event.eventCategory = 'Management';
  if (record.errorCode) {
    event.errorCode = record.errorCode;
    event.errorMessage = record.errorMessage === undefined ? undefined : redactMessage(record.errorMessage, record.request);
  }
  const audit: AuditRecord = { eventId, eventTime, accountId, principalArn: record.caller?.arn ?? '', eventName: record.operation, event };
  if (record.errorCode) audit.errorCode = record.errorCode;
  return audit;
}

/** Buffers events and appends them in batches. */
export class AuditWriter {
  private pending: AuditRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private durableFlush: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly delayMs = 50,
    private readonly maxBatch = 500,
  ) {}

  /** Queues the event of a read-only call; it is written with the next batch. */
  record(call: CallRecord): void {
    this.pending.push(cloudTrailEvent(call));
    if (this.pending.length >= this.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
  }

  /**
   * Writes the event of a call that changed (or tried to change) something before the call is answered,
   * so no acknowledged change is ever missing from the trail. The store's group commit lets these writes
   * share a transaction with the changes themselves.
   */
  recordDurably(call: CallRecord): Promise<void> {
    this.pending.push(cloudTrailEvent(call));
    // Calls that finish in the same turn of the event loop share one append.
    this.durableFlush ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.durableFlush = undefined;
      return this.flush();
    });
    return this.durableFlush;
  }

  /** Writes everything buffered so far. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(async () => {
      // Take the batch when this flush runs, not when it was asked for: events of concurrent calls
      // that queued behind the previous append then share one append.
      const batch = this.pending;
      this.pending = [];
      if (batch.length === 0) return;
      try {
        await this.store.appendAudit(batch);
      } catch (error) {
        process.stderr.write(`rolecall: audit write failed: ${(error as Error).message}\n`);
      }
    });
    return this.flushing;
  }
}

/**
 * The shape every API operation takes (IAM, STS, Organizations, later EKS): one function with typed
 * input and output in the service model's member names, plus what the call must be authorized for, its
 * input checked against the service model by defineOperation whoever calls it.
 * The wire format is protocol/'s business; authentication and the policy decision are auth/'s.
 */
import type { Tag } from '../model/entities.js';
import { validationError, validationErrors, type AwsError } from '../model/errors.js';
import { inputViolationsFor } from '../model/input-validation.js';
import { DEFAULT_PARTITION, partitionOfArn } from '../model/partitions.js';
import type { ServiceName } from '../model/service-models.js';
import type { ContextValue, PolicyInput } from '../policy/types.js';
import type { Store } from '../store/types.js';

/**
 * What a caller signed with temporary credentials carries from its session token (see sts/): when it
 * was issued, the session policies that narrow it, its session tags and source identity.
 */
export interface CallerSession {
  /** The STS operation that issued the credentials. */
  issuedBy: 'AssumeRole' | 'AssumeRoleWithWebIdentity' | 'AssumeRoleWithSAML' | 'GetSessionToken' | 'GetFederationToken';
  /** ISO timestamps (aws:TokenIssueTime; the credentials' Expiration). */
  issuedAt: string;
  expiresAt: string;
  /** The inline session policy's text (`Policy`). */
  policy?: string;
  /** Managed session policies (`PolicyArns`), resolved at each request in the role's account. */
  policyArns?: string[];
  /** The session's own tags: passed ones and inherited transitive ones (they override the role's tags). */
  tags?: Tag[];
  /** Keys of `tags` that pass on to sessions this one assumes. */
  transitiveTagKeys?: string[];
  /** aws:SourceIdentity, fixed for the whole role chain. */
  sourceIdentity?: string;
  /** Whether a role session assumed this one (role chaining). */
  chained?: boolean;
  /** For AssumeRoleWithWebIdentity sessions: the provider and the token's subject and audience. */
  webIdentity?: { providerArn: string; subject: string; audience: string };
  /** For AssumeRoleWithSAML sessions: the SAML provider (aws:FederatedProvider). */
  saml?: { providerArn: string };
  /** ISO time an MFA code authenticated the session (or the session it descends from): aws:MultiFactorAuthAge counts from it. */
  mfaAuthenticatedAt?: string;
  /**
   * For GetFederationToken sessions: the long-term identity that federated — the IAM user's unique id
   * (its name is the caller's userName), or the account id for the root user.
   */
  federatedBy?: { userId: string };
}

/** The authenticated caller. */
export interface Caller {
  accountId: string;
  /** The principal's ARN: `...:root`, `...:user/path/name`, `arn:aws:sts::...:assumed-role/role/session`. */
  arn: string;
  /** `anonymous`: an unsigned call (AssumeRoleWithWebIdentity and AssumeRoleWithSAML only). */
  kind: 'root' | 'user' | 'assumed-role' | 'federated-user' | 'anonymous';
  /** `aws:userid`: the account id (root), the user id, or `AROA...:session`. */
  userId: string;
  accessKeyId: string;
  userName?: string;
  /** For sessions: the role's ARN (with its path) and name. */
  roleArn?: string;
  roleName?: string;
  /** The role's unique id (AROA...): a session outlives neither its role nor a same-named successor. */
  roleId?: string;
  sessionName?: string;
  /** Present when the caller signed with temporary credentials (ASIA... and a session token). */
  session?: CallerSession;
}

/**
 * Seals secrets at rest (access keys) with the server key; see auth/secrets.ts. `context` binds a sealed
 * value to what it belongs to (an access key's id), so it can't be moved to another record.
 */
export interface SecretSealing {
  seal(secret: string, context?: string): string;
  unseal(sealed: string, context?: string): string;
}

export interface OperationContext {
  store: Store;
  secrets: SecretSealing;
  caller: Caller;
  /** The account the request acts in: the caller's account. */
  accountId: string;
  requestId: string;
  now: Date;
  /** The signing region (`us-east-1` for IAM). */
  region: string;
  /** The caller's source address (aws:SourceIp). */
  sourceIp: string;
  /**
   * The server's external base URL (`--public-url`; the listen address by default): the issuers of the
   * clusters it signs service-account tokens for live under it (`<public URL>/clusters/<name>`).
   */
  publicUrl?: string;
  /**
   * Decides permissions for another principal exactly as the server decides a call (the engine with that
   * principal's policies): for operations that act as someone else, e.g. EKS Pod Identity assuming a
   * target role with the association role's session. Provided by the server; absent for direct callers.
   */
  authorizeAs?: (caller: Caller, targets: AuthorizationTarget[]) => Promise<void>;
  /**
   * Records in the audit trail a call an AWS service made inside this operation (EKS Pod Identity's
   * sts:AssumeRole), as CloudTrail records such calls beside the operation's own event. Provided by the server.
   */
  recordServiceCall?: (call: ServiceCallRecord) => void;
}

/** A call an AWS service made on its own or with a session it obtained, for the audit trail. */
export interface ServiceCallRecord {
  service: string;
  operation: string;
  /** The service principal that made the call (CloudTrail's invokedBy, sourceIPAddress and userAgent). */
  invokedBy: string;
  /** The session the service called with; none when it called as itself (CloudTrail's AWSService identity). */
  caller?: Caller;
  request: Record<string, unknown>;
  response?: unknown;
  errorCode?: string;
  errorMessage?: string;
  /** The resources the call acted on (CloudTrail's `resources`). */
  resources?: Array<{ accountId: string; type: string; ARN: string }>;
}

/**
 * The partition the request acts in: its caller's, named in the caller's ARN (authentication refuses a
 * request signed for a region of another partition). Unsigned calls (AssumeRoleWithWebIdentity, ...) have
 * no caller: they act in the partition of the role they name.
 */
export function requestPartition(context: Pick<OperationContext, 'caller'>): string {
  return partitionOfArn(context.caller.arn) ?? DEFAULT_PARTITION;
}

/** One permission a call needs: action, resource ARN, and the request's condition keys. */
export interface AuthorizationTarget {
  action: string;
  resource: string;
  context?: Record<string, ContextValue>;
  /** A resource-based policy that takes part in the decision, e.g. a role's trust policy for sts:AssumeRole. */
  resourcePolicy?: PolicyInput | null;
  /** How the resource policy counts (see policy/ EvaluationInput); `trust` for role trust policies. */
  resourcePolicyKind?: 'resource' | 'trust' | 'key';
  /** The account that owns the resource when it is not the caller's (cross-account AssumeRole). */
  resourceAccount?: string;
}

export interface Operation<Input = Record<string, unknown>, Output = Record<string, unknown>> {
  /** The service whose model declares the operation (`iam`, `sts`, `organizations`). */
  service: ServiceName;
  /** The model's operation name, e.g. `CreateRole`. */
  name: string;
  /** What the call must be allowed to do; may read the store (e.g. for aws:ResourceTag keys). */
  authorize(context: OperationContext, input: Input): AuthorizationTarget[] | Promise<AuthorizationTarget[]>;
  execute(context: OperationContext, input: Input): Promise<Output>;
}

/** What an operation's module writes; defineOperation adds the model's input checks. */
export interface OperationDefinition<Input, Output> extends Operation<Input, Output> {
  /** The service's answer to input breaking the model's constraints; AWS's ValidationError by default. */
  invalidInput?: (violations: readonly string[]) => AwsError;
}

/** AWS's message for an IAM path that breaks the path pattern (AWS-recorded responses, issue 11). */
export const INVALID_PATH =
  'The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.';

/** A violation of the `Path` member's pattern alone: IAM answers it with its own sentence instead of the model's. */
function isPathPatternViolation(violation: string): boolean {
  return / at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: /.test(violation);
}

/**
 * Declares an operation with its input and output types checked, and its input checked against the
 * service model's constraints (required members, lengths, patterns, ranges, enums) before anything else:
 * AWS's front end refuses malformed input before it authorizes. The check runs once per input, in
 * authorize when the caller authorizes (the server, the STS tests), else in execute (direct callers).
 */
export function defineOperation<Input, Output>(definition: OperationDefinition<Input, Output>): Operation<Input, Output> {
  const { service, name, invalidInput = validationErrors } = definition;
  const violationsOf = inputViolationsFor(service, name);
  // Inputs already found valid: the server authorizes and then executes the same input object.
  const checked = new WeakSet<object>();
  const checkInput = (input: Input): void => {
    const members = (input ?? {}) as Record<string, unknown>;
    if (checked.has(members)) return;
    const violations = violationsOf(members);
    if (violations.length > 0 && service === 'iam' && violations.every(isPathPatternViolation)) throw validationError(INVALID_PATH);
    if (violations.length > 0) throw invalidInput(violations);
    checked.add(members);
  };
  return {
    service,
    name,
    authorize(context, input) {
      checkInput(input);
      return definition.authorize(context, input);
    },
    async execute(context, input) {
      checkInput(input);
      return definition.execute(context, input);
    },
  };
}

/** An operation as the registry holds it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperation = Operation<any, any>;

/**
 * The shape every API operation takes (IAM, STS, later EKS and Organizations): one function with typed
 * input and output in the service model's member names, plus what the call must be authorized for.
 * The wire format is protocol/'s business; authentication and the policy decision are auth/'s.
 */
import type { ContextValue } from '../policy/types.js';
import type { Store } from '../store/types.js';

/** The authenticated caller. */
export interface Caller {
  accountId: string;
  /** The principal's ARN: `...:root`, `...:user/path/name`, `arn:aws:sts::...:assumed-role/role/session`. */
  arn: string;
  kind: 'root' | 'user' | 'assumed-role' | 'federated-user';
  /** `aws:userid`: the account id (root), the user id, or `AROA...:session`. */
  userId: string;
  accessKeyId: string;
  userName?: string;
  /** For sessions: the role's ARN (with its path) and name. */
  roleArn?: string;
  roleName?: string;
  sessionName?: string;
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
}

/** One permission a call needs: action, resource ARN, and the request's condition keys. */
export interface AuthorizationTarget {
  action: string;
  resource: string;
  context?: Record<string, ContextValue>;
}

export interface Operation<Input = Record<string, unknown>, Output = Record<string, unknown>> {
  /** The model's operation name, e.g. `CreateRole`. */
  name: string;
  /** What the call must be allowed to do; may read the store (e.g. for aws:ResourceTag keys). */
  authorize(context: OperationContext, input: Input): AuthorizationTarget[] | Promise<AuthorizationTarget[]>;
  execute(context: OperationContext, input: Input): Promise<Output>;
}

/** Declares an operation with its input and output types checked. */
export function defineOperation<Input, Output>(operation: Operation<Input, Output>): Operation<Input, Output> {
  return operation;
}

/** An operation as the registry holds it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperation = Operation<any, any>;

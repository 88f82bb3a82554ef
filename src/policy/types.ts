/**
 * The policy language's types: the parsed document (AST), an authorization request, and the decision
 * with its explanation. Shared by the parser, the validator, the compiler and the evaluator.
 */

/** The kinds of policy AWS distinguishes when it validates a document. */
export type PolicyKind = 'identity' | 'resource' | 'trust' | 'scp' | 'rcp' | 'boundary' | 'session';

export const POLICY_KINDS: readonly PolicyKind[] = ['identity', 'resource', 'trust', 'scp', 'rcp', 'boundary', 'session'];

export type Effect = 'Allow' | 'Deny';

/** A Principal or NotPrincipal element. `"*"` parses to `{ wildcard: true }`. */
export interface PrincipalBlock {
  /** `"Principal": "*"` (equivalent to `{"AWS": "*"}`). */
  wildcard: boolean;
  AWS?: string[];
  Service?: string[];
  Federated?: string[];
  CanonicalUser?: string[];
}

/** One operator/key pair of a Condition block, e.g. `StringEquals` / `aws:username` / `["bob"]`. */
export interface ConditionEntry {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  operator: string;
  /** The condition key as written (keys compare case-insensitively). */
  key: string;
  /** The values, as strings (JSON booleans and numbers become their string form, as AWS treats them). */
  values: string[];
}

/** One statement of a policy document, normalized: single values become one-element arrays. */
export interface Statement {
  /** Position of the statement in the document, from 0. */
  index: number;
  sid?: string;
  effect: Effect;
  principal?: PrincipalBlock;
  notPrincipal?: PrincipalBlock;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  condition?: ConditionEntry[];
}

/** A parsed policy document. */
export interface PolicyDocument {
  /** `undefined` when the document has no Version (AWS then treats it as 2008-10-17). */
  version?: '2012-10-17' | '2008-10-17';
  id?: string;
  statements: Statement[];
}

/** A policy handed to the evaluator: a raw JSON document (string or object) with an optional name. */
export interface PolicyInput {
  name?: string;
  document: string | object;
}

/** A value in the request context: a string, a list (multivalued key), or a JSON scalar. */
export type ContextValue = string | number | boolean | ReadonlyArray<string | number | boolean>;

/** The request being authorized. */
export interface AuthorizationRequest {
  /**
   * Who is asking: an ARN (`arn:aws:iam::123456789012:user/bob`, `...:root`, `...:role/r`,
   * `arn:aws:sts::123456789012:assumed-role/r/session`, `arn:aws:sts::...:federated-user/u`), a service
   * principal (`ec2.amazonaws.com`), a federated provider (`arn:aws:iam::...:oidc-provider/...` or
   * `accounts.google.com`), or `"*"` for an anonymous request.
   */
  principal: string;
  /** `service:Action`, e.g. `s3:GetObject`. */
  action: string;
  /** The resource ARN, or `"*"` for actions without a resource. */
  resource: string;
  /** The account that owns the resource; defaults to the account in the resource ARN, else the principal's. */
  resourceAccount?: string;
  /** Context keys (case-insensitive names). Missing `aws:Principal*` keys are derived from `principal`. */
  context?: Readonly<Record<string, ContextValue>>;
}

/**
 * A complete authorization question: the request plus every policy that applies to it.
 * Policies may be given raw (JSON) or pre-compiled with `compilePolicy` for speed.
 */
export interface EvaluationInput {
  request: AuthorizationRequest;
  identityPolicies?: ReadonlyArray<PolicyInput | CompiledPolicyRef>;
  permissionsBoundary?: PolicyInput | CompiledPolicyRef | null;
  /** Session policies of the calling session (inline and managed), combined as a union. */
  sessionPolicies?: ReadonlyArray<PolicyInput | CompiledPolicyRef>;
  resourcePolicy?: PolicyInput | CompiledPolicyRef | null;
  /**
   * How the resource policy is used. `resource` (default): same-account access is granted by an identity
   * allow OR a resource allow. `trust` (role trust policies) and `key` (KMS key policies): the resource
   * policy must allow; an identity allow alone is never enough.
   */
  resourcePolicyKind?: 'resource' | 'trust' | 'key';
  /** SCPs by level, root first, then each OU, then the account: every level must allow. */
  serviceControlPolicies?: ReadonlyArray<ReadonlyArray<PolicyInput | CompiledPolicyRef>>;
  /** RCPs by level, as for SCPs. */
  resourceControlPolicies?: ReadonlyArray<ReadonlyArray<PolicyInput | CompiledPolicyRef>>;
  /** The organization's management account: SCPs don't bind its principals, RCPs don't bind its resources. */
  managementAccount?: string;
}

/** Opaque handle to a compiled policy (see compile.ts). */
export interface CompiledPolicyRef {
  readonly compiled: true;
  readonly name?: string;
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/** Where a policy sits in the evaluation. */
export type PolicyType = 'identity' | 'boundary' | 'session' | 'resource' | 'scp' | 'rcp';

/** Identifies one statement of one policy in a decision. */
export interface StatementRef {
  policyType: PolicyType;
  policyName?: string;
  /** Position of the policy among the inputs of its type (for SCP/RCP, within its level). */
  policyIndex: number;
  /** SCP/RCP level (0 = root). */
  level?: number;
  statementIndex: number;
  sid?: string;
  effect: Effect;
}

/** Why one element of a statement matched the request or not. */
export interface ElementMatch {
  matched: boolean;
  /** The pattern that matched, or a sentence saying why none did. */
  detail: string;
}

/** How a statement's conditions fared. */
export interface ConditionMatch {
  matched: boolean;
  /** One line per operator/key pair. */
  entries: Array<{ operator: string; key: string; values: string[]; matched: boolean; requestValues?: string[]; missing?: boolean }>;
}

export interface StatementExplanation extends StatementRef {
  /** True when the statement applies to the request (all elements matched). */
  applies: boolean;
  action: ElementMatch;
  resource: ElementMatch;
  principal?: ElementMatch;
  condition?: ConditionMatch;
}

export interface Explanation {
  /** One sentence: why the decision is what it is. */
  summary: string;
  /** For denials, the policy type whose missing allow (ImplicitDeny) or explicit deny decided. */
  deniedBy?: PolicyType;
  statements: StatementExplanation[];
}

export interface EvaluationResult {
  decision: Decision;
  /** The statements that decided: the denying statements, or the allowing statements of each required layer. */
  decisive: StatementRef[];
  /** For denials: the policy type whose explicit deny, or whose missing allow, decided. */
  deniedBy?: PolicyType;
  /** Present when evaluation was asked to explain. */
  explain?: Explanation;
  /** Condition keys that conditions of otherwise-applicable statements asked for and the request lacked. */
  missingContextKeys: string[];
}

/**
 * The decision (reference_policies_evaluation-logic.html, ..._policy-eval-denyallow.html,
 * reference_policies_evaluation-logic-cross-account.html):
 *   1. an explicit Deny in any applicable policy decides;
 *   2. RCPs (for the resource) and SCPs (for the principal) must allow at every level;
 *   3. same account: a resource-policy grant naming the caller, or the identity policies (capped by the
 *      permissions boundary and the session policies) allow; trust and key policies must allow themselves;
 *   4. cross account: both the resource policy and the caller's capped identity policies must allow;
 *   5. otherwise the request is implicitly denied.
 */
import { candidateStatements, ensureCompiled, type CompiledPolicy, type CompiledStatement } from './compile.js';
import { explainStatement, layerName, withArticle } from './explain.js';
import type { PrincipalMatchKind } from './principals.js';
import { RequestContext } from './request-context.js';
import type {
  CompiledPolicyRef,
  EvaluationInput,
  EvaluationResult,
  Explanation,
  PolicyInput,
  PolicyKind,
  PolicyType,
  StatementRef,
} from './types.js';

export interface EvaluateOptions {
  /** Add a per-statement explanation (slower; off for the hot path). */
  explain?: boolean;
}

type AnyPolicy = PolicyInput | CompiledPolicyRef;

/**
 * What one layer (the policies of one type, or one SCP/RCP level) said about the request. The arrays are
 * allocated only when a statement applies, so a request that matches little allocates little.
 */
interface LayerOutcome {
  denies?: StatementRef[];
  allows?: StatementRef[];
  /** Resource layer only: how each allowing statement named the caller. */
  allowKinds?: PrincipalMatchKind[];
}

const NOTHING: LayerOutcome = Object.freeze({});
const NO_POLICIES: readonly AnyPolicy[] = Object.freeze([]);
const NO_POLICIES_LEVELS: ReadonlyArray<readonly AnyPolicy[]> = Object.freeze([]);

function refOf(type: PolicyType, index: number, level: number | undefined, policy: CompiledPolicy, statement: CompiledStatement): StatementRef {
  const ref: StatementRef = {
    policyType: type,
    policyIndex: index,
    statementIndex: statement.statement.index,
    effect: statement.effect,
  };
  if (policy.name !== undefined) ref.policyName = policy.name;
  if (level !== undefined) ref.level = level;
  if (statement.statement.sid !== undefined) ref.sid = statement.statement.sid;
  return ref;
}

/** All conditions are evaluated (no short cut) so that every missing key is reported. */
function conditionsHold(statement: CompiledStatement, context: RequestContext): boolean {
  let holds = true;
  for (const condition of statement.conditions) if (!condition.test(context)) holds = false;
  return holds;
}

/**
 * How a statement's Principal/NotPrincipal names the caller: a match kind, or undefined when the statement
 * does not apply to the caller. Statements without either element (identity-side policies) apply to anyone.
 */
function principalMatch(statement: CompiledStatement, context: RequestContext, hasBoundary: boolean): PrincipalMatchKind | undefined {
  const principal = context.principal;
  if (statement.principal) return statement.principal.match(principal, context);
  if (statement.notPrincipal) {
    // NotPrincipal with Deny always denies principals that have a permissions boundary
    // (reference_policies_elements_notprincipal.html).
    if (hasBoundary && statement.effect === 'Deny') return 'wildcard';
    return statement.notPrincipal.exempts(principal, context) ? undefined : 'wildcard';
  }
  return 'wildcard';
}

function evaluateLayer(
  policies: readonly AnyPolicy[],
  type: PolicyType,
  kind: PolicyKind,
  level: number | undefined,
  context: RequestContext,
  hasBoundary: boolean,
): LayerOutcome {
  let outcome: LayerOutcome | undefined;
  for (let index = 0; index < policies.length; index++) {
    const policy = ensureCompiled(policies[index]!, kind);
    for (const statement of candidateStatements(policy.body, context)) {
      if (!statement.matchesAction(context) || !statement.matchesResource(context)) continue;
      const match = principalMatch(statement, context, hasBoundary);
      if (match === undefined || !conditionsHold(statement, context)) continue;
      outcome ??= {};
      const ref = refOf(type, index, level, policy, statement);
      // Lists begin as one-element literals: `[]` and push would reserve room for 17.
      if (statement.effect === 'Deny') {
        if (outcome.denies) outcome.denies.push(ref);
        else outcome.denies = [ref];
      } else {
        if (outcome.allows) outcome.allows.push(ref);
        else outcome.allows = [ref];
        // Only the resource layer's kinds are read (grantsOf).
        if (type === 'resource') {
          if (outcome.allowKinds) outcome.allowKinds.push(match);
          else outcome.allowKinds = [match];
        }
      }
    }
  }
  return outcome ?? NOTHING;
}

interface LevelsOutcome {
  denies: StatementRef[];
  allows: StatementRef[];
  /** The first level (0 = root) without an allow, if any. */
  levelWithoutAllow?: number;
}

/** SCPs or RCPs: an explicit deny at any level, and an allow needed at every level. */
function evaluateLevels(levels: ReadonlyArray<readonly AnyPolicy[]>, type: 'scp' | 'rcp', context: RequestContext): LevelsOutcome {
  const outcome: LevelsOutcome = { denies: [], allows: [] };
  levels.forEach((level, index) => {
    const layer = evaluateLayer(level, type, type, index, context, false);
    if (layer.denies) outcome.denies.push(...layer.denies);
    if (layer.allows) outcome.allows.push(...layer.allows);
    else if (outcome.levelWithoutAllow === undefined) outcome.levelWithoutAllow = index;
  });
  return outcome;
}

const IAM_PRINCIPALS = new Set(['root', 'user', 'role', 'assumed-role', 'federated-user']);

/** Grants that stand on their own in the same account, without the caller's identity policies. */
const DIRECT_GRANTS = new Set<PrincipalMatchKind>(['wildcard', 'user', 'session', 'service', 'federated', 'canonical-user']);

interface Verdict {
  decision: EvaluationResult['decision'];
  decisive: StatementRef[];
  deniedBy?: PolicyType;
  summary: string;
}

/** Decides a request. Policies may be raw documents or compiled with compilePolicy (faster). */
export function evaluate(input: EvaluationInput, options: EvaluateOptions = {}): EvaluationResult {
  const context = new RequestContext(input.request);
  const verdict = decide(context, input);
  const result: EvaluationResult = {
    decision: verdict.decision,
    decisive: verdict.decisive,
    missingContextKeys: context.missingKeys ? [...context.missingKeys].sort() : [],
  };
  if (verdict.deniedBy) result.deniedBy = verdict.deniedBy;
  if (options.explain) result.explain = explain(context, input, verdict);
  return result;
}

const ROLE_ARN = /^arn:[\w-]+:iam::\d{12}:role\//;
const KMS_KEY_ARN = /^arn:[\w-]+:kms:[\w-]*:\d{12}:key\//;

/**
 * How the resource policy counts, as AWS decides it from the resource when the request does not say: an
 * `sts:` action on a role is judged by the role's trust policy, a `kms:` action on a key by the key policy
 * — both must allow the caller themselves, so with no such policy given nothing is allowed
 * (id_roles_use.html; kms key-policies.html: "Unless the key policy explicitly allows it, you cannot use IAM
 * policies to allow access to a KMS key"). A request that names the kind keeps it.
 */
export function resourcePolicyKindOf(input: EvaluationInput): 'resource' | 'trust' | 'key' {
  return input.resourcePolicyKind || kindFromRequest(input.request.action.toLowerCase(), input.request.resource);
}

/** The kind decided from the (lower-cased) action and the resource; a prefix test first, as it runs per decision. */
function kindFromRequest(actionLower: string, resource: string): 'resource' | 'trust' | 'key' {
  if (actionLower.startsWith('sts:') && ROLE_ARN.test(resource)) return 'trust';
  if (actionLower.startsWith('kms:') && KMS_KEY_ARN.test(resource)) return 'key';
  return 'resource';
}

function resourceKindOf(input: EvaluationInput): PolicyKind {
  return resourcePolicyKindOf(input) === 'trust' ? 'trust' : 'resource';
}

/** Every statement of every policy, explained against the request. */
function explain(context: RequestContext, input: EvaluationInput, verdict: Verdict): Explanation {
  const placed: Array<{ policies: readonly AnyPolicy[]; type: PolicyType; kind: PolicyKind; level?: number }> = [
    ...(input.serviceControlPolicies ?? []).map((policies, level) => ({ policies, type: 'scp' as const, kind: 'scp' as const, level })),
    ...(input.resourceControlPolicies ?? []).map((policies, level) => ({ policies, type: 'rcp' as const, kind: 'rcp' as const, level })),
    { policies: input.resourcePolicy ? [input.resourcePolicy] : NO_POLICIES, type: 'resource', kind: resourceKindOf(input) },
    { policies: input.identityPolicies ?? NO_POLICIES, type: 'identity', kind: 'identity' },
    { policies: input.permissionsBoundary ? [input.permissionsBoundary] : NO_POLICIES, type: 'boundary', kind: 'boundary' },
    { policies: input.sessionPolicies ?? NO_POLICIES, type: 'session', kind: 'session' },
  ];
  const statements = placed.flatMap(({ policies, type, kind, level }) =>
    policies.flatMap((raw, index) => {
      const policy = ensureCompiled(raw, kind);
      return policy.body.statements.map((statement) => explainStatement(statement, refOf(type, index, level, policy, statement), context));
    }),
  );
  const explanation: Explanation = { summary: verdict.summary, statements };
  if (verdict.deniedBy) explanation.deniedBy = verdict.deniedBy;
  return explanation;
}

function explicitDeny(denies: StatementRef[]): Verdict {
  const deniedBy = denies[0]!.policyType;
  return { decision: 'ExplicitDeny', decisive: denies, deniedBy, summary: EXPLICIT_DENY_SUMMARY[deniedBy] };
}

function implicitDeny(deniedBy: PolicyType, why?: string): Verdict {
  return { decision: 'ImplicitDeny', decisive: [], deniedBy, summary: why ?? NO_ALLOW_SUMMARY[deniedBy] };
}

const EXPLICIT_DENY_SUMMARY = Object.fromEntries(
  (['identity', 'boundary', 'session', 'resource', 'scp', 'rcp'] as const).map((type) => [type, `Explicitly denied by a statement in ${withArticle(layerName(type))}.`]),
) as Record<PolicyType, string>;

const NO_ALLOW_SUMMARY = Object.fromEntries(
  (['identity', 'boundary', 'session', 'resource', 'scp', 'rcp'] as const).map((type) => [type, `Implicitly denied: no ${layerName(type)} allows the action.`]),
) as Record<PolicyType, string>;

/** The layers' outcomes a verdict is built from. */
interface Layers {
  scp: LevelsOutcome | undefined;
  rcp: LevelsOutcome | undefined;
  identity: LayerOutcome;
  boundary: LayerOutcome;
  session: LayerOutcome;
}

/** SCPs bind the IAM principals of member accounts and RCPs their resources, but not the management account's. */
function inManagementAccount(input: EvaluationInput, account: string | undefined): boolean {
  return input.managementAccount !== undefined && account === input.managementAccount;
}

function allowedVerdict(layers: Layers, decisive: StatementRef[], summary: string): Verdict {
  const { scp, rcp } = layers;
  return {
    decision: 'Allow',
    decisive: scp || rcp ? [...(scp?.allows ?? []), ...(rcp?.allows ?? []), ...decisive] : decisive,
    summary,
  };
}

/** The allowing statements of the caller's own side: identity, boundary and session policies. */
function identityDecisive(layers: Layers): StatementRef[] {
  const { identity, boundary, session } = layers;
  // The layer's array is this decision's own: no copy needed when it is the only one.
  if (!boundary.allows && !session.allows && identity.allows) return identity.allows;
  return [...(identity.allows ?? []), ...(boundary.allows ?? []), ...(session.allows ?? [])];
}

function anyDenies(layers: Layers, resource: LayerOutcome): boolean {
  const { scp, rcp, identity, boundary, session } = layers;
  return !!(scp?.denies.length || rcp?.denies.length || resource.denies || identity.denies || boundary.denies || session.denies);
}

function allDenies(layers: Layers, resource: LayerOutcome): StatementRef[] {
  const { scp, rcp, identity, boundary, session } = layers;
  return [
    ...(scp?.denies ?? []),
    ...(rcp?.denies ?? []),
    ...(resource.denies ?? []),
    ...(identity.denies ?? []),
    ...(boundary.denies ?? []),
    ...(session.denies ?? []),
  ];
}

// Module-level helpers rather than closures inside decide(): closures would be allocated on every decision.
function decide(context: RequestContext, input: EvaluationInput): Verdict {
  // Kept beside the input rather than copied into it: a copy per decision costs more than the decision.
  const resourcePolicyKind = input.resourcePolicyKind || kindFromRequest(context.actionLower, context.resource);
  const principal = context.principal;
  const resourceAccount = context.resourceAccount;
  const hasBoundary = !!input.permissionsBoundary;
  // A federated-user session (GetFederationToken) has only what its session policy allows: with none
  // passed it has no permissions (STS API_GetFederationToken.html).
  const hasSession = (input.sessionPolicies?.length ?? 0) > 0 || principal.kind === 'federated-user';
  const scpLevels = input.serviceControlPolicies ?? NO_POLICIES_LEVELS;
  const rcpLevels = input.resourceControlPolicies ?? NO_POLICIES_LEVELS;
  // SCPs bind the IAM principals of member accounts, their root users included, but not the management
  // account nor service-linked roles; RCPs bind the resources of member accounts.
  const identityApplies = IAM_PRINCIPALS.has(principal.kind);
  const scpApplies = scpLevels.length > 0 && identityApplies && !inManagementAccount(input, principal.account) && !principal.serviceLinked;
  const rcpApplies = rcpLevels.length > 0 && !inManagementAccount(input, resourceAccount);

  const resource = input.resourcePolicy
    ? evaluateLayer([input.resourcePolicy], 'resource', resourcePolicyKind === 'trust' ? 'trust' : 'resource', undefined, context, hasBoundary)
    : NOTHING;
  const layers: Layers = {
    scp: scpApplies ? evaluateLevels(scpLevels, 'scp', context) : undefined,
    rcp: rcpApplies ? evaluateLevels(rcpLevels, 'rcp', context) : undefined,
    identity: identityApplies ? evaluateLayer(input.identityPolicies ?? NO_POLICIES, 'identity', 'identity', undefined, context, hasBoundary) : NOTHING,
    boundary:
      identityApplies && input.permissionsBoundary
        ? evaluateLayer([input.permissionsBoundary], 'boundary', 'boundary', undefined, context, hasBoundary)
        : NOTHING,
    session: identityApplies && hasSession ? evaluateLayer(input.sessionPolicies ?? NO_POLICIES, 'session', 'session', undefined, context, hasBoundary) : NOTHING,
  };
  const { scp, rcp, identity, boundary, session } = layers;

  if (anyDenies(layers, resource)) return explicitDeny(allDenies(layers, resource));
  if (rcp?.levelWithoutAllow !== undefined) return implicitDeny('rcp');
  if (scp?.levelWithoutAllow !== undefined) return implicitDeny('scp');

  // The caller's own side: identity policies (the root user needs none), capped by boundary and session.
  const boundaryAllows = !hasBoundary || boundary.allows !== undefined;
  const sessionAllows = !hasSession || session.allows !== undefined;
  const identityAllows = principal.kind === 'root' || identity.allows !== undefined;
  const identityPath = identityApplies && identityAllows && boundaryAllows && sessionAllows;
  const identityShortfall: PolicyType = !identityAllows ? 'identity' : !boundaryAllows ? 'boundary' : 'session';
  const crossAccount = principal.account !== undefined && !!resourceAccount && principal.account !== resourceAccount;

  if (!resource.allows) {
    // No resource-policy grant: the common case, decided by the caller's own policies alone.
    if (principal.kind === 'anonymous' || !identityApplies) return implicitDeny('resource');
    if (crossAccount) return implicitDeny('resource', CROSS_ACCOUNT_NEEDS_RESOURCE_POLICY);
    if (resourcePolicyKind !== 'resource') return implicitDeny('resource', trustOrKeyDenial(resourcePolicyKind));
    if (!identityPath) return implicitDeny(identityShortfall);
    return allowedVerdict(layers, identityDecisive(layers), principal.kind === 'root' ? ROOT_ALLOWED : IDENTITY_ALLOWED);
  }

  if (principal.kind === 'anonymous') {
    const open = grantsOf(resource, (kind) => kind === 'wildcard');
    return open.length > 0 ? allowedVerdict(layers, open, 'Allowed: the resource-based policy allows anonymous access.') : implicitDeny('resource');
  }

  if (crossAccount) {
    // Evaluated in both accounts: the resource policy must name the caller (or its account) and the
    // caller's own policies must allow (reference_policies_evaluation-logic-cross-account.html).
    if (!identityPath) return implicitDeny(identityShortfall);
    return allowedVerdict(
      layers,
      [...resource.allows, ...identityDecisive(layers)],
      'Allowed: the resource-based policy and the caller\'s own policies both allow this cross-account request.',
    );
  }

  // Same account. A grant naming a user, session, `*`, a service or a federated provider stands alone;
  // a grant naming the role is still capped by its boundary and session policies.
  const direct = grantsOf(resource, (kind) => DIRECT_GRANTS.has(kind));
  if (direct.length > 0) return allowedVerdict(layers, direct, 'Allowed: a resource-based policy grants the caller directly.');
  const roleGrants = grantsOf(resource, (kind) => kind === 'role');
  if (roleGrants.length > 0 && boundaryAllows && sessionAllows) {
    return allowedVerdict(layers, [...roleGrants, ...(boundary.allows ?? []), ...(session.allows ?? [])], 'Allowed: a resource-based policy grants the caller\'s role.');
  }

  if (resourcePolicyKind !== 'resource') {
    // A trust or key policy must allow the caller itself; naming the account delegates to the account's
    // identity policies, but an identity allow alone is never enough.
    const accountGrants = grantsOf(resource, (kind) => kind === 'account');
    if (accountGrants.length === 0) return implicitDeny('resource', trustOrKeyDenial(resourcePolicyKind));
    if (!identityPath) return implicitDeny(identityShortfall);
    return allowedVerdict(layers, [...accountGrants, ...identityDecisive(layers)], 'Allowed: the policy trusts the caller\'s account and the caller\'s own policies allow.');
  }

  if (roleGrants.length > 0 && !identityPath) return implicitDeny(!boundaryAllows ? 'boundary' : 'session');
  if (!identityApplies) return implicitDeny('resource');
  if (!identityPath) return implicitDeny(identityShortfall);
  return allowedVerdict(layers, identityDecisive(layers), principal.kind === 'root' ? ROOT_ALLOWED : IDENTITY_ALLOWED);
}

const ROOT_ALLOWED = 'Allowed: the account\'s root user is not limited by identity-based policies.';
const IDENTITY_ALLOWED = 'Allowed: an identity-based policy allows the action.';
const CROSS_ACCOUNT_NEEDS_RESOURCE_POLICY = 'Implicitly denied: cross-account access needs a resource-based policy that allows the caller.';

function trustOrKeyDenial(kind: 'trust' | 'key'): string {
  return `Implicitly denied: the ${kind === 'trust' ? 'role trust policy' : 'key policy'} does not allow the caller.`;
}

/** The resource-policy allows whose principal match is of the wanted kinds. */
function grantsOf(resource: LayerOutcome, wanted: (kind: PrincipalMatchKind) => boolean): StatementRef[] {
  return (resource.allows ?? []).filter((_, i) => wanted(resource.allowKinds![i]!));
}

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
import { compilePolicy, type CompiledPolicy, type CompiledStatement } from './compile.js';
import { explainStatement, layerName, withArticle } from './explain.js';
import type { PrincipalInfo } from './principal-info.js';
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

/** One compiled policy in its place in the evaluation. */
interface PlacedPolicy {
  policy: CompiledPolicy;
  type: PolicyType;
  index: number;
  level?: number;
}

interface LayerOutcome {
  denies: StatementRef[];
  allows: StatementRef[];
  /** Resource layer only: how each allowing statement named the caller. */
  allowKinds: PrincipalMatchKind[];
}

type AnyPolicy = PolicyInput | CompiledPolicyRef;

function place(policies: readonly AnyPolicy[] | undefined, type: PolicyType, kind: PolicyKind, level?: number): PlacedPolicy[] {
  if (!policies || policies.length === 0) return [];
  return policies.map((p, index) => {
    const placed: PlacedPolicy = { policy: compilePolicy(p, { kind }), type, index };
    if (level !== undefined) placed.level = level;
    return placed;
  });
}

function refOf(placed: PlacedPolicy, statement: CompiledStatement): StatementRef {
  const ref: StatementRef = {
    policyType: placed.type,
    policyIndex: placed.index,
    statementIndex: statement.statement.index,
    effect: statement.effect,
  };
  if (placed.policy.name !== undefined) ref.policyName = placed.policy.name;
  if (placed.level !== undefined) ref.level = placed.level;
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
function principalMatch(statement: CompiledStatement, principal: PrincipalInfo, hasBoundary: boolean): PrincipalMatchKind | undefined {
  if (statement.principal) return statement.principal.match(principal);
  if (statement.notPrincipal) {
    // NotPrincipal with Deny always denies principals that have a permissions boundary
    // (reference_policies_elements_notprincipal.html).
    if (hasBoundary && statement.effect === 'Deny') return 'wildcard';
    return statement.notPrincipal.exempts(principal) ? undefined : 'wildcard';
  }
  return 'wildcard';
}

function evaluateLayer(policies: readonly PlacedPolicy[], context: RequestContext, hasBoundary: boolean): LayerOutcome {
  const outcome: LayerOutcome = { denies: [], allows: [], allowKinds: [] };
  for (const placed of policies) {
    for (const statement of placed.policy.body.statements) {
      if (!statement.matchesAction(context) || !statement.matchesResource(context)) continue;
      const kind = principalMatch(statement, context.principal, hasBoundary);
      if (kind === undefined || !conditionsHold(statement, context)) continue;
      if (statement.effect === 'Deny') outcome.denies.push(refOf(placed, statement));
      else {
        outcome.allows.push(refOf(placed, statement));
        outcome.allowKinds.push(kind);
      }
    }
  }
  return outcome;
}

/** Per level: an explicit deny anywhere, or the first level with no allow. */
function evaluateLevels(levels: readonly PlacedPolicy[][], context: RequestContext): { denies: StatementRef[]; allows: StatementRef[]; levelWithoutAllow?: number } {
  const denies: StatementRef[] = [];
  const allows: StatementRef[] = [];
  let levelWithoutAllow: number | undefined;
  levels.forEach((level, index) => {
    const outcome = evaluateLayer(level, context, false);
    denies.push(...outcome.denies);
    allows.push(...outcome.allows);
    if (outcome.allows.length === 0 && levelWithoutAllow === undefined) levelWithoutAllow = index;
  });
  return levelWithoutAllow === undefined ? { denies, allows } : { denies, allows, levelWithoutAllow };
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
  const resourceKind = input.resourcePolicyKind ?? 'resource';
  const identity = place(input.identityPolicies, 'identity', 'identity');
  const boundary = input.permissionsBoundary ? place([input.permissionsBoundary], 'boundary', 'boundary') : [];
  const session = place(input.sessionPolicies, 'session', 'session');
  const resource = input.resourcePolicy ? place([input.resourcePolicy], 'resource', resourceKind === 'trust' ? 'trust' : 'resource') : [];
  const scpLevels = (input.serviceControlPolicies ?? []).map((level, i) => place(level, 'scp', 'scp', i));
  const rcpLevels = (input.resourceControlPolicies ?? []).map((level, i) => place(level, 'rcp', 'rcp', i));

  const verdict = decide(context, input, { identity, boundary, session, resource, scpLevels, rcpLevels });
  const result: EvaluationResult = {
    decision: verdict.decision,
    decisive: verdict.decisive,
    missingContextKeys: context.missingKeys ? [...context.missingKeys].sort() : [],
  };
  if (options.explain) {
    const all = [...scpLevels.flat(), ...rcpLevels.flat(), ...resource, ...identity, ...boundary, ...session];
    const explanation: Explanation = {
      summary: verdict.summary,
      statements: all.flatMap((placed) =>
        placed.policy.body.statements.map((statement) => explainStatement(statement, refOf(placed, statement), context)),
      ),
    };
    if (verdict.deniedBy) explanation.deniedBy = verdict.deniedBy;
    result.explain = explanation;
  }
  return result;
}

interface Layers {
  identity: PlacedPolicy[];
  boundary: PlacedPolicy[];
  session: PlacedPolicy[];
  resource: PlacedPolicy[];
  scpLevels: PlacedPolicy[][];
  rcpLevels: PlacedPolicy[][];
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

function decide(context: RequestContext, input: EvaluationInput, layers: Layers): Verdict {
  const principal = context.principal;
  const resourceAccount = context.resourceAccount;
  const hasBoundary = layers.boundary.length > 0;
  // A federated-user session (GetFederationToken) has only what its session policy allows: with none
  // passed it has no permissions (STS API_GetFederationToken.html).
  const hasSession = layers.session.length > 0 || principal.kind === 'federated-user';
  // SCPs bind the IAM principals of member accounts, their root users included, but not the management
  // account nor service-linked roles; RCPs bind the resources of member accounts.
  const inManagementAccount = (account: string | undefined) => input.managementAccount !== undefined && account === input.managementAccount;
  const scpApplies = layers.scpLevels.length > 0 && IAM_PRINCIPALS.has(principal.kind) && !inManagementAccount(principal.account) && !principal.serviceLinked;
  const rcpApplies = layers.rcpLevels.length > 0 && !inManagementAccount(resourceAccount);
  const identityApplies = IAM_PRINCIPALS.has(principal.kind);

  const scp = scpApplies ? evaluateLevels(layers.scpLevels, context) : undefined;
  const rcp = rcpApplies ? evaluateLevels(layers.rcpLevels, context) : undefined;
  const resource = evaluateLayer(layers.resource, context, hasBoundary);
  const identity = identityApplies ? evaluateLayer(layers.identity, context, hasBoundary) : undefined;
  const boundary = identityApplies && hasBoundary ? evaluateLayer(layers.boundary, context, hasBoundary) : undefined;
  const session = identityApplies && hasSession ? evaluateLayer(layers.session, context, hasBoundary) : undefined;

  const denies = [
    ...(scp?.denies ?? []),
    ...(rcp?.denies ?? []),
    ...resource.denies,
    ...(identity?.denies ?? []),
    ...(boundary?.denies ?? []),
    ...(session?.denies ?? []),
  ];
  if (denies.length > 0) return explicitDeny(denies);
  if (rcp?.levelWithoutAllow !== undefined) return implicitDeny('rcp');
  if (scp?.levelWithoutAllow !== undefined) return implicitDeny('scp');

  const guardrails = [...(scp?.allows ?? []), ...(rcp?.allows ?? [])];
  const allowed = (decisive: StatementRef[], summary: string): Verdict => ({ decision: 'Allow', decisive: [...guardrails, ...decisive], summary });

  // The caller's own side: identity policies (the root user needs none), capped by boundary and session.
  const boundaryAllows = !hasBoundary || (boundary?.allows.length ?? 0) > 0;
  const sessionAllows = !hasSession || (session?.allows.length ?? 0) > 0;
  const identityAllows = principal.kind === 'root' || (identity?.allows.length ?? 0) > 0;
  const identityPath = identityApplies && identityAllows && boundaryAllows && sessionAllows;
  const identityDecisive = [...(identity?.allows ?? []), ...(boundary?.allows ?? []), ...(session?.allows ?? [])];
  const identityShortfall = (): PolicyType => (!identityAllows ? 'identity' : !boundaryAllows ? 'boundary' : 'session');

  const grants = (kinds: (kind: PrincipalMatchKind) => boolean) => resource.allows.filter((_, i) => kinds(resource.allowKinds[i]!));
  const crossAccount = principal.account !== undefined && !!resourceAccount && principal.account !== resourceAccount;

  if (principal.kind === 'anonymous') {
    const open = grants((kind) => kind === 'wildcard');
    return open.length > 0 ? allowed(open, 'Allowed: the resource-based policy allows anonymous access.') : implicitDeny('resource');
  }

  if (crossAccount) {
    // Evaluated in both accounts: the resource policy must name the caller (or its account) and the
    // caller's own policies must allow (reference_policies_evaluation-logic-cross-account.html).
    if (resource.allows.length === 0) {
      return implicitDeny('resource', 'Implicitly denied: cross-account access needs a resource-based policy that allows the caller.');
    }
    if (!identityPath) return implicitDeny(identityShortfall());
    return allowed([...resource.allows, ...identityDecisive], 'Allowed: the resource-based policy and the caller\'s own policies both allow this cross-account request.');
  }

  // Same account. A grant naming a user, session, `*`, a service or a federated provider stands alone;
  // a grant naming the role is still capped by its boundary and session policies.
  const direct = grants((kind) => DIRECT_GRANTS.has(kind));
  if (direct.length > 0) return allowed(direct, 'Allowed: a resource-based policy grants the caller directly.');
  const roleGrants = grants((kind) => kind === 'role');
  if (roleGrants.length > 0 && boundaryAllows && sessionAllows) {
    return allowed([...roleGrants, ...(boundary?.allows ?? []), ...(session?.allows ?? [])], 'Allowed: a resource-based policy grants the caller\'s role.');
  }

  if (input.resourcePolicyKind === 'trust' || input.resourcePolicyKind === 'key') {
    // A trust or key policy must allow the caller itself; naming the account delegates to the account's
    // identity policies, but an identity allow alone is never enough.
    const accountGrants = grants((kind) => kind === 'account');
    if (accountGrants.length === 0) {
      return implicitDeny('resource', `Implicitly denied: the ${input.resourcePolicyKind === 'trust' ? 'role trust policy' : 'key policy'} does not allow the caller.`);
    }
    if (!identityPath) return implicitDeny(identityShortfall());
    return allowed([...accountGrants, ...identityDecisive], 'Allowed: the policy trusts the caller\'s account and the caller\'s own policies allow.');
  }

  if (roleGrants.length > 0 && !identityPath) return implicitDeny(!boundaryAllows ? 'boundary' : 'session');
  if (!identityApplies) return implicitDeny('resource');
  if (!identityPath) return implicitDeny(identityShortfall());
  return allowed(identityDecisive, principal.kind === 'root' ? 'Allowed: the account\'s root user is not limited by identity-based policies.' : 'Allowed: an identity-based policy allows the action.');
}

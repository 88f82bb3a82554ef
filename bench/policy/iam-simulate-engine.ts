/**
 * The peer: @cloud-copilot/iam-simulate (AGPL, a devDependency used only here), called as a black box
 * through its documented API. `runSimulation` validates the request and policies first (the README's
 * entry point); `runUnsafeSimulation` skips validation and is its fastest path.
 */
import {
  getDenialReasons,
  getGrantReasons,
  runSimulation,
  runUnsafeSimulation,
  type EvaluationResult,
  type RequestDenial,
  type RequestGrant,
  type Simulation,
} from '@cloud-copilot/iam-simulate';
import type { Decision } from '../../src/policy/types.js';
import type { BenchCase, NamedPolicy, PolicySet } from './workload.js';

const DECISIONS: Record<EvaluationResult, Decision> = {
  Allowed: 'Allow',
  ExplicitlyDenied: 'ExplicitDeny',
  ImplicitlyDenied: 'ImplicitDeny',
};

const named = (policy: NamedPolicy): { name: string; policy: unknown } => ({ name: policy.name, policy: policy.document });

function simulationPolicies(policies: PolicySet): Omit<Simulation, 'request'> {
  return {
    identityPolicies: policies.identity.map(named),
    serviceControlPolicies: (policies.scpLevels ?? []).map((level, index) => ({ orgIdentifier: `level-${index}`, policies: level.map(named) })),
    resourceControlPolicies: [],
    ...(policies.boundary ? { permissionBoundaryPolicies: [named(policies.boundary)] } : {}),
    ...(policies.session ? { sessionPolicy: policies.session.document } : {}),
  };
}

/** Translates one benchmark case into iam-simulate's Simulation. */
export function toSimulation(benchCase: BenchCase): Simulation {
  const { request } = benchCase;
  return {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: request.context,
    },
    ...simulationPolicies(benchCase.policies),
  };
}

export interface ValidatedOutcome {
  decision?: Decision;
  /** Why iam-simulate refused to simulate the request, if it did. */
  error?: string;
}

/** The documented, validating entry point. */
export async function decideValidated(simulation: Simulation): Promise<ValidatedOutcome> {
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') return { error: JSON.stringify(result.errors) };
  return { decision: DECISIONS[result.overallResult] };
}

/** The fastest entry point: no validation, synchronous. */
export function decideUnsafe(simulation: Simulation): Decision {
  return DECISIONS[runUnsafeSimulation(simulation, {})];
}

function describeDenial(denial: RequestDenial): string {
  if (denial.denialType === 'Implicit') return `no allow in ${denial.policyType}${denial.identifier ? ` ${denial.identifier}` : ''}`;
  return `deny in ${denial.policyType} ${denial.policyIdentifier ?? ''}#${denial.statementId ?? denial.statementIndex}`;
}

function describeGrant(grant: RequestGrant): string {
  return `allow in ${grant.policyType} ${'policyIdentifier' in grant ? grant.policyIdentifier : ''}#${grant.statementId ?? grant.statementIndex}`;
}

/** Which statements iam-simulate says decided, to describe a disagreement (not timed). */
export async function explainPeerDecision(simulation: Simulation): Promise<string> {
  const result = await runSimulation(simulation, {});
  if (result.resultType !== 'single') return result.resultType;
  const { analysis } = result.result;
  const reasons = analysis.result === 'Allowed' ? getGrantReasons(analysis).map(describeGrant) : getDenialReasons(analysis).map(describeDenial);
  return reasons.join('; ') || 'no reason given';
}

/**
 * Rolecall's side: every distinct policy is compiled once, before timing, and each request becomes an
 * EvaluationInput holding the compiled handles, so the timed loop measures `evaluate()` alone.
 */
import { compilePolicy, evaluate } from '../../src/policy/index.js';
import type { CompiledPolicyRef, Decision, EvaluationInput, PolicyKind, StatementRef } from '../../src/policy/types.js';
import type { BenchCase, NamedPolicy, PolicySet } from './workload.js';

type Compiler = (policy: NamedPolicy, kind: PolicyKind) => CompiledPolicyRef;

/** Compiles each NamedPolicy object once, however many requests share it. */
function memoizedCompiler(): Compiler {
  const compiled = new Map<NamedPolicy, CompiledPolicyRef>();
  return (policy, kind) => {
    let ref = compiled.get(policy);
    if (!ref) {
      ref = compilePolicy(policy.document, { kind, name: policy.name });
      compiled.set(policy, ref);
    }
    return ref;
  };
}

function compiledPolicies(policies: PolicySet, compile: Compiler): Omit<EvaluationInput, 'request'> {
  return {
    identityPolicies: policies.identity.map((policy) => compile(policy, 'identity')),
    ...(policies.boundary ? { permissionsBoundary: compile(policies.boundary, 'boundary') } : {}),
    ...(policies.session ? { sessionPolicies: [compile(policies.session, 'session')] } : {}),
    ...(policies.scpLevels ? { serviceControlPolicies: policies.scpLevels.map((level) => level.map((policy) => compile(policy, 'scp'))) } : {}),
  };
}

/** Compiles every policy of the workload and builds one EvaluationInput per case. */
export function toEvaluationInputs(cases: readonly BenchCase[]): EvaluationInput[] {
  const compile = memoizedCompiler();
  const bySet = new Map<PolicySet, Omit<EvaluationInput, 'request'>>();
  return cases.map(({ request, policies }) => {
    let compiled = bySet.get(policies);
    if (!compiled) {
      compiled = compiledPolicies(policies, compile);
      bySet.set(policies, compiled);
    }
    return { request: { ...request }, ...compiled };
  });
}

export function decide(input: EvaluationInput): Decision {
  return evaluate(input).decision;
}

function describeStatement(ref: StatementRef): string {
  const level = ref.level === undefined ? '' : ` level ${ref.level}`;
  return `${ref.effect} in ${ref.policyType}${level} ${ref.policyName ?? ref.policyIndex}#${ref.sid ?? ref.statementIndex}`;
}

/** The statements that decided, to describe a disagreement (not timed). */
export function explainDecision(input: EvaluationInput): string {
  const result = evaluate(input, { explain: true });
  const decisive = result.decisive.map(describeStatement);
  if (result.decision === 'ImplicitDeny') decisive.unshift(`no allow in ${result.explain?.deniedBy ?? '?'}`);
  return decisive.join('; ') || 'no statement given';
}

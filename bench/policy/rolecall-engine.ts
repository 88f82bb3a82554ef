/**
 * Rolecall's side. Warm: every distinct policy is compiled once, before timing, and each request becomes
 * an EvaluationInput holding the compiled handles, so the timed loop measures `evaluate()` alone. Cold:
 * each decision hands `evaluate()` its policies as JSON text never seen before (a serial number in the
 * policy's Id makes every document new), so the timed loop measures parse, validate, compile, evaluate.
 */
import { compilePolicy, evaluate } from '../../src/policy/index.js';
import type { CompiledPolicyRef, Decision, EvaluationInput, PolicyInput, PolicyKind, StatementRef } from '../../src/policy/types.js';
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

/** A policy as JSON text with a gap for its Id: `before + id + after` is the whole document. */
interface ColdPolicy {
  name: string;
  before: string;
  after: string;
}

/** One request whose policies are rewritten, each time it is decided, as documents never seen before. */
export interface ColdInput {
  request: EvaluationInput['request'];
  identity: ColdPolicy[];
  boundary?: ColdPolicy;
  session?: ColdPolicy;
  scpLevels?: ColdPolicy[][];
}

const ID_GAP = 'rolecall-bench-id-gap';

function coldPolicy(policy: NamedPolicy): ColdPolicy {
  const text = JSON.stringify({ ...policy.document, Id: ID_GAP });
  const gap = text.indexOf(ID_GAP);
  return { name: policy.name, before: text.slice(0, gap), after: text.slice(gap + ID_GAP.length) };
}

export function toColdInputs(cases: readonly BenchCase[]): ColdInput[] {
  return cases.map(({ request, policies }) => ({
    request: { ...request },
    identity: policies.identity.map(coldPolicy),
    ...(policies.boundary ? { boundary: coldPolicy(policies.boundary) } : {}),
    ...(policies.session ? { session: coldPolicy(policies.session) } : {}),
    ...(policies.scpLevels ? { scpLevels: policies.scpLevels.map((level) => level.map(coldPolicy)) } : {}),
  }));
}

let serial = 0;

function fresh(policy: ColdPolicy): PolicyInput {
  return { name: policy.name, document: `${policy.before}cold-${serial++}${policy.after}` };
}

/** The request with each of its policies as a document the engine has not seen. */
function freshEvaluation(input: ColdInput): EvaluationInput {
  const evaluation: EvaluationInput = { request: input.request, identityPolicies: input.identity.map(fresh) };
  if (input.boundary) evaluation.permissionsBoundary = fresh(input.boundary);
  if (input.session) evaluation.sessionPolicies = [fresh(input.session)];
  if (input.scpLevels) evaluation.serviceControlPolicies = input.scpLevels.map((level) => level.map(fresh));
  return evaluation;
}

/** Decides with every policy new to the engine: evaluate() parses, validates and compiles each one. */
export function decideCold(input: ColdInput): Decision {
  return evaluate(freshEvaluation(input)).decision;
}

/** The statements that decided a cold request (not timed). */
export function explainColdDecision(input: ColdInput): string {
  return explainDecision(freshEvaluation(input));
}

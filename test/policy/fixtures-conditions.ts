/**
 * Shared shapes for the condition, variable and multivalue evaluation tests: a request made by one IAM
 * user against one S3 object, judged by one identity policy, so that each test shows only the condition
 * (or variable) under study.
 */
import assert from 'node:assert/strict';
import { evaluate } from '../../src/policy/index.js';
import { AwsError } from '../../src/policy/errors.js';
import type { ContextValue, Decision, EvaluationResult } from '../../src/policy/types.js';

export const ACCOUNT = '111122223333';
export const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
export const ALICE_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/alice-session`;
export const OBJECT = 'arn:aws:s3:::example-bucket/report.txt';

/** AWS pages cited in test names. */
export const OPERATORS_PAGE = 'reference_policies_elements_condition_operators.html';
export const CONDITION_PAGE = 'reference_policies_elements_condition.html';
export const MULTIPLE_VALUES_PAGE = 'reference_policies_condition-logic-multiple-context-keys-or-values.html';
export const MULTIVALUED_PAGE = 'reference_policies_condition-single-vs-multi-valued-context-keys.html';
export const MULTIVALUED_EXAMPLES_PAGE = 'reference_policies_condition_examples-multi-valued-context-keys.html';
export const SET_OPERATORS_PAGE = 'reference_policies_multi-value-conditions.html';
export const VARIABLES_PAGE = 'reference_policies_variables.html';
export const GLOBAL_KEYS_PAGE = 'reference_policies_condition-keys.html';

export type Condition = Record<string, Record<string, unknown>>;
export type Context = Record<string, ContextValue>;

export interface RequestShape {
  principal?: string;
  action?: string;
  resource?: string;
  context?: Context;
}

export interface StatementShape {
  effect?: 'Allow' | 'Deny';
  action?: string | string[];
  resource?: string | string[];
  notResource?: string | string[];
  condition?: Condition;
}

/** A statement as JSON; by default it allows s3:GetObject on every resource. */
export function statement(shape: StatementShape = {}): Record<string, unknown> {
  const json: Record<string, unknown> = { Effect: shape.effect ?? 'Allow', Action: shape.action ?? 's3:GetObject' };
  if (shape.notResource !== undefined) json.NotResource = shape.notResource;
  else json.Resource = shape.resource ?? '*';
  if (shape.condition !== undefined) json.Condition = shape.condition;
  return json;
}

/** A policy document; `version: null` leaves the Version element out. */
export function policyDocument(statements: StatementShape[], version: string | null = '2012-10-17'): Record<string, unknown> {
  const document: Record<string, unknown> = { Statement: statements.map(statement) };
  return version === null ? document : { Version: version, ...document };
}

/** Evaluates one identity policy made of the given statements against a request by alice (by default). */
export function evaluateStatements(statements: StatementShape[], request: RequestShape = {}, version: string | null = '2012-10-17'): EvaluationResult {
  return evaluate({
    request: {
      principal: request.principal ?? ALICE,
      action: request.action ?? 's3:GetObject',
      resource: request.resource ?? OBJECT,
      context: request.context ?? {},
    },
    identityPolicies: [{ name: 'ConditionUnderTest', document: policyDocument(statements, version) }],
  });
}

/**
 * One Allow statement guarded by the condition: Allow when it holds, ImplicitDeny when it does not.
 * The statement names the request's action and every resource, so only the condition decides.
 */
export function evaluateAllowWhen(condition: Condition, context: Context = {}, request: RequestShape = {}): EvaluationResult {
  const action = request.action ?? 's3:GetObject';
  return evaluateStatements([{ action, condition }], { ...request, action, context });
}

/** An unconditional Allow followed by a Deny guarded by the condition: ExplicitDeny when it holds, else Allow. */
export function evaluateDenyWhen(condition: Condition, context: Context = {}, request: RequestShape = {}): EvaluationResult {
  const action = request.action ?? 's3:GetObject';
  return evaluateStatements([{ action }, { effect: 'Deny', action, condition }], { ...request, action, context });
}

export function decisionOfAllowWhen(condition: Condition, context: Context = {}, request: RequestShape = {}): Decision {
  return evaluateAllowWhen(condition, context, request).decision;
}

export function decisionOfDenyWhen(condition: Condition, context: Context = {}, request: RequestShape = {}): Decision {
  return evaluateDenyWhen(condition, context, request).decision;
}

/** Asserts that the statement at `statementIndex` of the identity policy decided the request. */
export function assertDecidedBy(result: EvaluationResult, statementIndex: number, effect: 'Allow' | 'Deny'): void {
  const found = result.decisive.some(
    (ref) => ref.policyType === 'identity' && ref.statementIndex === statementIndex && ref.effect === effect,
  );
  assert.ok(found, `expected identity statement ${statementIndex} (${effect}) among ${JSON.stringify(result.decisive)}`);
}

/** Asserts that the evaluation reported the key as missing (key names compare case-insensitively). */
export function assertMissingKey(result: EvaluationResult, key: string): void {
  const missing = result.missingContextKeys.map((name) => name.toLowerCase());
  assert.ok(missing.includes(key.toLowerCase()), `expected ${key} among missing keys ${JSON.stringify(result.missingContextKeys)}`);
}

/**
 * Asserts that a policy grants nothing for the request. AWS documents some constructs (a variable
 * before the fifth colon of a Resource ARN, a variable in Action, a variable under a Numeric operator)
 * only as "not substituted"; refusing such a document as malformed also grants nothing, so both pass.
 */
export function assertNotAllowed(run: () => EvaluationResult): void {
  let result: EvaluationResult;
  try {
    result = run();
  } catch (error) {
    assert.ok(error instanceof AwsError && error.code === 'MalformedPolicyDocument', `unexpected error: ${String(error)}`);
    return;
  }
  assert.notEqual(result.decision, 'Allow');
}

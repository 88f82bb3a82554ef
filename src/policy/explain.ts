/**
 * Explanations: for one statement, which of action, resource, principal and condition matched the request
 * and why not. Built only when asked, by re-testing each pattern on its own, so the hot path stays lean.
 */
import type { CompiledStatement } from './compile.js';
import type { RequestContext } from './request-context.js';
import type { ConditionMatch, ElementMatch, PolicyType, StatementExplanation, StatementRef } from './types.js';
import { compileArnPattern, compileGlob } from './wildcard.js';

const LAYER_NAMES: Record<PolicyType, string> = {
  identity: 'identity-based policy',
  boundary: 'permissions boundary',
  session: 'session policy',
  resource: 'resource-based policy',
  scp: 'service control policy',
  rcp: 'resource control policy',
};

/** "an identity-based policy", "a session policy". */
export function withArticle(phrase: string): string {
  return /^[aeiou]/i.test(phrase) ? `an ${phrase}` : `a ${phrase}`;
}

/** The phrase AWS uses for a policy type in AccessDenied messages. */
export function layerName(type: PolicyType): string {
  return LAYER_NAMES[type];
}

function explainList(
  element: 'Action' | 'Resource',
  value: string,
  patterns: readonly string[] | undefined,
  negatedPatterns: readonly string[] | undefined,
  matchedOverall: boolean,
  matches: (pattern: string) => boolean,
): ElementMatch {
  if (patterns) {
    const hit = patterns.find(matches);
    if (matchedOverall) return { matched: true, detail: hit ? `"${value}" matches ${element} "${hit}"` : `"${value}" matches ${element}` };
    return { matched: false, detail: `no ${element} entry matches "${value}"` };
  }
  if (negatedPatterns) {
    const hit = negatedPatterns.find(matches);
    if (matchedOverall) return { matched: true, detail: `"${value}" is not excluded by Not${element}` };
    return { matched: false, detail: hit ? `"${value}" is excluded by Not${element} "${hit}"` : `"${value}" is excluded by Not${element}` };
  }
  return { matched: matchedOverall, detail: `the statement has no ${element} element` };
}

function explainConditions(statement: CompiledStatement, context: RequestContext): ConditionMatch | undefined {
  if (statement.conditions.length === 0) return undefined;
  const entries = statement.conditions.map((condition) => {
    const requestValues = condition.requestValues(context);
    const entry: ConditionMatch['entries'][number] = {
      operator: condition.entry.operator,
      key: condition.entry.key,
      values: condition.entry.values,
      matched: condition.test(context),
    };
    if (requestValues === undefined || requestValues.length === 0) entry.missing = true;
    else entry.requestValues = requestValues;
    return entry;
  });
  return { matched: entries.every((e) => e.matched), entries };
}

function explainPrincipal(statement: CompiledStatement, context: RequestContext): ElementMatch | undefined {
  const principal = context.principal;
  if (statement.principal) {
    const kind = statement.principal.match(principal, context);
    return kind
      ? { matched: true, detail: `Principal names the caller (${kind === 'wildcard' ? '"*"' : kind})` }
      : { matched: false, detail: `Principal does not name "${principal.text}"` };
  }
  if (statement.notPrincipal) {
    const exempt = statement.notPrincipal.exempts(principal, context);
    return exempt
      ? { matched: false, detail: `"${principal.text}" and its account are listed in NotPrincipal` }
      : { matched: true, detail: `"${principal.text}" is not exempted by NotPrincipal` };
  }
  return undefined;
}

/** Explains one statement against the request. */
export function explainStatement(statement: CompiledStatement, ref: StatementRef, context: RequestContext): StatementExplanation {
  const { action, notAction, resource, notResource } = statement.statement;
  const actionMatched = statement.matchesAction(context);
  const resourceMatched = statement.matchesResource(context);
  const actionMatch = explainList('Action', context.request.action, action, notAction, actionMatched, (p) =>
    compileGlob(p, true)(context.actionLower),
  );
  const resourceMatch = explainList('Resource', context.resource, resource, notResource, resourceMatched, (p) =>
    p.includes('${') ? false : compileArnPattern(p)(context.resource),
  );
  const principal = explainPrincipal(statement, context);
  const condition = explainConditions(statement, context);
  const explanation: StatementExplanation = {
    ...ref,
    applies: actionMatched && resourceMatched && (principal?.matched ?? true) && (condition?.matched ?? true),
    action: actionMatch,
    resource: resourceMatch,
  };
  if (principal) explanation.principal = principal;
  if (condition) explanation.condition = condition;
  return explanation;
}

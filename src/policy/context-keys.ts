/**
 * The context keys policies refer to (API_GetContextKeysForCustomPolicy.html): the keys their Condition
 * blocks test and the policy variables (reference_policies_variables.html) they substitute — exactly the
 * places the evaluator reads the request context, so a simulation that supplies these keys lacks none.
 */
import { parseConditionOperator } from './condition-operators.js';
import type { PolicyDocument, Statement } from './types.js';
import { parseTemplate, resourceTemplate, type TemplatePart } from './variables.js';

/**
 * Every context key the documents refer to, each once (key names are case-insensitive: the first spelling
 * met is kept), in the order met: document by document, statement by statement, the variables of
 * Resource/NotResource first, then each condition key followed by the variables of its values.
 */
export function referencedContextKeys(documents: Iterable<PolicyDocument>): string[] {
  const keys = new Map<string, string>();
  const add = (key: string) => {
    const lower = key.toLowerCase();
    if (!keys.has(lower)) keys.set(lower, key);
  };
  for (const document of documents) {
    // Only 2012-10-17 documents substitute variables; in older ones `${...}` is literal text.
    const variables = document.version === '2012-10-17';
    for (const statement of document.statements) statementKeys(statement, variables).forEach(add);
  }
  return [...keys.values()];
}

function statementKeys(statement: Statement, variables: boolean): string[] {
  const keys: string[] = [];
  if (variables) {
    for (const entry of [...(statement.resource ?? []), ...(statement.notResource ?? [])]) {
      keys.push(...variableKeys(resourceTemplate(entry)?.parts));
    }
  }
  for (const condition of statement.condition ?? []) {
    keys.push(condition.key);
    // Numeric, Date, Binary, IP and Null operators take their values literally.
    if (variables && parseConditionOperator(condition.operator)?.base.variables) {
      for (const value of condition.values) keys.push(...variableKeys(parseTemplate(value)));
    }
  }
  return keys;
}

function variableKeys(parts: readonly TemplatePart[] | undefined): string[] {
  return (parts ?? []).flatMap((part) => (part.kind === 'variable' ? [part.key] : []));
}

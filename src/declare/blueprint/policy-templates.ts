/**
 * Parameterized policy templates (seed 000's `policy-rw-s3.json` with BUCKET and KMS_KEY_ARN, ...):
 * a JSON policy document whose strings (values and keys) contain `${NAME}` placeholders, NAME in
 * capitals. Filling is safe by construction: the template is parsed as JSON first and values are put
 * into the parsed strings, then the document is serialized again, so a value can never end a string,
 * add a statement or change any structure. A value's `$` is written `${$}` in documents whose
 * Version enables policy variables, so a value cannot smuggle in `${aws:username}` either. IAM policy
 * variables of the template itself (`${aws:PrincipalTag/team}`) are left as they are.
 */
import { BlueprintError } from './blueprint-error.js';

/** spec.policyTemplates[i]. */
export interface PolicyTemplate {
  name: string;
  /** The placeholders the document uses, every one of them. */
  parameters: string[];
  document: string;
}

const PLACEHOLDER = /\$\{([A-Z][A-Z0-9_]*)\}/g;

function walkStrings(value: unknown, visit: (text: string) => string): unknown {
  if (typeof value === 'string') return visit(value);
  if (Array.isArray(value)) return value.map((item) => walkStrings(item, visit));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [visit(key), walkStrings(child, visit)]));
  }
  return value;
}

/** Parses a template's document and checks its placeholders against its declared parameters. */
export function checkPolicyTemplate(template: PolicyTemplate, field: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(template.document);
  } catch (error) {
    throw new BlueprintError(`${field}.document`, `not JSON (placeholders belong inside strings): ${(error as Error).message}`);
  }
  const used = new Set<string>();
  walkStrings(parsed, (text) => {
    for (const match of text.matchAll(PLACEHOLDER)) used.add(match[1]!);
    return text;
  });
  const declared = new Set(template.parameters);
  for (const name of used) if (!declared.has(name)) throw new BlueprintError(`${field}.document`, `uses \${${name}}, which is not in ${field}.parameters`);
  for (const name of declared) if (!used.has(name)) throw new BlueprintError(`${field}.parameters`, `${name} is declared but the document never uses \${${name}}`);
  return parsed;
}

/**
 * The template's document with every placeholder filled, as compact JSON. A placeholder without a
 * value, or a value for a name the template does not declare, is an error naming it.
 */
export function fillPolicyTemplate(template: PolicyTemplate, values: Readonly<Record<string, string>>, field: string, templateField: string): string {
  const parsed = checkPolicyTemplate(template, templateField);
  for (const name of Object.keys(values)) {
    if (!template.parameters.includes(name)) throw new BlueprintError(`${field}.values.${name}`, `template ${template.name} has no parameter ${name} (it has ${template.parameters.join(', ')})`);
  }
  for (const name of template.parameters) {
    if (!Object.hasOwn(values, name)) throw new BlueprintError(`${field}.values`, `template variable ${name} of ${template.name} is left unfilled`);
  }
  const variablesActive = typeof parsed === 'object' && parsed !== null && (parsed as { Version?: unknown }).Version === '2012-10-17';
  const escape = (value: string) => (variablesActive ? value.replace(/\$/g, () => '${$}') : value);
  const filled = walkStrings(parsed, (text) => text.replace(PLACEHOLDER, (_, name: string) => escape(values[name]!)));
  return JSON.stringify(filled);
}

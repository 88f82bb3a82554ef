/**
 * Label and field selectors as the API server parses them: equality (`=`, `==`, `!=`), set-based
 * (`in`, `notin`), existence (`key`, `!key`); fields `metadata.name` and `metadata.namespace`.
 */

/** A selector the API server rejects (answered with 400 BadRequest). */
export class SelectorError extends Error {}

type Requirement = (values: Record<string, string>) => boolean;

/** Splits on commas that are not inside a `( ... )` value set. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

function parseRequirement(text: string): Requirement {
  let match = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (match) {
    const [, key, operator, list] = match as unknown as [string, string, string, string];
    const set = new Set(list.split(',').map((value) => value.trim()));
    return operator === 'in' ? (values) => key in values && set.has(values[key]!) : (values) => !(key in values) || !set.has(values[key]!);
  }
  match = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (match) {
    const [, key, operator, value] = match as unknown as [string, string, string, string];
    return operator === '!=' ? (values) => values[key] !== value : (values) => values[key] === value;
  }
  match = /^(!?)([^=!\s()]+)$/.exec(text);
  if (match) {
    const [, negated, key] = match as unknown as [string, string, string];
    return negated ? (values) => !(key in values) : (values) => key in values;
  }
  throw new SelectorError(`unable to parse requirement: ${JSON.stringify(text)}`);
}

/** A compiled selector: true when every requirement holds for the given key/value map. */
export function compileSelector(selector: string | undefined): (values: Record<string, string>) => boolean {
  const requirements = splitRequirements(selector ?? '').map(parseRequirement);
  return (values) => requirements.every((requirement) => requirement(values));
}

const FIELDS = new Set(['metadata.name', 'metadata.namespace']);

/** A field selector over the fields every resource supports. */
export function compileFieldSelector(selector: string | undefined): (object: { metadata: { name?: string; namespace?: string } }) => boolean {
  for (const part of splitRequirements(selector ?? '')) {
    const field = /^([^=!]+)/.exec(part)?.[1]?.trim();
    if (field === undefined || !FIELDS.has(field)) throw new SelectorError(`field label not supported: ${field ?? part}`);
  }
  const matches = compileSelector(selector);
  return (object) => {
    const fields: Record<string, string> = { 'metadata.name': object.metadata.name ?? '' };
    if (object.metadata.namespace !== undefined) fields['metadata.namespace'] = object.metadata.namespace;
    return matches(fields);
  };
}

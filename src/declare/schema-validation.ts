/**
 * Checks a value against an OpenAPI v3 structural schema (schema.ts) the way the Kubernetes API server
 * does under strict field validation: unknown fields, types, required members, enums, ranges, lengths
 * and patterns, each reported as `field: problem` in the API server's wording.
 */
import type { OpenApiSchema } from './schema.js';

/** One problem found in a manifest, located by its field path (`spec.maxSessionDuration`). */
export interface FieldProblem {
  field: string;
  message: string;
}

const patterns = new Map<string, RegExp>();

function compiledPattern(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern, 'u');
    patterns.set(pattern, regex);
  }
  return regex;
}

/** Every problem of `value` against `schema`; empty when it conforms. */
export function checkAgainstSchema(value: unknown, schema: OpenApiSchema, field = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  visit(value, schema, field, problems);
  return problems;
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function conformsToType(value: unknown, type: NonNullable<OpenApiSchema['type']>): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function visit(value: unknown, schema: OpenApiSchema, field: string, problems: FieldProblem[]): void {
  const report = (message: string) => problems.push({ field, message });
  if (schema.type && !conformsToType(value, schema.type)) {
    report(`Invalid value: ${show(value)}: ${field} in body must be of type ${schema.type}: "${typeOf(value)}"`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value as string)) {
    report(`Unsupported value: ${show(value)}: supported values: ${schema.enum.map((v) => `"${v}"`).join(', ')}`);
  }
  if (typeof value === 'string') checkString(value, schema, field, report);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum)
      report(`Invalid value: ${value}: ${field} in body should be greater than or equal to ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      report(`Invalid value: ${value}: ${field} in body should be less than or equal to ${schema.maximum}`);
  }
  if (Array.isArray(value)) checkArray(value, schema, field, problems);
  else if (typeof value === 'object' && value !== null) checkObject(value as Record<string, unknown>, schema, field, problems);
}

function checkString(value: string, schema: OpenApiSchema, field: string, report: (message: string) => void): void {
  if (schema.minLength !== undefined && value.length < schema.minLength)
    report(`Invalid value: ${show(value)}: ${field} in body should be at least ${schema.minLength} chars long`);
  if (schema.maxLength !== undefined && value.length > schema.maxLength)
    report(`Too long: may not be more than ${schema.maxLength} bytes`);
  if (schema.pattern !== undefined && !compiledPattern(schema.pattern).test(value))
    report(`Invalid value: ${show(value)}: ${field} in body should match '${schema.pattern}'`);
}

function checkArray(value: unknown[], schema: OpenApiSchema, field: string, problems: FieldProblem[]): void {
  if (schema.maxItems !== undefined && value.length > schema.maxItems)
    problems.push({ field, message: `Too many: ${value.length}: must have at most ${schema.maxItems} items` });
  if (schema['x-kubernetes-list-type'] === 'set') {
    const seen = new Set<string>();
    value.forEach((item, index) => {
      const key = JSON.stringify(item);
      if (seen.has(key)) problems.push({ field: `${field}[${index}]`, message: `Duplicate value: ${show(item)}` });
      seen.add(key);
    });
  }
  const mapKeys = schema['x-kubernetes-list-map-keys'];
  if (schema['x-kubernetes-list-type'] === 'map' && mapKeys) {
    const seen = new Set<string>();
    value.forEach((item, index) => {
      if (typeof item !== 'object' || item === null) return;
      const key = JSON.stringify(mapKeys.map((name) => (item as Record<string, unknown>)[name]));
      if (seen.has(key)) problems.push({ field: `${field}[${index}]`, message: `Duplicate value: ${mapKeys.map((name) => `${name}=${show((item as Record<string, unknown>)[name])}`).join(', ')}` });
      seen.add(key);
    });
  }
  if (schema.items) value.forEach((item, index) => visit(item, schema.items!, `${field}[${index}]`, problems));
}

function checkObject(value: Record<string, unknown>, schema: OpenApiSchema, field: string, problems: FieldProblem[]): void {
  const prefix = field === '' ? '' : `${field}.`;
  for (const name of schema.required ?? []) {
    if (value[name] === undefined || value[name] === null) problems.push({ field: `${prefix}${name}`, message: 'Required value' });
  }
  if (schema.maxProperties !== undefined && Object.keys(value).length > schema.maxProperties)
    problems.push({ field, message: `Too many: ${Object.keys(value).length}: must have at most ${schema.maxProperties} items` });
  for (const [name, member] of Object.entries(value)) {
    // YAML `key:` with nothing after it is null; the API server drops such members before validating.
    if (member === null) continue;
    const memberSchema = schema.properties?.[name] ?? schema.additionalProperties;
    if (memberSchema) visit(member, memberSchema, `${prefix}${name}`, problems);
    else if (schema.properties && !schema['x-kubernetes-preserve-unknown-fields'])
      problems.push({ field: `${prefix}${name}`, message: `unknown field "${prefix}${name}"` });
  }
}

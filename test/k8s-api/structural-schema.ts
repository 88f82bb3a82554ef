/**
 * What the API server does with a custom resource against its CRD's `openAPIV3Schema`: prune fields the
 * schema does not declare (unless `x-kubernetes-preserve-unknown-fields`), then validate types,
 * `required`, `enum`, numeric bounds, lengths and patterns, with the apiserver's error texts.
 */
import type { FieldError } from './api-errors.js';

/** The subset of a structural schema the double enforces. */
export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  nullable?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: string, value: unknown): boolean {
  const actual = typeOf(value);
  return actual === expected || (expected === 'number' && actual === 'integer');
}

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : isObject(value) || Array.isArray(value) ? `"${typeOf(value)}"` : String(value);
}

/** Removes undeclared fields in place (the schema's pruning) and returns the validation errors. */
export function pruneAndValidate(value: unknown, schema: Schema, path: string, errors: FieldError[] = []): FieldError[] {
  if (value === null) {
    if (!schema.nullable && schema.type !== undefined) errors.push({ field: path, type: 'FieldValueTypeInvalid', text: `Invalid value: "null": ${path} in body must be of type ${schema.type}: "null"` });
    return errors;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && !Number.isInteger(value)) {
      errors.push({ field: path, type: 'FieldValueTypeInvalid', text: `Invalid value: ${shown(value)}: ${path} in body must be of type integer,string: ${shown(typeOf(value))}` });
    }
    return errors;
  }
  if (schema.type !== undefined && !typeMatches(schema.type, value)) {
    errors.push({ field: path, type: 'FieldValueTypeInvalid', text: `Invalid value: ${shown(value)}: ${path} in body must be of type ${schema.type}: "${typeOf(value)}"` });
    return errors;
  }
  if (schema.enum !== undefined && !schema.enum.some((allowed) => allowed === value)) {
    errors.push({ field: path, type: 'FieldValueNotSupported', text: `Unsupported value: ${shown(value)}: supported values: ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}` });
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      errors.push({ field: path, type: 'FieldValueInvalid', text: `Invalid value: ${value}: ${path} in body should be greater than or equal to ${schema.minimum}` });
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      errors.push({ field: path, type: 'FieldValueInvalid', text: `Invalid value: ${value}: ${path} in body should be less than or equal to ${schema.maximum}` });
    }
  }
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      errors.push({ field: path, type: 'FieldValueInvalid', text: `Too long: may not be more than ${schema.maxLength} bytes` });
    }
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      errors.push({ field: path, type: 'FieldValueInvalid', text: `Invalid value: ${shown(value)}: ${path} in body should be at least ${schema.minLength} chars long` });
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      errors.push({ field: path, type: 'FieldValueInvalid', text: `Invalid value: ${shown(value)}: ${path} in body should match '${schema.pattern}'` });
    }
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      errors.push({ field: path, type: 'FieldValueInvalid', text: `Too many: ${value.length}: must have at most ${schema.maxItems} items` });
    }
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      errors.push({ field: path, type: 'FieldValueInvalid', text: `Invalid value: ${value.length}: ${path} in body should have at least ${schema.minItems} items` });
    }
    if (schema.items) value.forEach((item, index) => pruneAndValidate(item, schema.items!, `${path}[${index}]`, errors));
  }
  if (isObject(value)) validateObject(value, schema, path, errors);
  return errors;
}

function validateObject(value: Record<string, unknown>, schema: Schema, path: string, errors: FieldError[]): void {
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  // An embedded resource keeps its own apiVersion/kind/metadata whatever the schema lists.
  const embeddedKeys = schema['x-kubernetes-embedded-resource'] ? new Set(['apiVersion', 'kind', 'metadata']) : new Set<string>();
  for (const [key, child] of Object.entries(value)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    const declared = schema.properties?.[key];
    if (declared) pruneAndValidate(child, declared, childPath, errors);
    else if (isObject(schema.additionalProperties)) pruneAndValidate(child, schema.additionalProperties, childPath, errors);
    else if (schema.additionalProperties !== true && !preserve && !embeddedKeys.has(key)) delete value[key];
  }
  for (const key of schema.required ?? []) {
    if (!(key in value)) errors.push({ field: path === '' ? key : `${path}.${key}`, type: 'FieldValueRequired', text: 'Required value' });
  }
}

/**
 * Decodes an AWS Query request (`Action=CreateRole&Version=2010-05-08&RoleName=...&Tags.member.1.Key=...`)
 * into the operation's input object, walking the operation's input shape in the service model.
 * Parameters the shape does not name are ignored, as AWS ignores them.
 */
import { invalidAction, invalidParameterValue, missingAction } from './query-errors.js';
import type { OperationModel, ServiceModel, Shape, ShapeRef } from '../model/service-models.js';

export interface DecodedQueryRequest {
  operation: OperationModel;
  /** The input in the model's member names, e.g. `{ RoleName, Tags: [{ Key, Value }] }`. */
  input: Record<string, unknown>;
}

/** Finds the operation named by `Action` for the model's `Version` and decodes its input. */
export function decodeQueryRequest(model: ServiceModel, params: URLSearchParams): DecodedQueryRequest {
  const action = params.get('Action');
  if (!action) throw missingAction();
  const version = params.get('Version') ?? undefined;
  const operation = model.operation(action);
  // AWS routes by (Action, Version): an operation asked for under another API version does not exist.
  if (!operation || version !== model.metadata.apiVersion) throw invalidAction(action, version);
  const input = operation.input ? decodeStructure(model, model.shape(operation.input.shape), '', new QueryParams(params)) : undefined;
  return { operation, input: input ?? {} };
}

/** The request's parameters, first value winning, with prefix lookups for lists and maps. */
class QueryParams {
  private readonly values = new Map<string, string>();

  constructor(params: URLSearchParams) {
    for (const [key, value] of params) if (!this.values.has(key)) this.values.set(key, value);
  }

  get(key: string): string | undefined {
    return this.values.get(key);
  }

  /** Whether any parameter is `prefix` itself or lies under `prefix.`. */
  hasAnyUnder(prefix: string): boolean {
    if (prefix === '') return this.values.size > 0;
    if (this.values.has(prefix)) return true;
    const dotted = `${prefix}.`;
    for (const key of this.values.keys()) if (key.startsWith(dotted)) return true;
    return false;
  }

  /** The distinct numeric segments N of parameters named `prefix.N` or `prefix.N.…`, in ascending order. */
  indicesUnder(prefix: string): number[] {
    const dotted = `${prefix}.`;
    const indices = new Set<number>();
    for (const key of this.values.keys()) {
      if (!key.startsWith(dotted)) continue;
      const segment = key.slice(dotted.length).split('.', 1)[0] ?? '';
      if (/^\d+$/.test(segment)) indices.add(Number(segment));
    }
    return [...indices].sort((a, b) => a - b);
  }
}

function childKey(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

function decodeStructure(model: ServiceModel, shape: Shape, prefix: string, params: QueryParams): Record<string, unknown> | undefined {
  if (!params.hasAnyUnder(prefix)) return undefined;
  const result: Record<string, unknown> = {};
  for (const [memberName, ref] of Object.entries(shape.members ?? {})) {
    const value = decodeValue(model, ref, childKey(prefix, ref.locationName ?? memberName), params);
    if (value !== undefined) result[memberName] = value;
  }
  return result;
}

function decodeValue(model: ServiceModel, ref: ShapeRef, key: string, params: QueryParams): unknown {
  const shape = model.shape(ref.shape);
  switch (shape.type) {
    case 'structure':
      return decodeStructure(model, shape, key, params);
    case 'list':
      return decodeList(model, ref, shape, key, params);
    case 'map':
      return decodeMap(model, ref, shape, key, params);
    default: {
      const raw = params.get(key);
      return raw === undefined ? undefined : decodeScalar(shape, key, raw);
    }
  }
}

/** `Name.member.N` (or `Name.N` when flattened), N from 1; a bare `Name=` is the empty list. */
function decodeList(model: ServiceModel, ref: ShapeRef, shape: Shape, key: string, params: QueryParams): unknown[] | undefined {
  const memberRef = shape.member as ShapeRef;
  const flattened = ref.flattened === true || shape.flattened === true;
  const itemsPrefix = flattened ? key : `${key}.${memberRef.locationName ?? 'member'}`;
  const indices = params.indicesUnder(itemsPrefix);
  if (indices.length === 0) return params.get(key) === '' ? [] : undefined;
  const items: unknown[] = [];
  for (const index of indices) {
    const item = decodeValue(model, memberRef, `${itemsPrefix}.${index}`, params);
    if (item !== undefined) items.push(item);
  }
  return items;
}

/** `Name.entry.N.key` / `Name.entry.N.value` (or `Name.N.key` when flattened). */
function decodeMap(model: ServiceModel, ref: ShapeRef, shape: Shape, key: string, params: QueryParams): Record<string, unknown> | undefined {
  const keyRef = shape.key as ShapeRef;
  const valueRef = shape.value as ShapeRef;
  const flattened = ref.flattened === true || shape.flattened === true;
  const entriesPrefix = flattened ? key : `${key}.entry`;
  const indices = params.indicesUnder(entriesPrefix);
  if (indices.length === 0) return params.get(key) === '' ? {} : undefined;
  const entries: Array<[string, unknown]> = [];
  for (const index of indices) {
    const entry = `${entriesPrefix}.${index}`;
    const entryKey = decodeValue(model, keyRef, `${entry}.${keyRef.locationName ?? 'key'}`, params);
    if (entryKey === undefined) continue;
    entries.push([String(entryKey), decodeValue(model, valueRef, `${entry}.${valueRef.locationName ?? 'value'}`, params)]);
  }
  // fromEntries defines own properties, so a key such as `__proto__` stays data.
  return Object.fromEntries(entries);
}

function decodeScalar(shape: Shape, key: string, raw: string): unknown {
  switch (shape.type) {
    case 'string':
      return raw;
    case 'integer':
    case 'long':
      if (!/^[+-]?\d+$/.test(raw.trim())) throw invalidParameterValue(key, raw, 'an integer');
      return Number(raw);
    case 'float':
    case 'double': {
      const number = raw.trim() === '' ? Number.NaN : Number(raw);
      if (Number.isNaN(number)) throw invalidParameterValue(key, raw, 'a number');
      return number;
    }
    case 'boolean': {
      const lowered = raw.toLowerCase();
      if (lowered !== 'true' && lowered !== 'false') throw invalidParameterValue(key, raw, 'true or false');
      return lowered === 'true';
    }
    case 'timestamp':
      return decodeTimestamp(key, raw);
    case 'blob':
      return Buffer.from(raw, 'base64');
    default:
      throw new Error(`unsupported query shape type ${shape.type} for ${key}`);
  }
}

/** Query timestamps are ISO 8601; epoch seconds are accepted too (botocore sends them for some formats). */
function decodeTimestamp(key: string, raw: string): string {
  const trimmed = raw.trim();
  const date = /^\d+(\.\d+)?$/.test(trimmed) ? new Date(Number(trimmed) * 1000) : new Date(trimmed);
  if (trimmed === '' || Number.isNaN(date.getTime())) throw invalidParameterValue(key, raw, 'an ISO 8601 timestamp');
  return date.toISOString();
}

/**
 * Decodes an AWS Query request (`Action=CreateRole&Version=2010-05-08&RoleName=...&Tags.member.1.Key=...`)
 * into the operation's input object, walking the operation's input shape in the service model.
 * Parameters the shape does not name are ignored, as AWS ignores them.
 */
import { invalidAction, invalidParameterValue, missingAction } from './query-errors.js';
import type { OperationModel, ServiceModel, Shape, ShapeRef } from '../model/service-models.js';
import { countWork } from '../policy/work-meter.js';

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
  const input = operation.input ? decodeStructure(model, model.shape(operation.input.shape), '', ParameterNode.of(params)) : undefined;
  return { operation, input: input ?? {} };
}

/**
 * The request's parameters as a tree of their dotted names (`Tags.member.1.Key` is Tags → member → 1 →
 * Key), built in one pass, first value winning. Decoding walks the tree, so each parameter is looked at a
 * fixed number of times however many there are: no per-member rescans of every parameter.
 */
class ParameterNode {
  value: string | undefined;
  readonly children = new Map<string, ParameterNode>();

  static of(params: URLSearchParams): ParameterNode {
    const root = new ParameterNode();
    for (const [key, value] of params) {
      let node: ParameterNode = root;
      for (const segment of key.split('.')) {
        countWork(1);
        let child = node.children.get(segment);
        if (!child) {
          child = new ParameterNode();
          node.children.set(segment, child);
        }
        node = child;
      }
      node.value ??= value;
    }
    return root;
  }

  /** Whether the node carries a value or has any parameter under it. */
  get present(): boolean {
    return this.value !== undefined || this.children.size > 0;
  }

  /**
   * The distinct indices N of children named by a decimal number (`member.N`), ascending, each with the
   * child spelled exactly `N` (`01` counts as index 1 but is not its spelling, so it holds no value).
   */
  indexed(): Array<[number, ParameterNode | undefined]> {
    const indices = new Set<number>();
    countWork(this.children.size);
    for (const segment of this.children.keys()) if (/^\d+$/.test(segment)) indices.add(Number(segment));
    return [...indices].sort((a, b) => a - b).map((index) => [index, this.children.get(String(index))]);
  }
}

function childKey(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

/** `node` holds the parameters under `key` (the dotted name, kept for error messages). */
function decodeStructure(model: ServiceModel, shape: Shape, key: string, node: ParameterNode | undefined): Record<string, unknown> | undefined {
  if (!node?.present) return undefined;
  const result: Record<string, unknown> = {};
  for (const [memberName, ref] of Object.entries(shape.members ?? {})) {
    const name = ref.locationName ?? memberName;
    const value = decodeValue(model, ref, childKey(key, name), node.children.get(name));
    if (value !== undefined) result[memberName] = value;
  }
  return result;
}

function decodeValue(model: ServiceModel, ref: ShapeRef, key: string, node: ParameterNode | undefined): unknown {
  if (!node) return undefined;
  countWork(1);
  const shape = model.shape(ref.shape);
  switch (shape.type) {
    case 'structure':
      return decodeStructure(model, shape, key, node);
    case 'list':
      return decodeList(model, ref, shape, key, node);
    case 'map':
      return decodeMap(model, ref, shape, key, node);
    default:
      return node.value === undefined ? undefined : decodeScalar(shape, key, node.value);
  }
}

/** `Name.member.N` (or `Name.N` when flattened), N from 1; a bare `Name=` is the empty list. */
function decodeList(model: ServiceModel, ref: ShapeRef, shape: Shape, key: string, node: ParameterNode): unknown[] | undefined {
  const memberRef = shape.member as ShapeRef;
  const flattened = ref.flattened === true || shape.flattened === true;
  const memberName = memberRef.locationName ?? 'member';
  const itemsKey = flattened ? key : `${key}.${memberName}`;
  const members = (flattened ? node : node.children.get(memberName))?.indexed() ?? [];
  if (members.length === 0) return node.value === '' ? [] : undefined;
  const items: unknown[] = [];
  members.forEach(([index, member]) => {
    const item = decodeValue(model, memberRef, `${itemsKey}.${index}`, member);
    if (item !== undefined) items.push(item);
  });
  return items;
}

/** `Name.entry.N.key` / `Name.entry.N.value` (or `Name.N.key` when flattened). */
function decodeMap(model: ServiceModel, ref: ShapeRef, shape: Shape, key: string, node: ParameterNode): Record<string, unknown> | undefined {
  const keyRef = shape.key as ShapeRef;
  const valueRef = shape.value as ShapeRef;
  const flattened = ref.flattened === true || shape.flattened === true;
  const entriesKey = flattened ? key : `${key}.entry`;
  const entries = (flattened ? node : node.children.get('entry'))?.indexed() ?? [];
  if (entries.length === 0) return node.value === '' ? {} : undefined;
  const keyName = keyRef.locationName ?? 'key';
  const valueName = valueRef.locationName ?? 'value';
  const decoded: Array<[string, unknown]> = [];
  entries.forEach(([index, entry]) => {
    const prefix = `${entriesKey}.${index}`;
    const entryKey = decodeValue(model, keyRef, `${prefix}.${keyName}`, entry?.children.get(keyName));
    if (entryKey !== undefined) decoded.push([String(entryKey), decodeValue(model, valueRef, `${prefix}.${valueName}`, entry?.children.get(valueName))]);
  });
  // fromEntries defines own properties, so a key such as `__proto__` stays data.
  return Object.fromEntries(decoded);
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

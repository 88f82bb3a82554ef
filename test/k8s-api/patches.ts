/**
 * The two patch formats the Kubernetes API accepts for every resource: JSON merge patch (RFC 7386,
 * `application/merge-patch+json`) and JSON patch (RFC 6902, `application/json-patch+json`).
 */

/** A failed patch: the API server answers it with 422 (JSON patch test/path errors) or 400 (bad body). */
export class PatchError extends Error {}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386: objects merge key by key, `null` removes a key, anything else (arrays too) replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

/** RFC 6901 pointer to its reference tokens (`~1` is `/`, `~0` is `~`). */
function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`invalid JSON pointer: ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(array: unknown[], token: string, forInsert: boolean): number {
  if (forInsert && token === '-') return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new PatchError(`invalid array index: ${token}`);
  const index = Number(token);
  if (index > array.length || (!forInsert && index === array.length)) throw new PatchError(`array index out of bounds: ${token}`);
  return index;
}

/** The container holding the pointer's last token, and that token. */
function parentOf(document: unknown, pointer: string): { parent: unknown; key: string } {
  const tokens = pointerTokens(pointer);
  if (tokens.length === 0) throw new PatchError('the root cannot be the target of this operation');
  let node = document;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, token, false)];
    else if (isObject(node) && token in node) node = node[token];
    else throw new PatchError(`doc is missing path: ${pointer}`);
  }
  return { parent: node, key: tokens[tokens.length - 1]! };
}

function readPointer(document: unknown, pointer: string): unknown {
  let node = document;
  for (const token of pointerTokens(pointer)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, token, false)];
    else if (isObject(node) && token in node) node = node[token];
    else throw new PatchError(`doc is missing path: ${pointer}`);
  }
  return node;
}

function addAt(document: unknown, pointer: string, value: unknown): unknown {
  if (pointer === '') return value;
  const { parent, key } = parentOf(document, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, value);
  else if (isObject(parent)) parent[key] = value as Json;
  else throw new PatchError(`doc is missing path: ${pointer}`);
  return document;
}

function removeAt(document: unknown, pointer: string): unknown {
  const { parent, key } = parentOf(document, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false), 1);
  else if (isObject(parent) && key in parent) delete parent[key];
  else throw new PatchError(`doc is missing path: ${pointer}`);
  return document;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && deepEqual(a[key], b[key]));
  }
  return a === b;
}

/** RFC 6902: applies the operations in order to a copy; any failing operation fails the whole patch. */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new PatchError('a JSON patch must be an array of operations');
  let document = structuredClone(target);
  for (const raw of operations as Operation[]) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') throw new PatchError('each JSON patch operation needs "op" and "path"');
    switch (raw.op) {
      case 'add':
        document = addAt(document, raw.path, structuredClone(raw.value));
        break;
      case 'remove':
        document = removeAt(document, raw.path);
        break;
      case 'replace':
        readPointer(document, raw.path);
        document = raw.path === '' ? structuredClone(raw.value) : addAt(removeAt(document, raw.path), raw.path, structuredClone(raw.value));
        break;
      case 'move': {
        if (typeof raw.from !== 'string') throw new PatchError('"move" needs "from"');
        const value = readPointer(document, raw.from);
        document = addAt(removeAt(document, raw.from), raw.path, value);
        break;
      }
      case 'copy': {
        if (typeof raw.from !== 'string') throw new PatchError('"copy" needs "from"');
        document = addAt(document, raw.path, structuredClone(readPointer(document, raw.from)));
        break;
      }
      case 'test':
        if (!deepEqual(readPointer(document, raw.path), raw.value)) throw new PatchError(`testing value ${raw.path} failed`);
        break;
      default:
        throw new PatchError(`Unexpected kind: ${raw.op}`);
    }
  }
  return document;
}

export { deepEqual as jsonEqual };

/**
 * RFC 6902 JSON Patch: the operation type the admission webhook answers with, and an apply of every
 * operation (add, remove, replace, move, copy, test), used by `rolecall run` to build the pod the webhook
 * would admit and by the Kubernetes API test double for `application/json-patch+json`. Failures are
 * `JsonPatchError`s with the messages of the JSON patch library the Kubernetes API server uses.
 */

/** A JSON value as parsed from the wire. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object as parsed from the wire. */
export type JsonObject = { [key: string]: JsonValue };

/** One RFC 6902 operation. */
export type JsonPatchOperation =
  | { op: 'add'; path: string; value: JsonValue }
  | { op: 'replace'; path: string; value: JsonValue }
  | { op: 'remove'; path: string }
  | { op: 'move'; from: string; path: string }
  | { op: 'copy'; from: string; path: string }
  | { op: 'test'; path: string; value: JsonValue };

/** A patch that cannot apply (a missing path, a failed test, a malformed operation). */
export class JsonPatchError extends Error {}

/** Escapes one reference token for a JSON Pointer (RFC 6901 §3: `~` → `~0`, `/` → `~1`). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 6901 pointer to its reference tokens (`~1` is `/`, `~0` is `~`). */
function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer: ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(array: unknown[], token: string, forInsert: boolean): number {
  if (forInsert && token === '-') return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new JsonPatchError(`invalid array index: ${token}`);
  const index = Number(token);
  if (index > array.length || (!forInsert && index === array.length)) throw new JsonPatchError(`array index out of bounds: ${token}`);
  return index;
}

/** The container holding the pointer's last token, and that token. */
function parentOf(document: JsonValue, pointer: string): { parent: JsonValue; key: string } {
  const tokens = pointerTokens(pointer);
  if (tokens.length === 0) throw new JsonPatchError('the root cannot be the target of this operation');
  return { parent: readTokens(document, tokens.slice(0, -1), pointer), key: tokens[tokens.length - 1]! };
}

function readTokens(document: JsonValue, tokens: string[], pointer: string): JsonValue {
  let node = document;
  for (const token of tokens) {
    if (Array.isArray(node)) node = node[arrayIndex(node, token, false)]!;
    else if (isObject(node) && Object.hasOwn(node, token)) node = node[token]!;
    else throw new JsonPatchError(`doc is missing path: ${pointer}`);
  }
  return node;
}

function readPointer(document: JsonValue, pointer: string): JsonValue {
  return readTokens(document, pointerTokens(pointer), pointer);
}

function addAt(document: JsonValue, pointer: string, value: JsonValue): JsonValue {
  if (pointer === '') return value;
  const { parent, key } = parentOf(document, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, value);
  else if (isObject(parent)) parent[key] = value;
  else throw new JsonPatchError(`doc is missing path: ${pointer}`);
  return document;
}

function removeAt(document: JsonValue, pointer: string): JsonValue {
  const { parent, key } = parentOf(document, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false), 1);
  else if (isObject(parent) && Object.hasOwn(parent, key)) delete parent[key];
  else throw new JsonPatchError(`doc is missing path: ${pointer}`);
  return document;
}

/** Replaces an existing member or element in place (an object keeps its member order). */
function replaceAt(document: JsonValue, pointer: string, value: JsonValue): JsonValue {
  if (pointer === '') return value;
  readPointer(document, pointer);
  const { parent, key } = parentOf(document, pointer);
  if (Array.isArray(parent)) parent[arrayIndex(parent, key, false)] = value;
  else (parent as JsonObject)[key] = value;
  return document;
}

/** Structural equality of two JSON values (object member order aside), as RFC 6902's `test` compares. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
  }
  return a === b;
}

/** A patch document from the wire as operations; throws JsonPatchError when it is not one. */
export function parseJsonPatch(value: unknown): JsonPatchOperation[] {
  if (!Array.isArray(value)) throw new JsonPatchError('a JSON patch must be an array of operations');
  return value.map((raw: unknown) => {
    if (!isObject(raw) || typeof raw['op'] !== 'string' || typeof raw['path'] !== 'string') throw new JsonPatchError('each JSON patch operation needs "op" and "path"');
    const op = raw['op'];
    if ((op === 'move' || op === 'copy') && typeof raw['from'] !== 'string') throw new JsonPatchError(`"${op}" needs "from"`);
    if (!['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(op)) throw new JsonPatchError(`Unexpected kind: ${op}`);
    return raw as unknown as JsonPatchOperation;
  });
}

/** Applies `operations` in order to a deep copy of `document` and returns the result; any failing operation fails the whole patch (RFC 6902 §4, §5). */
export function applyJsonPatch(document: JsonValue, operations: readonly JsonPatchOperation[]): JsonValue {
  let result = structuredClone(document);
  for (const operation of operations) {
    switch (operation.op) {
      case 'add':
        result = addAt(result, operation.path, structuredClone(operation.value));
        break;
      case 'remove':
        result = removeAt(result, operation.path);
        break;
      case 'replace':
        result = replaceAt(result, operation.path, structuredClone(operation.value));
        break;
      case 'move': {
        const value = readPointer(result, operation.from);
        result = addAt(removeAt(result, operation.from), operation.path, value);
        break;
      }
      case 'copy':
        result = addAt(result, operation.path, structuredClone(readPointer(result, operation.from)));
        break;
      case 'test':
        if (!jsonEqual(readPointer(result, operation.path), operation.value)) throw new JsonPatchError(`testing value ${operation.path} failed`);
        break;
    }
  }
  return result;
}

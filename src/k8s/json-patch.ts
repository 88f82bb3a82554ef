/**
 * RFC 6902 JSON Patch: the operation type the admission webhook answers with, and an apply for the
 * `add`, `remove` and `replace` operations, used by `rolecall run` to build the pod the webhook would
 * admit.
 */

/** A JSON value as parsed from the wire. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object as parsed from the wire. */
export type JsonObject = { [key: string]: JsonValue };

/** One RFC 6902 operation of the kinds this project emits or applies. */
export type JsonPatchOperation =
  | { op: 'add'; path: string; value: JsonValue }
  | { op: 'replace'; path: string; value: JsonValue }
  | { op: 'remove'; path: string };

/** Escapes one reference token for a JSON Pointer (RFC 6901 §3: `~` → `~0`, `/` → `~1`). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function pointerTokens(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new Error(`JSON Pointer '${path}' does not start with '/'`);
  return path
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(token: string, length: number, forAdd: boolean): number {
  if (forAdd && token === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new Error(`'${token}' is not an array index`);
  const index = Number(token);
  if (index > length || (!forAdd && index === length)) throw new Error(`array index ${index} is out of bounds`);
  return index;
}

/** Applies `operations` in order to a deep copy of `document` and returns the result (RFC 6902 §4). */
export function applyJsonPatch(document: JsonValue, operations: readonly JsonPatchOperation[]): JsonValue {
  let result = structuredClone(document);
  for (const operation of operations) {
    const tokens = pointerTokens(operation.path);
    if (tokens.length === 0) {
      if (operation.op === 'remove') throw new Error('cannot remove the whole document');
      result = structuredClone(operation.value);
      continue;
    }
    let parent: JsonValue = result;
    for (const token of tokens.slice(0, -1)) {
      if (Array.isArray(parent)) parent = parent[arrayIndex(token, parent.length, false)]!;
      else if (parent !== null && typeof parent === 'object' && Object.hasOwn(parent, token)) parent = parent[token]!;
      else throw new Error(`path '${operation.path}' does not exist`);
    }
    const last = tokens[tokens.length - 1]!;
    if (Array.isArray(parent)) {
      const index = arrayIndex(last, parent.length, operation.op === 'add');
      if (operation.op === 'add') parent.splice(index, 0, structuredClone(operation.value));
      else if (operation.op === 'replace') parent[index] = structuredClone(operation.value);
      else parent.splice(index, 1);
    } else if (parent !== null && typeof parent === 'object') {
      if (operation.op !== 'add' && !Object.hasOwn(parent, last)) throw new Error(`path '${operation.path}' does not exist`);
      if (operation.op === 'remove') delete parent[last];
      else parent[last] = structuredClone(operation.value);
    } else throw new Error(`path '${operation.path}' does not exist`);
  }
  return result;
}

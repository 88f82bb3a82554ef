/**
 * The two patch formats the Kubernetes API accepts for every resource: JSON merge patch (RFC 7386,
 * `application/merge-patch+json`) here, and JSON patch (RFC 6902, `application/json-patch+json`) by the
 * project's one implementation in src/k8s/json-patch.ts, with the wire body checked first.
 */
import { applyJsonPatch as applyOperations, JsonPatchError, jsonEqual, parseJsonPatch, type JsonValue } from '../../src/k8s/json-patch.js';

/** A failed patch: the API server answers it with 422 (JSON patch test/path errors) or 400 (bad body). */
export { JsonPatchError as PatchError, jsonEqual };

function isObject(value: unknown): value is Record<string, unknown> {
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

/** RFC 6902 on a request body: applies the operations in order to a copy; any failing operation fails the whole patch. */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  return applyOperations(target as JsonValue, parseJsonPatch(operations));
}

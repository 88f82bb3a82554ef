/**
 * Policy variables (reference_policies_variables.html): `${key}` and `${key, 'default'}` are replaced by
 * the request's value for `key`; `${*}`, `${?}` and `${$}` stand for the literal characters. Substituted
 * values are literal text: a `*` in a tag value is not a wildcard.
 */
import { newObject } from './young-objects.js';

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'literal'; text: string }
  | { kind: 'variable'; key: string; keyLower: string; defaultValue?: string };

export type ResolvedPart = { literal: boolean; text: string };

// Compiled tests keep the parts of the templates they resolve per request: they are built as
// young-objects.ts says, so that V8 never pretenures them.

function textPart(kind: 'text' | 'literal', text: string): TemplatePart {
  const part = newObject<{ kind: 'text' | 'literal'; text: string }>();
  part.kind = kind;
  part.text = text;
  return part;
}

function variablePart(key: string, defaultValue: string | undefined): TemplatePart {
  const part = newObject<Extract<TemplatePart, { kind: 'variable' }>>();
  part.kind = 'variable';
  part.key = key;
  part.keyLower = key.toLowerCase();
  if (defaultValue !== undefined) part.defaultValue = defaultValue;
  return part;
}

const SPECIALS = new Set(['*', '?', '$']);

/**
 * Reads `key` or `key, 'default'` (spaces allowed around each); undefined for anything else. Parsed by
 * hand in one pass: the equivalent regular expression backtracks quadratically on long runs of spaces.
 */
function parseVariableBody(body: string): { key: string; defaultValue?: string } | undefined {
  const comma = body.indexOf(',');
  const key = (comma < 0 ? body : body.slice(0, comma)).trim();
  if (key === '') return undefined;
  if (comma < 0) return { key };
  const quoted = body.slice(comma + 1).trim();
  const inner = quoted.slice(1, -1);
  if (quoted.length < 2 || !quoted.startsWith("'") || !quoted.endsWith("'") || inner.includes("'")) return undefined;
  return { key, defaultValue: inner };
}

/** Splits text into literal pieces and variables; undefined when the text has no variable at all. */
export function parseTemplate(text: string): TemplatePart[] | undefined {
  if (!text.includes('${')) return undefined;
  const parts: TemplatePart[] = [];
  let cursor = 0;
  let sawVariable = false;
  while (cursor < text.length) {
    const open = text.indexOf('${', cursor);
    const close = open < 0 ? -1 : text.indexOf('}', open + 2);
    if (open < 0 || close < 0) {
      parts.push(textPart('text', text.slice(cursor)));
      break;
    }
    if (open > cursor) parts.push(textPart('text', text.slice(cursor, open)));
    const body = text.slice(open + 2, close);
    const match = SPECIALS.has(body) ? undefined : parseVariableBody(body);
    if (SPECIALS.has(body)) {
      parts.push(textPart('literal', body));
      sawVariable = true;
    } else if (match) {
      parts.push(variablePart(match.key, match.defaultValue));
      sawVariable = true;
    } else {
      parts.push(textPart('text', text.slice(open, close + 1)));
    }
    cursor = close + 1;
  }
  return sawVariable ? parts.slice() : undefined;
}

/**
 * The variables of a Resource or NotResource entry: they are substituted only in its resource part, after
 * the fifth colon; undefined when that part has none. `prefix` is the text before it, taken as written.
 */
export function resourceTemplate(pattern: string): { prefix: string; parts: TemplatePart[] } | undefined {
  const prefixLength = nthColon(pattern, 5) + 1;
  if (prefixLength === 0) return undefined;
  const parts = parseTemplate(pattern.slice(prefixLength));
  return parts ? { prefix: pattern.slice(0, prefixLength), parts } : undefined;
}

function nthColon(text: string, n: number): number {
  let index = -1;
  for (let i = 0; i < n; i++) {
    index = text.indexOf(':', index + 1);
    if (index < 0) return -1;
  }
  return index;
}

/** Looks up a single-valued context key (lower-cased name); undefined when absent or multivalued. */
export type VariableLookup = (keyLower: string) => string | undefined;

/** Substitutes every variable; undefined when one has neither a value nor a default (AWS: no match). */
export function resolveTemplate(parts: readonly TemplatePart[], lookup: VariableLookup): ResolvedPart[] | undefined {
  const resolved: ResolvedPart[] = [];
  for (const part of parts) {
    if (part.kind === 'text') resolved.push({ literal: false, text: part.text });
    else if (part.kind === 'literal') resolved.push({ literal: true, text: part.text });
    else {
      const value = lookup(part.keyLower) ?? part.defaultValue;
      if (value === undefined) return undefined;
      resolved.push({ literal: true, text: value });
    }
  }
  return resolved;
}

/** The resolved text as a plain string (for equality operators). */
export function joinResolved(parts: readonly ResolvedPart[]): string {
  let text = '';
  for (const part of parts) text += part.text;
  return text;
}

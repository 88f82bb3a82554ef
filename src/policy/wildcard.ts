/**
 * Glob matching as IAM uses it: `*` matches any run of characters (including none), `?` exactly one.
 * Patterns are compiled once into the cheapest test that decides them.
 */

export type StringTest = (value: string) => boolean;

const matchAll: StringTest = () => true;

/** True when the text has a `*` or `?` wildcard. */
export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/** Escapes text for use inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The regular-expression source for a glob whose literal pieces are escaped. */
export function globToRegExpSource(pattern: string): string {
  let source = '';
  for (const char of pattern) {
    if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else source += escapeRegExp(char);
  }
  return source;
}

/**
 * Compiles a glob into a test. With `ignoreCase` the comparison folds case (actions compare this way);
 * callers that fold case must pass values already lower-cased, which lets the common exact and prefix
 * patterns avoid regular expressions entirely.
 */
export function compileGlob(pattern: string, ignoreCase = false): StringTest {
  const subject = ignoreCase ? pattern.toLowerCase() : pattern;
  if (subject === '*') return matchAll;
  if (!hasWildcard(subject)) return (value) => value === subject;
  const star = subject.indexOf('*');
  if (star === subject.length - 1 && !subject.includes('?')) {
    const prefix = subject.slice(0, -1);
    return (value) => value.startsWith(prefix);
  }
  const regex = new RegExp(`^${globToRegExpSource(subject)}$`);
  return (value) => regex.test(value);
}

/** A test that passes when any of the globs matches. */
export function compileGlobList(patterns: readonly string[], ignoreCase = false): StringTest {
  const exact = new Set<string>();
  const others: StringTest[] = [];
  for (const pattern of patterns) {
    const subject = ignoreCase ? pattern.toLowerCase() : pattern;
    if (subject === '*') return matchAll;
    if (hasWildcard(subject)) others.push(compileGlob(subject));
    else exact.add(subject);
  }
  if (others.length === 0) {
    if (exact.size === 1) {
      const only = exact.values().next().value as string;
      return (value) => value === only;
    }
    return (value) => exact.has(value);
  }
  if (exact.size === 0 && others.length === 1) return others[0]!;
  return (value) => exact.has(value) || others.some((test) => test(value));
}

/** A piece of a pattern: policy text (wildcards active) or substituted text (literal). */
export interface PatternPiece {
  literal: boolean;
  text: string;
}

/**
 * Compiles an ARN pattern segment-wise (reference_policies_elements_resource.html): the first five
 * colons separate parts in which `*` and `?` never cross a colon, while in the sixth part (the resource)
 * `*` spans anything, colons and slashes included. Matching is case-sensitive. A pattern with fewer than
 * six parts is matched as a plain glob.
 */
export function compileArnGlob(pieces: readonly PatternPiece[]): StringTest {
  let source = '';
  let colons = 0;
  for (const piece of pieces) {
    for (const char of piece.text) {
      const inPrefix = colons < 5;
      if (piece.literal) source += escapeRegExp(char);
      else if (char === ':' && inPrefix) {
        source += ':';
        colons++;
      } else if (char === '*') source += inPrefix ? '[^:]*' : '[\\s\\S]*';
      else if (char === '?') source += inPrefix ? '[^:]' : '[\\s\\S]';
      else source += escapeRegExp(char);
    }
  }
  if (colons < 5) {
    const whole = pieces.map((p) => (p.literal ? escapeRegExp(p.text) : globToRegExpSource(p.text))).join('');
    const regex = new RegExp(`^${whole}$`);
    return (value) => regex.test(value);
  }
  const regex = new RegExp(`^${source}$`);
  return (value) => regex.test(value);
}

/** Compiles a fixed ARN pattern, using plain string tests for the common exact and trailing-`*` forms. */
export function compileArnPattern(pattern: string): StringTest {
  if (pattern === '*') return matchAll;
  if (!hasWildcard(pattern)) return (value) => value === pattern;
  const star = pattern.indexOf('*');
  const prefix = pattern.slice(0, -1);
  const colonsInPrefix = prefix.split(':').length - 1;
  if (star === pattern.length - 1 && !pattern.includes('?') && colonsInPrefix >= 5) {
    return (value) => value.startsWith(prefix);
  }
  return compileArnGlob([{ literal: false, text: pattern }]);
}

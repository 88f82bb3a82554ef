/**
 * The models' `pattern` constraints are Java regular expressions that AWS applies to the whole value
 * (`[\w+=,.@-]+` rejects `a b`). This turns them into anchored JavaScript RegExps, compiled once each.
 */
const compiled = new Map<string, RegExp>();

/** Whether the whole value matches a model pattern. */
export function matchesModelPattern(pattern: string, value: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = compileModelPattern(pattern);
    compiled.set(pattern, regex);
  }
  return regex.test(value);
}

/**
 * Unicode mode is needed for `\p{L}` and for `\uXXXX` to mean code points, but it refuses identity
 * escapes that Java allows (`\:`, `\-` outside a class); those become `\xHH`, which both read the same.
 * `\u10000` keeps Java's reading (`\u1000` then `0`) in both engines.
 */
function compileModelPattern(pattern: string): RegExp {
  const portable = pattern.replace(/\\([!-/:-@[-`{-~])/g, (_, punctuation: string) =>
    `\\x${punctuation.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return new RegExp(`^(?:${portable})$`, 'u');
}

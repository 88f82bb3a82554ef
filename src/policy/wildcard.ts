/**
 * Glob matching as IAM uses it: `*` matches any run of characters (including none), `?` exactly one.
 * Patterns are compiled once into the cheapest test that decides them, and no test ever backtracks: a
 * pattern is the text between its stars ("chunks"); the first chunk must open the value, the last must
 * close it, and each chunk in between is placed at its leftmost fit after the previous one. Leftmost is
 * always right because the stars around a chunk absorb whatever lies between, so a match costs at most
 * pattern × value character comparisons, and usually one pass over the value — unlike the backtracking
 * regular expressions this replaces, where `*a*a*a*a*a*a*a*a*a*b` took seconds.
 */
import { countWork } from './work-meter.js';

export type StringTest = (value: string) => boolean;

const matchAll: StringTest = () => true;

/** True when the text has a `*` or `?` wildcard. */
export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/** A piece of a pattern: policy text (wildcards active) or substituted text (literal). */
export interface PatternPiece {
  literal: boolean;
  text: string;
}

// Chunks and globs live as long as the tests that capture them: classes rather than object literals, so
// that V8 never pretenures them (young-objects.ts says why).

/** The text between two stars; `?` positions (one-character wildcards) listed in `anyAt`. */
class Chunk {
  constructor(
    readonly text: string,
    readonly anyAt: readonly number[],
  ) {}
}

/** A glob as chunks: `head` opens the value; with stars, `tail` closes it and `middle` lies between. */
class Glob {
  constructor(
    readonly head: Chunk,
    readonly starred: boolean,
    readonly middle: readonly Chunk[],
    readonly tail: Chunk,
  ) {}
}

const NO_CHUNKS: readonly Chunk[] = Object.freeze([]);
const NO_POSITIONS: readonly number[] = Object.freeze([]);
const EMPTY_CHUNK = new Chunk('', NO_POSITIONS);

/** Splits pattern pieces into chunks; wildcards count only in pieces that are not literal. */
function parseGlob(pieces: readonly PatternPiece[]): Glob {
  // `chunks` and `anyAt` are temporaries: the glob keeps chunks and copies of the positions.
  const chunks: Chunk[] = [];
  let text = '';
  const anyAt: number[] = [];
  const chunk = (): Chunk => new Chunk(text, anyAt.length === 0 ? NO_POSITIONS : anyAt.slice());
  for (const piece of pieces) {
    if (piece.literal) {
      text += piece.text;
      continue;
    }
    for (let i = 0; i < piece.text.length; i++) {
      const char = piece.text[i]!;
      if (char === '*') {
        chunks.push(chunk());
        text = '';
        anyAt.length = 0;
      } else if (char === '?') {
        anyAt.push(text.length);
        text += '?';
      } else text += char;
    }
  }
  chunks.push(chunk());
  if (chunks.length === 1) return new Glob(chunks[0]!, false, NO_CHUNKS, EMPTY_CHUNK);
  return new Glob(chunks[0]!, true, chunks.slice(1, -1), chunks[chunks.length - 1]!);
}

/** Whether the chunk matches the value at `at` (the caller has checked that it fits). */
function chunkMatchesAt(chunk: Chunk, value: string, at: number): boolean {
  countWork(chunk.text.length);
  if (chunk.anyAt.length === 0) return value.startsWith(chunk.text, at);
  const { text, anyAt } = chunk;
  let nextAny = 0;
  for (let i = 0; i < text.length; i++) {
    if (anyAt[nextAny] === i) {
      nextAny++;
      continue;
    }
    if (text.charCodeAt(i) !== value.charCodeAt(at + i)) return false;
  }
  return true;
}

/** The leftmost position in [from, limit - chunk length] where the chunk matches, or -1. */
function findChunk(chunk: Chunk, value: string, from: number, limit: number): number {
  const last = limit - chunk.text.length;
  if (last < from) return -1;
  if (chunk.anyAt.length === 0) {
    const found = value.indexOf(chunk.text, from);
    const position = found > last ? -1 : found;
    countWork(((position < 0 ? last : position) - from + 1) * Math.max(1, chunk.text.length));
    return position;
  }
  for (let at = from; at <= last; at++) if (chunkMatchesAt(chunk, value, at)) return at;
  return -1;
}

/** Whether value[from, to) matches the glob. */
function globMatches(glob: Glob, value: string, from: number, to: number): boolean {
  const { head, tail } = glob;
  if (!glob.starred) return to - from === head.text.length && chunkMatchesAt(head, value, from);
  if (to - from < head.text.length + tail.text.length) return false;
  if (!chunkMatchesAt(head, value, from) || !chunkMatchesAt(tail, value, to - tail.text.length)) return false;
  let cursor = from + head.text.length;
  const limit = to - tail.text.length;
  for (const chunk of glob.middle) {
    const at = findChunk(chunk, value, cursor, limit);
    if (at < 0) return false;
    cursor = at + chunk.text.length;
  }
  return true;
}

/** The test for a glob over whole values, with plain string tests for exact, prefix and suffix forms. */
function globTest(glob: Glob): StringTest {
  const { head, tail } = glob;
  const plain = head.anyAt.length === 0 && tail.anyAt.length === 0 && glob.middle.length === 0;
  if (plain && !glob.starred) {
    const exact = head.text;
    return (value) => value === exact;
  }
  if (plain && head.text === '' && tail.text === '') return matchAll;
  if (plain && tail.text === '') {
    const prefix = head.text;
    return (value) => value.startsWith(prefix);
  }
  if (plain && head.text === '') {
    const suffix = tail.text;
    return (value) => value.endsWith(suffix);
  }
  if (plain) {
    const prefix = head.text;
    const suffix = tail.text;
    const least = prefix.length + suffix.length;
    return (value) => value.length >= least && value.startsWith(prefix) && value.endsWith(suffix);
  }
  return (value) => globMatches(glob, value, 0, value.length);
}

/**
 * Compiles a glob into a test. With `ignoreCase` the comparison folds case (actions compare this way);
 * callers that fold case must pass values already lower-cased.
 */
export function compileGlob(pattern: string, ignoreCase = false): StringTest {
  const subject = ignoreCase ? pattern.toLowerCase() : pattern;
  if (!hasWildcard(subject)) return (value) => value === subject;
  return compileGlobPieces([{ literal: false, text: subject }]);
}

/** Compiles pattern pieces (policy text with substituted, literal values) into a case-sensitive test. */
export function compileGlobPieces(pieces: readonly PatternPiece[]): StringTest {
  return globTest(parseGlob(pieces));
}

/** Whether any test passes; a loop rather than `some`, whose callback would be allocated on every call. */
export function anyPasses(tests: readonly StringTest[], value: string): boolean {
  for (let i = 0; i < tests.length; i++) if (tests[i]!(value)) return true;
  return false;
}

/** A test that passes when any of the globs matches. */
export function compileGlobList(patterns: readonly string[], ignoreCase = false): StringTest {
  // One pattern is the common case (an Action of one action): no set and no lists for it.
  if (patterns.length === 1) return compileGlob(patterns[0]!, ignoreCase);
  const subjects = ignoreCase ? patterns.map((pattern) => pattern.toLowerCase()) : patterns;
  if (subjects.includes('*')) return matchAll;
  const exact = new Set(subjects.filter((subject) => !hasWildcard(subject)));
  const others = subjects.filter(hasWildcard).map((subject) => compileGlob(subject));
  if (others.length === 0) {
    if (exact.size === 1) {
      const only = exact.values().next().value as string;
      return (value) => value === only;
    }
    return (value) => exact.has(value);
  }
  if (exact.size === 0 && others.length === 1) return others[0]!;
  return (value) => exact.has(value) || anyPasses(others, value);
}

/** How many colons an ARN's fixed parts span: partition, service, region, account, then the resource. */
const ARN_PREFIX_COLONS = 5;

/**
 * Compiles an ARN pattern segment-wise (reference_policies_elements_resource.html): the first five
 * colons separate parts in which `*` and `?` never cross a colon, while in the sixth part (the resource)
 * `*` spans anything, colons and slashes included. Matching is case-sensitive. A pattern with fewer than
 * six parts is matched as a plain glob.
 *
 * Wildcards in the first five parts cannot match a colon, so the value's first colons must line up with
 * the pattern's: the value is cut at them and each part matched as a plain glob on its own.
 */
export function compileArnGlob(pieces: readonly PatternPiece[]): StringTest {
  // Cut the pattern into the parts before its fifth wildcard-active colon and the resource after it. A
  // colon in substituted text must meet a colon in the value too, so it also cuts a part.
  const parts: PatternPiece[][] = [];
  let part: PatternPiece[] = [];
  let counted = 0;
  let resource: PatternPiece[] | undefined;
  for (const piece of pieces) {
    let start = 0;
    for (let i = 0; i < piece.text.length && resource === undefined; i++) {
      if (piece.text[i] !== ':') continue;
      if (i > start) part.push({ literal: piece.literal, text: piece.text.slice(start, i) });
      parts.push(part);
      part = [];
      start = i + 1;
      if (!piece.literal && ++counted === ARN_PREFIX_COLONS) resource = [];
    }
    const rest = piece.text.slice(start);
    if (resource) resource.push({ literal: piece.literal, text: rest });
    else if (rest !== '') part.push({ literal: piece.literal, text: rest });
  }
  if (resource === undefined) return compileGlobPieces(pieces);

  const partGlobs = parts.map(parseGlob);
  if (partGlobs.every(isFixedPart)) {
    // Fixed parts (the common case): they are one literal prefix of the resource glob.
    const prefix = partGlobs.map((glob) => `${glob.head.text}:`).join('');
    return compileGlobPieces([{ literal: true, text: prefix }, ...resource]);
  }
  const partTests = partTestsOf(partGlobs);
  const resourceTest = rangeTest(parseGlob(resource));
  return (value) => {
    let from = 0;
    for (const test of partTests) {
      from = test(value, from);
      if (from < 0) return false;
    }
    return resourceTest(value, from);
  };
}

function isFixedPart(glob: Glob): boolean {
  return !glob.starred && glob.head.anyAt.length === 0;
}

/** The tests of the ARN parts, consecutive fixed parts joined into one comparison (`arn:aws:s3:`). */
function partTestsOf(globs: readonly Glob[]): Array<(value: string, from: number) => number> {
  const tests: Array<(value: string, from: number) => number> = [];
  let fixed = '';
  for (const glob of globs) {
    if (isFixedPart(glob)) {
      fixed += `${glob.head.text}:`;
      continue;
    }
    if (fixed !== '') tests.push(fixedPartTest(fixed));
    fixed = '';
    tests.push(partTest(glob));
  }
  if (fixed !== '') tests.push(fixedPartTest(fixed));
  // The test keeps a copy: the literal only ever makes temporaries (young-objects.ts says why).
  return tests.slice();
}

/** Fixed parts with their colons, compared in place. */
function fixedPartTest(withColons: string): (value: string, from: number) => number {
  return (value, from) => (value.startsWith(withColons, from) ? from + withColons.length : -1);
}

/**
 * A test of one ARN part starting at `from`: the position after the colon that ends it, or -1. A part
 * that is only `*` takes whatever runs to the next colon; a fixed part is compared in place.
 */
function partTest(glob: Glob): (value: string, from: number) => number {
  const { head, tail } = glob;
  if (glob.starred && head.text === '' && tail.text === '' && glob.middle.every((chunk) => chunk.text === '')) {
    return (value, from) => {
      const colon = value.indexOf(':', from);
      return colon < 0 ? -1 : colon + 1;
    };
  }
  if (isFixedPart(glob)) return fixedPartTest(`${head.text}:`);
  return (value, from) => {
    const colon = value.indexOf(':', from);
    return colon >= 0 && globMatches(glob, value, from, colon) ? colon + 1 : -1;
  };
}

/** A test of value[from, end) against a glob, with plain string tests for its exact, prefix and suffix forms. */
function rangeTest(glob: Glob): (value: string, from: number) => boolean {
  const { head, tail } = glob;
  const plain = head.anyAt.length === 0 && tail.anyAt.length === 0 && glob.middle.length === 0;
  if (plain && !glob.starred) {
    const exact = head.text;
    return (value, from) => value.length - from === exact.length && value.startsWith(exact, from);
  }
  if (plain && tail.text === '') {
    const prefix = head.text;
    return (value, from) => value.startsWith(prefix, from);
  }
  return (value, from) => globMatches(glob, value, from, value.length);
}

/** Compiles a fixed ARN pattern (Resource, NotResource, ArnLike and ArnEquals values). */
export function compileArnPattern(pattern: string): StringTest {
  if (pattern === '*') return matchAll;
  if (!hasWildcard(pattern)) return (value) => value === pattern;
  return compileArnGlob([{ literal: false, text: pattern }]);
}

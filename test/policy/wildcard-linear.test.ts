// Issue 12 item 1: wildcard matching is linear in pattern × value with no backtracking, for every
// matcher that takes wildcards (Action, NotAction, Resource, NotResource, StringLike, ArnLike, ArnEquals,
// their negations, IfExists and set forms). Work is proven by counting comparisons, never by timing; the
// matchers are checked against a reference built from AWS's definition (`*` any run, `?` one character,
// ARN wildcards confined to their part before the resource).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluate } from '../../src/policy/index.js';
import type { ContextValue, Decision } from '../../src/policy/types.js';
import { compileArnGlob, compileArnPattern, compileGlob, compileGlobPieces, type PatternPiece } from '../../src/policy/wildcard.js';
import { meterWork } from '../../src/policy/work-meter.js';

const ACCOUNT = '111122223333';
const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;

/** Reference glob semantics by dynamic programming over (pattern position, value position). */
function referenceGlob(pieces: readonly PatternPiece[], value: string, noColon = false): boolean {
  const tokens: Array<{ kind: 'star' | 'any' | 'char'; char?: string }> = [];
  for (const piece of pieces) {
    for (const char of piece.text) {
      if (!piece.literal && char === '*') tokens.push({ kind: 'star' });
      else if (!piece.literal && char === '?') tokens.push({ kind: 'any' });
      else tokens.push({ kind: 'char', char });
    }
  }
  const chars = [...value];
  // reachable[j]: the tokens so far can consume exactly chars[0..j).
  let reachable = chars.map(() => false).concat(false);
  reachable[0] = true;
  for (const token of tokens) {
    const next = reachable.map(() => false);
    for (let j = 0; j <= chars.length; j++) {
      if (token.kind === 'star') {
        next[j] = reachable[j]! || (j > 0 && next[j - 1]! && !(noColon && chars[j - 1] === ':'));
      } else if (j > 0 && reachable[j - 1]) {
        const c = chars[j - 1]!;
        next[j] = token.kind === 'any' ? !(noColon && c === ':') : token.char === c;
      }
    }
    reachable = next;
  }
  return reachable[chars.length]!;
}

/** Reference ARN semantics: before the fifth wildcard-active colon, wildcards never match a colon. */
function referenceArn(pieces: readonly PatternPiece[], value: string): boolean {
  let colons = 0;
  let split = -1;
  const flat: PatternPiece[] = [];
  for (const piece of pieces) {
    for (const char of piece.text) {
      flat.push({ literal: piece.literal, text: char });
      if (!piece.literal && char === ':' && colons < 5 && ++colons === 5) split = flat.length;
    }
  }
  if (split < 0) return referenceGlob(pieces, value);
  // Try every cut of the value whose prefix could match the pattern's prefix.
  for (let cut = 0; cut <= value.length; cut++) {
    if (referenceGlob(flat.slice(0, split), value.slice(0, cut), true) && referenceGlob(flat.slice(split), value.slice(cut))) return true;
  }
  return false;
}

const alphabet = fc.constantFrom('a', 'b', ':', '/', '*', '?', 'A');
const text = (maxLength: number) => fc.array(alphabet, { maxLength }).map((chars) => chars.join(''));
const valueText = fc.array(fc.constantFrom('a', 'b', ':', '/', '*', '?', 'A'), { maxLength: 12 }).map((c) => c.join(''));
const pieces = fc.array(fc.record({ literal: fc.boolean(), text: text(5) }), { minLength: 1, maxLength: 3 });

test('issue 12.1: globs decide exactly as AWS defines `*` and `?` (3000 random pattern/value pairs)', () => {
  fc.assert(
    fc.property(text(8), valueText, (pattern, value) => {
      assert.equal(compileGlob(pattern)(value), referenceGlob([{ literal: false, text: pattern }], value), `${pattern} vs ${value}`);
    }),
    { numRuns: 3000 },
  );
});

test('issue 12.1: substituted policy-variable text stays literal in globs (1000 cases)', () => {
  fc.assert(
    fc.property(pieces, valueText, (parts, value) => {
      assert.equal(compileGlobPieces(parts)(value), referenceGlob(parts, value));
    }),
    { numRuns: 1000 },
  );
});

test('issue 12.1: ARN patterns keep wildcards inside their part before the resource (3000 cases)', () => {
  const arnish = fc.tuple(text(3), text(3), text(3), text(3), text(3), text(6)).map((p) => p.join(':'));
  fc.assert(
    fc.property(fc.oneof(arnish, text(10)), fc.oneof(arnish, valueText), (pattern, value) => {
      assert.equal(compileArnPattern(pattern)(value), referenceArn([{ literal: false, text: pattern }], value), `${pattern} vs ${value}`);
    }),
    { numRuns: 3000 },
  );
  fc.assert(
    fc.property(pieces, fc.oneof(arnish, valueText), (parts, value) => {
      assert.equal(compileArnGlob(parts)(value), referenceArn(parts, value));
    }),
    { numRuns: 1000 },
  );
});

/** Comparisons a test made on a value, and the pattern × value bound it must stay within. */
function work(test: (value: string) => boolean, pattern: string, value: string): number {
  const { steps: comparisons } = meterWork(() => test(value));
  assert.ok(comparisons <= (pattern.length + 1) * (value.length + 1), `${comparisons} comparisons for ${pattern.length} × ${value.length}`);
  return comparisons;
}

/** Doubling the value at most doubles the work, plus a constant of the pattern alone: linear, never length^stars. */
function assertLinearInValue(test: (value: string) => boolean, pattern: string, unit: (n: number) => string): void {
  const small = work(test, pattern, unit(2000));
  const large = work(test, pattern, unit(4000));
  assert.ok(large <= 2 * small + pattern.length * pattern.length, `work grew from ${small} to ${large} when the value doubled`);
}

const NINE_STARS = 'arn:aws:s3:::*a*a*a*a*a*a*a*a*a*b';
const TEN_STARS = '*a*a*a*a*a*a*a*a*a*a*b';

test('issue 12.1: the reported `*a*a*a*a*a*a*a*a*a*b` Resource against 40 a\'s (16 s before) does at most pattern × value work', () => {
  const resource = `arn:aws:s3:::${'a'.repeat(40)}`;
  const { result, steps: comparisons } = meterWork(() => compileArnPattern(NINE_STARS)(resource));
  assert.equal(result, false);
  assert.ok(comparisons <= NINE_STARS.length * resource.length, `${comparisons} comparisons`);
  assertLinearInValue(compileArnPattern(NINE_STARS), NINE_STARS, (n) => `arn:aws:s3:::${'a'.repeat(n)}`);
});

test('issue 12.1: ten stars (40 s in `rolecall policy eval` before) stay linear in the value for globs, Action and StringLike', () => {
  assertLinearInValue(compileGlob(TEN_STARS), TEN_STARS, (n) => 'a'.repeat(n));
  assertLinearInValue(compileGlob(TEN_STARS, true), TEN_STARS, (n) => 'a'.repeat(n));
  // Chunks with `?` are searched character by character: still linear.
  const withAny = '*a?a*a?a*a?a*a?a*a?b';
  assertLinearInValue(compileGlob(withAny), withAny, (n) => 'a'.repeat(n));
  // A long chunk that almost matches everywhere.
  const nearMiss = `*${'a'.repeat(50)}b*`;
  assertLinearInValue(compileGlob(nearMiss), nearMiss, (n) => 'a'.repeat(n));
  // Wildcards in the ARN's fixed parts go through the part-by-part path.
  const inParts = 'arn:*:s?:*:*:*a*a*a*a*a*a*a*a*b';
  assertLinearInValue(compileArnPattern(inParts), inParts, (n) => `arn:aws:s3:::${'a'.repeat(n)}`);
});

/** The decision for Bob's request under statements, metered. */
function meteredDecision(statements: object[], action: string, resource: string, context?: Record<string, ContextValue>): { decision: Decision; comparisons: number } {
  const document = { Version: '2012-10-17', Statement: statements };
  const request = context ? { principal: BOB, action, resource, context } : { principal: BOB, action, resource };
  const { result, steps: comparisons } = meterWork(() => evaluate({ request, identityPolicies: [{ document }] }).decision);
  return { decision: result, comparisons };
}

test('issue 12.1: every matcher that takes wildcards stays within pattern × value on a 10-star pattern (20,000-character values)', () => {
  const long = 'a'.repeat(20_000);
  const resource = `arn:aws:s3:::${long}`;
  const bound = (TEN_STARS.length + 20) * (resource.length + 1) * 4;
  const cases: Array<[string, object[], string, Record<string, ContextValue>?]> = [
    ['Action', [{ Effect: 'Allow', Action: `s3:${TEN_STARS}`, Resource: '*' }], `s3:${long}`],
    ['NotAction', [{ Effect: 'Allow', NotAction: `s3:${TEN_STARS}`, Resource: '*' }], `s3:${long}`],
    ['Resource', [{ Effect: 'Allow', Action: '*', Resource: `arn:aws:s3:::${TEN_STARS}` }], 's3:GetObject'],
    ['NotResource', [{ Effect: 'Allow', Action: '*', NotResource: `arn:aws:s3:::${TEN_STARS}` }], 's3:GetObject'],
    ['Resource with a policy variable', [{ Effect: 'Allow', Action: '*', Resource: `arn:aws:s3:::${'${aws:username}'}${TEN_STARS}` }], 's3:GetObject'],
    ['StringLike', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:PrincipalTag/team': TEN_STARS } } }], 's3:GetObject', { 'aws:PrincipalTag/team': long }],
    ['StringNotLikeIfExists', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringNotLikeIfExists: { 'aws:PrincipalTag/team': TEN_STARS } } }], 's3:GetObject', { 'aws:PrincipalTag/team': long }],
    ['ForAnyValue:StringLike', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': [TEN_STARS, `${TEN_STARS}?`] } } }], 's3:GetObject', { 'aws:TagKeys': [long, long] }],
    ['StringLike with a policy variable', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:PrincipalTag/team': `${'${aws:username}'}${TEN_STARS}` } } }], 's3:GetObject', { 'aws:PrincipalTag/team': `bob${long}` }],
    ['ArnLike', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${TEN_STARS}` } } }], 's3:GetObject', { 'aws:SourceArn': resource }],
    ['ArnNotEquals', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { ArnNotEquals: { 'aws:SourceArn': `arn:aws:s3:::${TEN_STARS}` } } }], 's3:GetObject', { 'aws:SourceArn': resource }],
    ['ForAllValues:ArnNotLikeIfExists', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { 'ForAllValues:ArnNotLikeIfExists': { 'aws:SourceArn': `arn:*:s3:*:*:${TEN_STARS}` } } }], 's3:GetObject', { 'aws:SourceArn': [resource] }],
  ];
  for (const [name, statements, action, context] of cases) {
    const { decision, comparisons } = meteredDecision(statements, action, resource, { 'aws:username': 'bob', ...context });
    assert.ok(['Allow', 'ImplicitDeny'].includes(decision), name);
    assert.ok(comparisons > 0, `${name}: the matcher ran`);
    assert.ok(comparisons <= bound, `${name}: ${comparisons} comparisons`);
  }
});

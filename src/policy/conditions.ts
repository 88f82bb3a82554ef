/**
 * Condition blocks (reference_policies_elements_condition_operators.html,
 * reference_policies_condition-single-vs-multi-valued-context-keys.html): each operator/key pair is
 * compiled once into a test over a request. Values of one key are ORed; negated operators are the
 * negation of their positive twin, so their values are effectively ANDed.
 */
import { parseConditionOperator, type ParsedOperator } from './condition-operators.js';
import { MalformedPolicyDocumentError } from './errors.js';
import { cidrContains, parseCidr, parseIpAddress, type CidrBlock } from './ip.js';
import type { RequestContext } from './request-context.js';
import type { ConditionEntry } from './types.js';
import { parseTemplate, resolveTemplate, joinResolved, type ResolvedPart, type TemplatePart } from './variables.js';
import { anyPasses, compileArnGlob, compileArnPattern, compileGlob, compileGlobPieces } from './wildcard.js';

/** A test of one request value against all of an entry's policy values (positive sense). */
type ValueTest = (requestValue: string) => boolean;
/** Builds the value test for one request (policy variables resolve per request). */
type ValueTestFactory = (context: RequestContext) => ValueTest;

/** A class rather than an object literal, so that V8 never pretenures it (young-objects.ts says why). */
export class CompiledCondition {
  constructor(
    readonly entry: ConditionEntry,
    readonly operator: ParsedOperator,
    /** Evaluates the entry; records the key on the context when the request lacks it. */
    readonly test: (context: RequestContext) => boolean,
    /** The request's values for the key (for explanations). */
    readonly requestValues: (context: RequestContext) => string[] | undefined,
  ) {}
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const EPOCH = /^\d+$/;

/** A number as AWS's Numeric operators read it; NaN when the text is not a number. */
export function parseNumeric(text: string): number {
  const trimmed = text.trim();
  return NUMBER.test(trimmed) ? Number(trimmed) : NaN;
}

/** A date as AWS's Date operators read it (ISO 8601 or epoch seconds), in epoch milliseconds; NaN if neither. */
export function parseDate(text: string): number {
  const trimmed = text.trim();
  // Four digits are an ISO 8601 year (W3C's `YYYY` form); longer runs of digits are epoch seconds.
  if (EPOCH.test(trimmed) && trimmed.length !== 4) return Number(trimmed) * 1000;
  if (!/^\d{4}(-\d{2}|$)/.test(trimmed)) return NaN;
  return Date.parse(trimmed);
}

function decodeBase64(text: string): string | undefined {
  try {
    return atob(text.trim());
  } catch {
    return undefined;
  }
}

/** Each value either fixed at compile time or a template resolved per request. */
class PolicyValue {
  constructor(
    readonly text: string,
    readonly template: TemplatePart[] | undefined,
  ) {}
}

function readValues(values: readonly string[], variables: boolean): PolicyValue[] {
  return values.map((text) => new PolicyValue(text, variables ? parseTemplate(text) : undefined));
}

function lookupFor(context: RequestContext) {
  return (keyLower: string) => context.single(keyLower);
}

/** Equality-style families: compare a normalized request value with normalized policy values. */
function equalityFactory(values: PolicyValue[], normalize: (text: string) => string): ValueTestFactory {
  const fixed = new Set(values.filter((v) => !v.template).map((v) => normalize(v.text)));
  const templates = values.filter((v) => v.template);
  const fixedTest: ValueTest = (requestValue) => fixed.has(normalize(requestValue));
  if (templates.length === 0) return () => fixedTest;
  return (context) => {
    const resolved = new Set(fixed);
    for (const value of templates) {
      const parts = resolveTemplate(value.template!, lookupFor(context));
      if (parts) resolved.add(normalize(joinResolved(parts)));
    }
    return (requestValue) => resolved.has(normalize(requestValue));
  };
}

/**
 * Pattern families (StringLike, ArnLike/ArnEquals): fixed values compile once; values with policy
 * variables compile per request, their substituted text taken literally (no wildcards).
 */
function patternFactory(
  values: PolicyValue[],
  compileFixed: (text: string) => ValueTest,
  compileResolved: (parts: ResolvedPart[]) => ValueTest,
): ValueTestFactory {
  const fixed = values.filter((v) => !v.template).map((v) => compileFixed(v.text));
  const templates = values.filter((v) => v.template);
  const fixedTest: ValueTest = (requestValue) => anyPasses(fixed, requestValue);
  if (templates.length === 0) return () => fixedTest;
  return (context) => {
    const tests = [...fixed];
    for (const value of templates) {
      const parts = resolveTemplate(value.template!, lookupFor(context));
      if (parts) tests.push(compileResolved(parts));
    }
    return (requestValue) => anyPasses(tests, requestValue);
  };
}

/** StringLike: case-sensitive globs. */
function globFactory(values: PolicyValue[]): ValueTestFactory {
  return patternFactory(values, (text) => compileGlob(text), compileGlobPieces);
}

/** ArnEquals and ArnLike alike: the six parts compared separately, each a case-sensitive glob. */
function arnFactory(values: PolicyValue[]): ValueTestFactory {
  return patternFactory(values, compileArnPattern, compileArnGlob);
}

function numericFactory(values: PolicyValue[], compare: (request: number, policy: number) => boolean): ValueTestFactory {
  const numbers = values.map((v) => parseNumeric(v.text));
  const test: ValueTest = (requestValue) => {
    const number = parseNumeric(requestValue);
    return !Number.isNaN(number) && numbers.some((policy) => !Number.isNaN(policy) && compare(number, policy));
  };
  return () => test;
}

function dateFactory(values: PolicyValue[], compare: (request: number, policy: number) => boolean): ValueTestFactory {
  const dates = values.map((v) => parseDate(v.text));
  const test: ValueTest = (requestValue) => {
    const date = parseDate(requestValue);
    return !Number.isNaN(date) && dates.some((policy) => !Number.isNaN(policy) && compare(date, policy));
  };
  return () => test;
}

function ipFactory(values: PolicyValue[]): ValueTestFactory {
  const blocks = values.map((v) => parseCidr(v.text)).filter((b): b is CidrBlock => b !== undefined);
  const test: ValueTest = (requestValue) => {
    const address = parseIpAddress(requestValue);
    return address !== undefined && blocks.some((block) => cidrContains(block, address));
  };
  return () => test;
}

const COMPARISONS: Record<string, (a: number, b: number) => boolean> = {
  Equals: (a, b) => a === b,
  NotEquals: (a, b) => a === b, // negation is applied by the caller
  LessThan: (a, b) => a < b,
  LessThanEquals: (a, b) => a <= b,
  GreaterThan: (a, b) => a > b,
  GreaterThanEquals: (a, b) => a >= b,
};

function valueTestFactory(operator: ParsedOperator, values: PolicyValue[]): ValueTestFactory {
  const name = operator.base.name;
  switch (operator.base.family) {
    case 'String':
      if (name === 'StringLike' || name === 'StringNotLike') return globFactory(values);
      if (name.endsWith('IgnoreCase')) return equalityFactory(values, (t) => t.toLowerCase());
      return equalityFactory(values, (t) => t);
    case 'Numeric':
      return numericFactory(values, COMPARISONS[name.slice('Numeric'.length)]!);
    case 'Date':
      return dateFactory(values, COMPARISONS[name.slice('Date'.length)]!);
    case 'Bool':
      return equalityFactory(values, (t) => t.toLowerCase());
    case 'Binary':
      return equalityFactory(values, (t) => decodeBase64(t) ?? `\u0000invalid:${t}`);
    case 'Ip':
      return ipFactory(values);
    case 'Arn':
      return arnFactory(values);
    case 'Null':
      return () => () => false;
  }
}

/** Compiles one operator/key pair. `variables` is false for documents older than 2012-10-17. */
export function compileCondition(entry: ConditionEntry, variables: boolean): CompiledCondition {
  const operator = parseConditionOperator(entry.operator);
  if (!operator) throw new MalformedPolicyDocumentError(`Invalid Condition type : ${entry.operator}`);
  const keyLower = entry.key.toLowerCase();
  const requestValues = (context: RequestContext) => context.values(keyLower);

  if (operator.base.family === 'Null') {
    const wantsAbsent = entry.values.map((v) => v.toLowerCase() === 'true');
    const test = (context: RequestContext): boolean => {
      const values = context.values(keyLower);
      const absent = values === undefined || values.length === 0;
      return wantsAbsent.some((want) => want === absent);
    };
    return new CompiledCondition(entry, operator, test, requestValues);
  }

  const factory = valueTestFactory(operator, readValues(entry.values, variables && operator.base.variables));
  const { negated } = operator.base;
  const { set, ifExists } = operator;
  const test = (context: RequestContext): boolean => {
    const values = context.values(keyLower);
    if (values === undefined || values.length === 0) {
      context.noteMissing(entry.key);
      if (ifExists || set === 'ForAllValues') return true;
      if (set === 'ForAnyValue') return false;
      return negated;
    }
    const matches = factory(context);
    if (set === 'ForAllValues') return values.every((value) => matches(value) !== negated);
    if (set === 'ForAnyValue') return values.some((value) => matches(value) !== negated);
    const any = values.length === 1 ? matches(values[0]!) : values.some(matches);
    return negated ? !any : any;
  };
  return new CompiledCondition(entry, operator, test, requestValues);
}

/**
 * The policy parser: JSON text (or an already-parsed object) → the normalized AST of types.ts, plus the
 * content rules every kind of policy shares. `parsePolicy` is kind-agnostic: it accepts any document that
 * is valid as some kind of policy and rejects, with IAM's exact wording, what no kind accepts.
 * Per-kind rules and the order in which AWS reports problems for each kind live in validate.ts.
 * Sources for every message: docs/policy-validation.md.
 */
import { PARTITIONS } from './arn.js';
import { parseConditionOperator } from './condition-operators.js';
import { MalformedPolicyDocumentError } from './errors.js';
import type { ConditionEntry, Effect, PolicyDocument, PrincipalBlock, Statement } from './types.js';
import { listOf, newObject } from './young-objects.js';

export const MESSAGES = {
  syntax: 'Syntax errors in policy.',
  legacyParsing: 'The policy failed legacy parsing',
  duplicateSid: 'Statement IDs (SID) in a single policy must be unique.',
  sidCharacters: 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
  noActions: 'Policy statement must contain actions.',
  noResources: 'Policy statement must contain resources.',
  actionWithoutVendor: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  actionWithColons: 'Actions/Condition can contain only one colon.',
  resourceVendor: 'Resource vendor must be fully qualified and cannot contain regexes.',
} as const;

/** What made a document unparseable; validate.ts words some of them differently for trust policies. */
export type SyntaxProblem = 'invalid-json' | 'empty-statement' | 'structure';

/** "Syntax errors in policy." with the reason kept, so a kind that words it differently can. */
export class PolicySyntaxError extends MalformedPolicyDocumentError {
  readonly problem: SyntaxProblem;

  constructor(problem: SyntaxProblem) {
    super(MESSAGES.syntax);
    this.problem = problem;
  }
}

/** A parsed document and the one thing the AST cannot show: an Effect not written `Allow`/`Deny` exactly. */
export interface PolicyAnalysis {
  document: PolicyDocument;
  nonCanonicalEffect: boolean;
}

/** Parses a policy and applies the rules every kind shares; throws MalformedPolicyDocumentError. */
export function parsePolicy(document: string | object): PolicyDocument {
  const { document: parsed, nonCanonicalEffect } = analyzePolicy(document);
  assertLegacyParsing(parsed, nonCanonicalEffect);
  assertUniqueSids(parsed);
  assertStatementsHaveActions(parsed);
  assertResourceFormats(parsed);
  assertActionVendors(parsed);
  return parsed;
}

/**
 * Checks the JSON structure and builds the AST; throws PolicySyntaxError. Content rules are not applied.
 * The AST is built without object and array literals (young-objects.ts says why).
 */
export function analyzePolicy(document: string | object): PolicyAnalysis {
  const root = readJson(document);
  if (!isPlainObject(root)) throw new PolicySyntaxError('structure');
  // for-in rather than Object.keys: no array per document (a parsed JSON object has only own keys).
  for (const key in root) if (!TOP_LEVEL_ELEMENTS.has(key)) syntaxError();
  const version = Object.hasOwn(root, 'Version') ? readVersion(root.Version!) : undefined;
  const id = Object.hasOwn(root, 'Id') ? readString(root.Id!) : undefined;
  const effects = { nonCanonical: false };
  const parsed = newObject<PolicyDocument>();
  parsed.statements = readStatements(root, effects);
  if (version !== undefined) parsed.version = version;
  if (id !== undefined) parsed.id = id;
  return { document: parsed, nonCanonicalEffect: effects.nonCanonical };
}

// ---------------------------------------------------------------------------------------------------
// Structure (JSON types and element names): "Syntax errors in policy."

const TOP_LEVEL_ELEMENTS: ReadonlySet<string> = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS: ReadonlySet<string> = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
const EXCLUSIVE_PAIRS = [
  ['Action', 'NotAction'],
  ['Resource', 'NotResource'],
  ['Principal', 'NotPrincipal'],
] as const;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function syntaxError(): never {
  throw new PolicySyntaxError('structure');
}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJson(document: string | object): Json {
  try {
    // An object goes through JSON text too, so both inputs are normalized the same way.
    const text = typeof document === 'string' ? document : JSON.stringify(document);
    if (typeof text !== 'string') throw new PolicySyntaxError('invalid-json');
    return JSON.parse(text) as Json;
  } catch {
    // Cycles, BigInts and bad JSON all land here: none of them is a policy.
    throw new PolicySyntaxError('invalid-json');
  }
}

function readVersion(value: Json): '2012-10-17' | '2008-10-17' {
  if (value === '2012-10-17' || value === '2008-10-17') return value;
  return syntaxError();
}

function readString(value: Json): string {
  return typeof value === 'string' ? value : syntaxError();
}

function readStringList(value: Json): string[] {
  if (typeof value === 'string') return listOf(value);
  if (!Array.isArray(value)) return syntaxError();
  return value.map(readString);
}

function readStatements(root: JsonObject, effects: { nonCanonical: boolean }): Statement[] {
  if (!Object.hasOwn(root, 'Statement')) syntaxError();
  const value = root.Statement!;
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) throw new PolicySyntaxError('empty-statement');
  return items.map((item, index) => readStatement(item, index, effects));
}

function readStatement(value: Json, index: number, effects: { nonCanonical: boolean }): Statement {
  if (!isPlainObject(value)) return syntaxError();
  for (const key in value) if (!STATEMENT_ELEMENTS.has(key)) syntaxError();
  for (const [a, b] of EXCLUSIVE_PAIRS) if (Object.hasOwn(value, a) && Object.hasOwn(value, b)) syntaxError();
  const statement = newObject<Statement>();
  statement.index = index;
  statement.effect = readEffect(value, effects);
  if (Object.hasOwn(value, 'Sid')) statement.sid = readString(value.Sid!);
  if (Object.hasOwn(value, 'Principal')) statement.principal = readPrincipal(value.Principal!);
  if (Object.hasOwn(value, 'NotPrincipal')) statement.notPrincipal = readPrincipal(value.NotPrincipal!);
  if (Object.hasOwn(value, 'Action')) statement.action = readStringList(value.Action!);
  if (Object.hasOwn(value, 'NotAction')) statement.notAction = readStringList(value.NotAction!);
  if (Object.hasOwn(value, 'Resource')) statement.resource = readStringList(value.Resource!);
  if (Object.hasOwn(value, 'NotResource')) statement.notResource = readStringList(value.NotResource!);
  if (Object.hasOwn(value, 'Condition')) {
    const condition = readCondition(value.Condition!);
    if (condition.length > 0) statement.condition = condition;
  }
  return statement;
}

/** IAM's syntax check takes Effect in any case; the exact spelling is checked later, by "legacy parsing". */
function readEffect(statement: JsonObject, effects: { nonCanonical: boolean }): Effect {
  const raw = Object.hasOwn(statement, 'Effect') ? statement.Effect : undefined;
  if (raw === 'Allow' || raw === 'Deny') return raw;
  if (typeof raw !== 'string') return syntaxError();
  const lower = raw.toLowerCase();
  const effect: Effect | undefined = lower === 'allow' ? 'Allow' : lower === 'deny' ? 'Deny' : undefined;
  if (!effect) return syntaxError();
  if (raw !== effect) effects.nonCanonical = true;
  return effect;
}

function readPrincipal(value: Json): PrincipalBlock {
  const block = newObject<PrincipalBlock>();
  block.wildcard = value === '*';
  if (block.wildcard) return block;
  if (!isPlainObject(value)) return syntaxError();
  for (const key of Object.keys(value)) {
    const type = PRINCIPAL_TYPES.find((name) => name === key);
    if (!type) syntaxError();
    block[type] = readStringList(value[key]!);
  }
  return block;
}

function readCondition(value: Json): ConditionEntry[] {
  if (!isPlainObject(value)) return syntaxError();
  return Object.entries(value).flatMap(([operator, block]) => {
    if (!isPlainObject(block)) syntaxError();
    const keys = Object.entries(block);
    const values = keys.map(([, list]) => readConditionValues(list));
    // IAM accepts an unknown operator whose block is empty (it says nothing), and nothing else unknown.
    if (!parseConditionOperator(operator)) {
      if (keys.length > 0) syntaxError();
      return NO_ENTRIES;
    }
    return keys.map(([key], i) => conditionEntry(operator, key, values[i]!));
  });
}

const NO_ENTRIES: readonly ConditionEntry[] = Object.freeze([]);

function conditionEntry(operator: string, key: string, values: string[]): ConditionEntry {
  const entry = newObject<ConditionEntry>();
  entry.operator = operator;
  entry.key = key;
  entry.values = values;
  return entry;
}

function readConditionValues(value: Json): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    if (typeof item === 'string') return item;
    // AWS takes JSON booleans and numbers as the text they spell (`false`, `3600`).
    if (typeof item === 'boolean' || typeof item === 'number') return String(item);
    return syntaxError();
  });
}

// ---------------------------------------------------------------------------------------------------
// Rules every kind shares. validate.ts calls them in the order AWS reports problems for each kind.

function fail(message: string): never {
  throw new MalformedPolicyDocumentError(message);
}

/** Effect spelled in another case, unreadable dates and half-formed ARNs: "The policy failed legacy parsing". */
export function assertLegacyParsing(document: PolicyDocument, nonCanonicalEffect: boolean): void {
  if (nonCanonicalEffect || hasUnreadableDate(document) || resourceFindings(document).failsLegacyParsing) {
    fail(MESSAGES.legacyParsing);
  }
}

/** Non-empty Sids must differ (case-sensitively) within one policy. */
export function assertUniqueSids(document: PolicyDocument): void {
  // The set only for documents of several statements with Sids: most new documents have neither.
  if (document.statements.length < 2) return;
  let seen: Set<string> | undefined;
  for (const { sid } of document.statements) {
    if (!sid) continue;
    seen ??= new Set();
    if (seen.has(sid)) fail(MESSAGES.duplicateSid);
    seen.add(sid);
  }
}

/** IAM's own policies (identity, boundary, trust) take only ASCII letters and digits in a Sid. */
export function assertAlphanumericSids(document: PolicyDocument): void {
  for (const { sid } of document.statements) if (sid && !/^[0-9A-Za-z]*$/.test(sid)) fail(MESSAGES.sidCharacters);
}

/** Every statement needs a non-empty Action or NotAction. */
export function assertStatementsHaveActions(document: PolicyDocument): void {
  for (const s of document.statements) if (!(s.action ?? s.notAction)?.length) fail(MESSAGES.noActions);
}

/** Every statement needs a non-empty Resource or NotResource (not trust policies: they may not have one). */
export function assertStatementsHaveResources(document: PolicyDocument): void {
  for (const s of document.statements) if (!(s.resource ?? s.notResource)?.length) fail(MESSAGES.noResources);
}

/** The first (by IAM's scan order) Resource/NotResource entry IAM rejects, with its message. */
export function assertResourceFormats(document: PolicyDocument): void {
  const { formatError } = resourceFindings(document);
  if (formatError) fail(formatError);
}

/** `vendor:action` with one colon and a plain vendor, or `*`. */
export function assertActionVendors(document: PolicyDocument): void {
  // IAM reports Action problems of every statement before any NotAction problem.
  for (const { action } of document.statements) if (action) for (const name of action) assertActionVendor(name);
  for (const { notAction } of document.statements) if (notAction) for (const name of notAction) assertActionVendor(name);
}

function assertActionVendor(action: string): void {
  // Colons found by position rather than by split(), the vendor checked in place: this runs for every
  // action of every new document.
  const colon = action.indexOf(':');
  if (colon < 0 && action !== '*') fail(MESSAGES.actionWithoutVendor);
  if (colon >= 0 && action.indexOf(':', colon + 1) >= 0) fail(MESSAGES.actionWithColons);
  const end = colon < 0 ? action.length : colon;
  if (end === 1 && action.charCodeAt(0) === STAR) return;
  for (let i = 0; i < end; i++) if (!isVendorCharacter(action.charCodeAt(i))) fail(`Vendor ${action.slice(0, end)} is not valid`);
}

const STAR = 0x2a;

/** [a-zA-Z0-9.-] */
function isVendorCharacter(code: number): boolean {
  const letter = code | 0x20; // folds A-Z onto a-z
  return (letter >= 0x61 && letter <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2e || code === 0x2d;
}

// Resources -----------------------------------------------------------------------------------------

const IAM_RESOURCE_PREFIXES = [
  'user/',
  'federated-user/',
  'role/',
  'group/',
  'instance-profile/',
  'mfa/',
  'server-certificate/',
  'policy/',
  'sms-mfa/',
  'saml-provider/',
  'oidc-provider/',
  'report/',
  'access-report/',
];

interface ResourceFindings {
  document: PolicyDocument;
  formatError?: string;
  failsLegacyParsing: boolean;
}

/**
 * The findings of the document last scanned: legacy parsing and the format rule both ask, one after the
 * other, for the same document (one entry, not a WeakMap, which costs more than the scan it saves).
 */
let lastScanned: ResourceFindings | undefined;

const RESOURCE_ELEMENTS = ['resource', 'notResource'] as const;

/**
 * IAM scans every statement's Resource, then every NotResource (a list in descending order), keeping the
 * last format problem it meets; a statement's entries are "legacy parsed" only while none has been met.
 */
function resourceFindings(document: PolicyDocument): ResourceFindings {
  if (lastScanned?.document === document) return lastScanned;
  const findings: ResourceFindings = { document, failsLegacyParsing: false };
  for (const element of RESOURCE_ELEMENTS) {
    for (const statement of document.statements) {
      const entries = statement[element];
      if (!entries) continue;
      for (const entry of entries.length === 1 ? entries : [...entries].sort().reverse()) {
        const problem = resourceFormatProblem(entry);
        if (problem) findings.formatError = problem;
      }
      if (!findings.formatError && entries.some(failsLegacyResourceParsing)) findings.failsLegacyParsing = true;
    }
  }
  lastScanned = findings;
  return findings;
}

/**
 * Whether no format rule can object to the ARN: a known partition, and a service other than IAM, or S3
 * without a region or with an account. Parts are found by position and compared in place, without
 * splitting: this runs for every Resource of every new document.
 */
function isPlainArn(resource: string): boolean {
  if (!resource.startsWith('arn:')) return false;
  const partitionEnd = resource.indexOf(':', 4);
  const serviceEnd = partitionEnd < 0 ? -1 : resource.indexOf(':', partitionEnd + 1);
  const regionEnd = serviceEnd < 0 ? -1 : resource.indexOf(':', serviceEnd + 1);
  if (regionEnd < 0) return false;
  if (!resource.startsWith('aws:', 4)) {
    const partition = resource.slice(4, partitionEnd);
    if (partition !== '*' && !PARTITIONS.has(partition)) return false;
  }
  const serviceLength = serviceEnd - partitionEnd - 1;
  if (serviceLength === 3 && resource.startsWith('iam', partitionEnd + 1)) return false;
  if (serviceLength === 2 && resource.startsWith('s3', partitionEnd + 1)) {
    // The rule resourceFormatProblem applies to S3: a region only with an account.
    const accountEnd = resource.indexOf(':', regionEnd + 1);
    const hasRegion = regionEnd > serviceEnd + 1;
    const hasAccount = (accountEnd < 0 ? resource.length : accountEnd) > regionEnd + 1;
    return !hasRegion || hasAccount;
  }
  return true;
}

function resourceFormatProblem(resource: string): string | undefined {
  if (resource === '*' || isPlainArn(resource)) return undefined;
  const parts = resource.split(':');
  if (parts.length === 1) return `Resource ${resource} must be in ARN format or "*".`;
  const partition = parts[1]!;
  if (partition !== '*' && !PARTITIONS.has(partition)) {
    return partitionProblem(partition, parts.length > 2 ? parts.slice(2) : ['']);
  }
  if (parts.length === 2) return MESSAGES.resourceVendor;
  const service = parts[2]!;
  const hasRegion = parts.length === 3 || parts[3] !== '';
  if (service === 'iam' && hasRegion) return `IAM resource ${resource} cannot contain region information.`;
  // Buckets and objects have no region; access points and other account-scoped S3 resources do.
  const hasAccount = (parts[4] ?? '') !== '';
  if (service === 's3' && hasRegion && !hasAccount) return `Resource ${resource} can not contain region information.`;
  if (service === 'iam') return iamResourceProblem(parts.slice(5).join(':'));
  return undefined;
}

/** IAM shows the rest of the would-be ARN with `*` for each part that is missing. */
function partitionProblem(partition: string, rest: string[]): string {
  const service = rest[0] !== '' || rest.length > 1 ? rest[0]! : '*';
  const region = rest.length > 1 ? rest[1]! : '*';
  const account = rest.length > 2 ? rest[2]! : '*';
  const name = rest.length > 3 ? rest.slice(3).join(':') : '*';
  return `Partition "${partition}" is not valid for resource "arn:${partition}:${service}:${region}:${account}:${name}".`;
}

function iamResourceProblem(path: string): string | undefined {
  if (path === '*' || IAM_RESOURCE_PREFIXES.some((prefix) => path.startsWith(prefix))) return undefined;
  return `IAM resource path must either be "*" or start with ${IAM_RESOURCE_PREFIXES.join(', ')}.`;
}

function failsLegacyResourceParsing(resource: string): boolean {
  if (resource === '*') return false;
  // The third part (the service) must not be empty, and an ARN of fewer than six parts must not have an
  // empty one anywhere: colons located by position, without splitting.
  const first = resource.indexOf(':');
  const second = first < 0 ? -1 : resource.indexOf(':', first + 1);
  const third = second < 0 ? -1 : resource.indexOf(':', second + 1);
  if (second >= 0 && (third < 0 ? resource.length : third) === second + 1) return true;
  let colons = 0;
  for (let at = resource.indexOf(':'); at >= 0 && colons < 5; at = resource.indexOf(':', at + 1)) colons++;
  return colons < 5 && resource.includes('::');
}

// Dates ---------------------------------------------------------------------------------------------

const MAX_EPOCH = 9223372036854775807n;
const MIN_YEAR = -292275054;
const MAX_YEAR = 292278993;

function hasUnreadableDate(document: PolicyDocument): boolean {
  for (const statement of document.statements) {
    for (const entry of statement.condition ?? []) {
      if (parseConditionOperator(entry.operator)?.base.family !== 'Date') continue;
      if (!entry.values.every(isReadableDate)) return true;
    }
  }
  return false;
}

/** An ISO 8601 date/time (as loosely as IAM reads it) or epoch seconds that fit a signed 64-bit integer. */
export function isReadableDate(text: string): boolean {
  const lower = text.toLowerCase();
  if (lower.includes('t') || lower.includes('-')) return isReadableIsoDate(lower);
  return /^\d+$/.test(text) && BigInt(text) <= MAX_EPOCH;
}

function inRange(text: string | undefined, min: number, max: number): boolean {
  return text !== undefined && /^\d+$/.test(text) && Number(text) >= min && Number(text) <= max;
}

function isReadableIsoDate(lower: string): boolean {
  const t = lower.indexOf('t');
  const datePart = t < 0 ? lower : lower.slice(0, t);
  const timePart = t < 0 ? '' : lower.slice(t + 1);
  return isReadableCalendarDate(datePart) && isReadableTime(timePart);
}

function isReadableCalendarDate(text: string): boolean {
  const negative = text.startsWith('-');
  const [year, month, day, ...extra] = (negative ? text.slice(1) : text).split('-');
  if (extra.length > 0 || year === undefined || !/^\d+$/.test(year)) return false;
  const signedYear = negative ? -Number(year) : Number(year);
  if (signedYear < MIN_YEAR || signedYear > MAX_YEAR) return false;
  if (month !== undefined && !inRange(month, 1, 12)) return false;
  return day === undefined || inRange(day, 1, 31);
}

function isReadableTime(text: string): boolean {
  if (text === '') return true;
  const match = /^(\d+)(?::(\d+)(?::(\d+)(?:\.(\d+))?)?)?(z|[+-](\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!match) return false;
  const [, hours, minutes, seconds, fraction, , zoneHours, zoneMinutes] = match;
  if (!inRange(hours, 0, 23)) return false;
  if (minutes !== undefined && !inRange(minutes, 0, 59)) return false;
  if (seconds !== undefined && !inRange(seconds, 0, 59)) return false;
  if (fraction !== undefined && fraction.length > 9) return false;
  if (zoneHours !== undefined && !inRange(zoneHours, 0, 23)) return false;
  return zoneMinutes === undefined || inRange(zoneMinutes, 0, 59);
}

/**
 * Compiling: a policy document is parsed, validated for its kind and turned into matchers once, then
 * cached by content, so evaluation never re-parses. Compiled statements test the cheapest element first
 * (action, then resource, principal, conditions).
 */
import { BoundedCache } from './bounded-cache.js';
import { compileCondition, type CompiledCondition } from './conditions.js';
import { parsePolicy } from './parse.js';
import { compilePrincipal, type CompiledPrincipal } from './principals.js';
import type { RequestContext } from './request-context.js';
import { RecentHashes, textHash } from './text-hash.js';
import type { CompiledPolicyRef, Effect, PolicyDocument, PolicyInput, PolicyKind, Statement } from './types.js';
import { checkParsedPolicyKind, validateAndParsePolicy, type ValidateOptions } from './validate.js';
import { resolveTemplate, resourceTemplate } from './variables.js';
import { newObject } from './young-objects.js';
import { anyPasses, compileArnGlob, hasWildcard, compileArnPattern, compileGlobList, type PatternPiece, type StringTest } from './wildcard.js';

type RequestTest = (context: RequestContext) => boolean;

// The compiled forms are class instances rather than object literals, so that V8 never allocates them in
// the old generation from the start: young-objects.ts says why.

export class CompiledStatement {
  readonly effect: Effect;
  readonly principal: CompiledPrincipal | undefined;
  readonly notPrincipal: CompiledPrincipal | undefined;

  constructor(
    readonly statement: Statement,
    /** Action/NotAction against the lower-cased request action. */
    readonly matchesAction: RequestTest,
    /** Resource/NotResource; true when the statement has neither (trust policies). */
    readonly matchesResource: RequestTest,
    readonly conditions: readonly CompiledCondition[],
  ) {
    this.effect = statement.effect;
    this.principal = statement.principal ? compilePrincipal(statement.principal) : undefined;
    this.notPrincipal = statement.notPrincipal ? compilePrincipal(statement.notPrincipal) : undefined;
  }
}

/** The shared, content-cached body of a compiled policy. */
export class PolicyBody {
  constructor(
    readonly document: PolicyDocument,
    readonly statements: readonly CompiledStatement[],
    /**
     * For policies of several statements: by lower-cased service prefix, the statements (in document order)
     * whose Action or NotAction can match an action of that service, so a request skips the others.
     */
    readonly byService?: ReadonlyMap<string, readonly CompiledStatement[]>,
    /** With byService: the statements that can match an action of any service (NotAction, `*`, `s3*:...`). */
    readonly anyService?: readonly CompiledStatement[],
  ) {}
}

export class CompiledPolicy implements CompiledPolicyRef {
  readonly compiled = true;

  constructor(
    readonly body: PolicyBody,
    readonly name?: string,
  ) {}
}

export interface CompileOptions {
  /** Validate the document as this kind of policy (AWS's per-kind rules). */
  kind?: PolicyKind;
  name?: string;
}

const MATCHES_ANY: RequestTest = () => true;
const MATCHES_NONE: RequestTest = () => false;

function compileActionTest(actions: readonly string[]): RequestTest {
  // Action names are case-insensitive and never take policy variables (reference_policies_variables.html).
  if (actions.length === 1 && !hasWildcard(actions[0]!)) {
    // One action, the common case: compared in place, without a string test in between.
    const action = actions[0]!.toLowerCase();
    return (context) => context.actionLower === action;
  }
  const test = compileGlobList(actions, true);
  return (context) => test(context.actionLower);
}

/** A Resource entry; policy variables are substituted only in the resource part (after the fifth colon). */
function compileResourceEntry(pattern: string, variables: boolean): RequestTest {
  const template = variables ? resourceTemplate(pattern) : undefined;
  if (!template) {
    const test = compileArnPattern(pattern);
    return (context) => test(context.resource);
  }
  const { prefix, parts: resourcePart } = template;
  // Each distinct substitution compiles once; the cache is bounded because values come from requests.
  const compiledBySubstitution = new Map<string, StringTest>();
  return (context) => {
    const resolved = resolveTemplate(resourcePart, (key) => context.single(key));
    if (!resolved) return false; // a variable without a value makes the entry match nothing
    const cacheKey = resolved.map((p) => `${p.literal ? 'L' : 'T'}${p.text.length}:${p.text}`).join('');
    let test = compiledBySubstitution.get(cacheKey);
    if (!test) {
      const pieces: PatternPiece[] = [{ literal: false, text: prefix }, ...resolved];
      test = compileArnGlob(pieces);
      if (compiledBySubstitution.size >= 1024) compiledBySubstitution.clear();
      compiledBySubstitution.set(cacheKey, test);
    }
    return test(context.resource);
  };
}

/** Whether every policy variable of these Resource entries has a value in the request. */
function compileVariablesResolvable(resources: readonly string[], variables: boolean): RequestTest | undefined {
  const templates = variables ? resources.map((r) => resourceTemplate(r)?.parts).filter((parts) => parts !== undefined) : [];
  if (templates.length === 0) return undefined;
  return (context) => templates.every((parts) => resolveTemplate(parts, (key) => context.single(key)) !== undefined);
}

/**
 * The statement's Resource or NotResource test. A Resource entry whose variable has no value matches
 * nothing (the others still may); and "If AWS cannot resolve a variable, this might cause the entire
 * statement to be invalid" (reference_policies_variables.html): a NotResource naming a variable the
 * request has no value for makes the statement not apply — instead of matching everything.
 */
function compileResourceElement(resources: readonly string[], variables: boolean, negated: boolean): RequestTest {
  const test = compileResourceTest(resources, variables);
  if (!negated) return test;
  const resolvable = compileVariablesResolvable(resources, variables);
  return resolvable ? (context) => resolvable(context) && !test(context) : negate(test);
}

function compileResourceTest(resources: readonly string[], variables: boolean): RequestTest {
  if (resources.includes('*')) return MATCHES_ANY;
  if (resources.length === 1 && !hasWildcard(resources[0]!) && !(variables && resources[0]!.includes('${'))) {
    // One ARN without wildcards or variables, the common case: compared in place.
    const resource = resources[0]!;
    return (context) => context.resource === resource;
  }
  const dynamic = variables && resources.some((r) => r.includes('${'));
  if (!dynamic) {
    const tests: StringTest[] = resources.map((r) => compileArnPattern(r));
    if (tests.length === 1) {
      const only = tests[0]!;
      return (context) => only(context.resource);
    }
    return (context) => anyPasses(tests, context.resource);
  }
  const tests = resources.map((r) => compileResourceEntry(r, variables));
  return (context) => {
    for (const test of tests) if (test(context)) return true;
    return false;
  };
}

function compileStatement(statement: Statement, variables: boolean): CompiledStatement {
  const matchesAction: RequestTest = statement.action
    ? compileActionTest(statement.action)
    : statement.notAction
      ? negate(compileActionTest(statement.notAction))
      : MATCHES_NONE;
  const matchesResource: RequestTest = statement.resource
    ? compileResourceElement(statement.resource, variables, false)
    : statement.notResource
      ? compileResourceElement(statement.notResource, variables, true)
      : MATCHES_ANY;
  const conditions = statement.condition ? statement.condition.map((entry) => compileCondition(entry, variables)) : NO_CONDITIONS;
  return new CompiledStatement(statement, matchesAction, matchesResource, conditions);
}

const NO_CONDITIONS: readonly CompiledCondition[] = Object.freeze([]);

function negate(test: RequestTest): RequestTest {
  return (context) => !test(context);
}

/**
 * The services whose actions the statement's Action can match (lower-cased), or undefined when it can
 * match actions of any service: NotAction, `*`, or a wildcard in the service prefix.
 */
function actionServices(statement: Statement): Set<string> | undefined {
  if (!statement.action) return undefined;
  const services = new Set<string>();
  for (const pattern of statement.action) {
    const colon = pattern.indexOf(':');
    const service = colon < 0 ? pattern : pattern.slice(0, colon);
    if (colon < 0 || hasWildcard(service)) return undefined;
    services.add(service.toLowerCase());
  }
  return services;
}

/** Below this many statements, testing each one costs less than looking its service up. */
const INDEX_FROM_STATEMENTS = 4;

/** A body with its statements indexed by the services their actions can match (see PolicyBody.byService). */
function indexedBody(document: PolicyDocument, statements: readonly CompiledStatement[]): PolicyBody {
  const servicesOf = statements.map((compiled) => actionServices(compiled.statement));
  const byService = new Map<string, readonly CompiledStatement[]>();
  for (const services of servicesOf) {
    for (const service of services ?? []) {
      if (!byService.has(service)) byService.set(service, statements.filter((_, i) => servicesOf[i]?.has(service) ?? true));
    }
  }
  const anyService = statements.filter((_, i) => servicesOf[i] === undefined);
  return new PolicyBody(document, statements, byService, anyService);
}

/** The statements of the body that can apply to the request's action, in document order. */
export function candidateStatements(body: PolicyBody, context: RequestContext): readonly CompiledStatement[] {
  if (!body.byService) return body.statements;
  const service = context.actionService;
  return (service === undefined ? undefined : body.byService.get(service)) ?? body.anyService!;
}

/** Compiles a parsed document (no validation beyond what parsing did). */
export function compileDocument(document: PolicyDocument): PolicyBody {
  // Variables are substituted only in 2012-10-17 documents; elsewhere `${...}` is literal text.
  const variables = document.version === '2012-10-17';
  const statements = document.statements.map((s) => compileStatement(s, variables));
  if (statements.length < INDEX_FROM_STATEMENTS) return new PolicyBody(document, statements);
  return indexedBody(document, statements);
}

const CACHE_LIMIT = 10_000;

/** A document's text and its compiled bodies, one per kind it was validated as ('' for none). */
class KeptDocument {
  readonly bodies = newObject<Partial<Record<PolicyKind | '', PolicyBody>>>();

  constructor(readonly text: string) {}
}

/**
 * Compiled bodies, each kept from its document's second sight on. Most documents seen once are never
 * seen again (SimulateCustomPolicy, bulk validation, `policy eval` over distinct documents), and keeping
 * every compiled form moved them all to the heap's old generation only to become garbage there (measured:
 * that alone halved the cold path's speed). A first sight leaves only the text's hash in `seen`, so that
 * the second is recognized. Keyed by the hash of the text (text-hash.ts), the one hash a compilation
 * computes; an entry holds its text, compared on every hit, so two texts with one hash never share a body.
 */
const kept = new BoundedCache<number, KeptDocument>(CACHE_LIMIT);
const seen = new RecentHashes(65_536);

/** The kept entry of the text, if any. */
function keptDocument(text: string, hash: number): KeptDocument | undefined {
  const entry = kept.get(hash);
  return entry?.text === text ? entry : undefined;
}

function isCompiled(policy: unknown): policy is CompiledPolicy {
  return typeof policy === 'object' && policy !== null && (policy as CompiledPolicy).compiled === true && 'body' in policy;
}

function isPolicyInput(policy: unknown): policy is PolicyInput {
  return typeof policy === 'object' && policy !== null && 'document' in policy && !('Statement' in policy);
}

/** The compiled form of a policy in an evaluation: a no-op for policies compiled in advance. */
export function ensureCompiled(policy: PolicyInput | CompiledPolicyRef, kind: PolicyKind): CompiledPolicy {
  if (isCompiled(policy)) return policy;
  const input = inputOf(policy);
  return compileInput(input, kind, input.name);
}

/**
 * Compiles a policy — a `{name, document}` input, a JSON string or a document object — validating it
 * for `kind` when given. Identical documents share one compiled body.
 */
export function compilePolicy(policy: PolicyInput | CompiledPolicyRef | string | object, options: CompileOptions = {}): CompiledPolicy {
  if (isCompiled(policy)) return policy;
  const input = inputOf(policy);
  return compileInput(input, options.kind ?? '', options.name ?? input.name);
}

function inputOf(policy: PolicyInput | string | object): PolicyInput {
  return isPolicyInput(policy) ? policy : { document: policy };
}

function compileInput(input: PolicyInput, kind: PolicyKind | '', name: string | undefined): CompiledPolicy {
  const text = typeof input.document === 'string' ? input.document : JSON.stringify(input.document);
  const hash = textHash(text);
  const entry = keptDocument(text, hash);
  const body = entry?.bodies[kind] ?? keepBody(text, hash, kind, entry, compileDocument(parseAs(text, kind)));
  return new CompiledPolicy(body, name);
}

/** Parses a document and, when a kind is given, applies the rules of that kind. */
function parseAs(text: string, kind: PolicyKind | ''): PolicyDocument {
  const document = parsePolicy(text);
  if (kind !== '') checkParsedPolicyKind(document, kind);
  return document;
}

/**
 * Keeps the body compiled from `text` from the text's second sight on; `entry` holds the text's bodies
 * of other kinds, if any.
 */
function keepBody(text: string, hash: number, kind: PolicyKind | '', entry: KeptDocument | undefined, body: PolicyBody): PolicyBody {
  if (entry) entry.bodies[kind] = body;
  else if (seen.seenBefore(hash)) {
    const added = new KeptDocument(text);
    added.bodies[kind] = body;
    kept.set(hash, added);
  }
  return body;
}

/**
 * Validates a policy given as text for `kind` (validatePolicy: AWS's rules, messages and order) and, when
 * valid, compiles it as compilePolicy without a kind would, parsing it once for both: SimulateCustomPolicy
 * and `policy eval` see mostly documents they have not seen before.
 */
export function compileValidatedPolicy(
  input: { name?: string; document: string },
  kind: PolicyKind,
  options: ValidateOptions,
): { valid: true; compiled: CompiledPolicy } | { valid: false; error: { code: string; message: string } } {
  const text = input.document;
  const validation = validateAndParsePolicy(text, kind, options);
  if (!validation.valid) return validation;
  const hash = textHash(text);
  const entry = keptDocument(text, hash);
  const body = entry?.bodies[''] ?? keepBody(text, hash, '', entry, compileDocument(validation.document));
  return { valid: true, compiled: new CompiledPolicy(body, input.name) };
}

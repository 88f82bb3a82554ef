/**
 * One line of `rolecall policy eval`: decode the JSON request into an EvaluationInput (validating every
 * policy for its kind, as AWS would when the policy was stored), decide it, and shape the output line.
 * The format is documented in docs/policy-eval.md.
 */
import { AwsError } from '../policy/errors.js';
import { compilePolicy, compileValidatedPolicy, evaluate } from '../policy/index.js';
import type {
  AuthorizationRequest,
  CompiledPolicyRef,
  ContextValue,
  EvaluationInput,
  EvaluationResult,
  PolicyKind,
} from '../policy/types.js';

/** IAM's InvalidInput (HTTP 400): the line itself is not a well-formed request. */
export class InvalidInputError extends AwsError {
  constructor(message: string) {
    super('InvalidInput', message, 400);
  }
}

export interface LineError {
  code: string;
  message: string;
  /** Where the offending policy sits in the line, e.g. `identityPolicies[1]`. */
  policy?: string;
}

export type LineOutput =
  | Pick<EvaluationResult, 'decision' | 'decisive' | 'missingContextKeys' | 'explain'>
  | { error: LineError };

type JsonObject = Record<string, unknown>;
type ResourcePolicyKind = NonNullable<EvaluationInput['resourcePolicyKind']>;

const LINE_FIELDS = new Set([
  'request',
  'identityPolicies',
  'permissionsBoundary',
  'sessionPolicies',
  'resourcePolicy',
  'resourcePolicyKind',
  'serviceControlPolicies',
  'resourceControlPolicies',
  'managementAccount',
]);
const REQUEST_FIELDS = new Set(['principal', 'action', 'resource', 'resourceAccount', 'context']);
const WRAPPER_FIELDS = new Set(['name', 'document']);
const RESOURCE_POLICY_KINDS: readonly ResourcePolicyKind[] = ['resource', 'trust', 'key'];

/** Bounds memory on endless streams of distinct policies; repeated documents stay well inside it. */
const MAX_CACHED_VERDICTS = 10_000;

/** A MalformedPolicyDocument (or other AWS error) located at one policy of the line. */
class PolicyError extends Error {
  constructor(
    readonly error: { code: string; message: string },
    readonly where: string,
  ) {
    super(error.message);
  }
}

/**
 * Validates each distinct (kind, document) pair once, from the parse that compiles it, as streams
 * typically repeat the same few policies on every line. Compilation is cached by compilePolicy itself.
 */
class PolicyCompiler {
  private readonly verdicts = new Map<string, { code: string; message: string } | null>();

  compile(document: string | object, kind: PolicyKind, name: string | undefined, where: string): CompiledPolicyRef {
    const content = typeof document === 'string' ? document : JSON.stringify(document);
    const key = `${kind}\n${content}`;
    const cached = this.verdicts.get(key);
    if (cached === undefined) return this.validateAndCompile(key, content, kind, name, where);
    if (cached) throw new PolicyError(cached, where);
    try {
      // Kind was checked above; compiling without it lets every kind share one compiled body.
      return compilePolicy(content, name === undefined ? {} : { name });
    } catch (thrown) {
      if (thrown instanceof AwsError) throw new PolicyError(thrown.toJSON(), where);
      throw thrown;
    }
  }

  /** A document new to this stream: validated and compiled from one parse, its verdict remembered. */
  private validateAndCompile(key: string, content: string, kind: PolicyKind, name: string | undefined, where: string): CompiledPolicyRef {
    // An identity policy on a line may be inline or managed; the inline rules are the wider (a policy
    // without Version is valid inline), so a document AWS could hold is never refused here.
    const result = compileValidatedPolicy(name === undefined ? { document: content } : { name, document: content }, kind, { checkSize: false, inline: true });
    if (this.verdicts.size >= MAX_CACHED_VERDICTS) this.verdicts.clear();
    this.verdicts.set(key, result.valid ? null : result.error);
    if (!result.valid) throw new PolicyError(result.error, where);
    return result.compiled;
  }
}

/** Decides JSON lines one at a time; keeps the validation cache across lines. */
export class EvaluationLineDecider {
  private readonly compiler = new PolicyCompiler();

  constructor(private readonly options: { explain: boolean }) {}

  /** The output object for one non-blank input line; never throws. */
  decide(line: string, lineNumber: number): LineOutput {
    try {
      const input = this.decodeLine(line);
      return shapeResult(evaluate(input, { explain: this.options.explain }), this.options.explain);
    } catch (thrown) {
      return { error: describeError(thrown, lineNumber) };
    }
  }

  private decodeLine(line: string): EvaluationInput {
    const value = parseJsonLine(line);
    const fields = requireObject(value, 'the line');
    rejectUnknownFields(fields, LINE_FIELDS, 'the line');
    const resourcePolicyKind = decodeResourcePolicyKind(fields.resourcePolicyKind);
    const input: EvaluationInput = {
      request: decodeRequest(fields.request),
      identityPolicies: this.decodePolicyList(fields.identityPolicies, 'identityPolicies', 'identity'),
      permissionsBoundary: this.decodeOptionalPolicy(fields.permissionsBoundary, 'permissionsBoundary', 'boundary'),
      sessionPolicies: this.decodePolicyList(fields.sessionPolicies, 'sessionPolicies', 'session'),
      resourcePolicy: this.decodeOptionalPolicy(fields.resourcePolicy, 'resourcePolicy', validationKindOf(resourcePolicyKind)),
      resourcePolicyKind,
      serviceControlPolicies: this.decodePolicyLevels(fields.serviceControlPolicies, 'serviceControlPolicies', 'scp'),
      resourceControlPolicies: this.decodePolicyLevels(fields.resourceControlPolicies, 'resourceControlPolicies', 'rcp'),
    };
    const managementAccount = optionalString(fields.managementAccount, 'managementAccount');
    if (managementAccount !== undefined) input.managementAccount = managementAccount;
    return input;
  }

  private decodePolicyLevels(value: unknown, field: string, kind: PolicyKind): CompiledPolicyRef[][] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw new InvalidInputError(`${field} must be an array of levels, each an array of policies.`);
    return value.map((level, index) => {
      if (!Array.isArray(level)) throw new InvalidInputError(`${field}[${index}] must be an array of policies (one level).`);
      return this.decodePolicyList(level, `${field}[${index}]`, kind);
    });
  }

  private decodePolicyList(value: unknown, field: string, kind: PolicyKind): CompiledPolicyRef[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw new InvalidInputError(`${field} must be an array of policies.`);
    return value.map((policy, index) => this.decodePolicy(policy, `${field}[${index}]`, kind));
  }

  private decodeOptionalPolicy(value: unknown, field: string, kind: PolicyKind): CompiledPolicyRef | null {
    if (value === undefined || value === null) return null;
    return this.decodePolicy(value, field, kind);
  }

  private decodePolicy(value: unknown, where: string, kind: PolicyKind): CompiledPolicyRef {
    const { name, document } = unwrapPolicy(value, where);
    return this.compiler.compile(document, kind, name, where);
  }
}

/**
 * A policy is `{"name":..., "document":...}` or a bare document (an object with `Statement`), or a
 * document as a JSON string. An object with `document` and no `Statement` is the wrapped form.
 */
function unwrapPolicy(value: unknown, where: string): { name?: string; document: string | object } {
  if (typeof value === 'string') return { document: value };
  const fields = requireObject(value, where, 'a policy ({"name":..., "document":...} or a policy document)');
  if (!('document' in fields) || 'Statement' in fields) return { document: fields };
  rejectUnknownFields(fields, WRAPPER_FIELDS, where);
  const name = optionalString(fields.name, `${where}.name`);
  const document = fields.document;
  if (typeof document !== 'string' && !isObject(document)) {
    throw new InvalidInputError(`${where}.document must be a policy document: a JSON object or a JSON string.`);
  }
  return name === undefined ? { document } : { name, document };
}

function decodeRequest(value: unknown): AuthorizationRequest {
  if (value === undefined) throw new InvalidInputError('request is required.');
  const fields = requireObject(value, 'request');
  rejectUnknownFields(fields, REQUEST_FIELDS, 'request');
  const request: AuthorizationRequest = {
    principal: requiredString(fields.principal, 'request.principal'),
    action: requiredString(fields.action, 'request.action'),
    resource: requiredString(fields.resource, 'request.resource'),
  };
  const resourceAccount = optionalString(fields.resourceAccount, 'request.resourceAccount');
  if (resourceAccount !== undefined) request.resourceAccount = resourceAccount;
  if (fields.context !== undefined && fields.context !== null) request.context = decodeContext(fields.context);
  return request;
}

function decodeContext(value: unknown): Record<string, ContextValue> {
  const fields = requireObject(value, 'request.context');
  for (const [key, entry] of Object.entries(fields)) {
    const valid = isScalar(entry) || (Array.isArray(entry) && entry.every(isScalar));
    if (!valid) {
      throw new InvalidInputError(
        `request.context["${key}"] must be a string, number, boolean or an array of them.`,
      );
    }
  }
  return fields as Record<string, ContextValue>;
}

function decodeResourcePolicyKind(value: unknown): ResourcePolicyKind {
  if (value === undefined || value === null) return 'resource';
  if (RESOURCE_POLICY_KINDS.includes(value as ResourcePolicyKind)) return value as ResourcePolicyKind;
  throw new InvalidInputError(`resourcePolicyKind must be one of ${RESOURCE_POLICY_KINDS.join(', ')}.`);
}

/** KMS key policies follow the resource-based policy grammar; trust policies have their own rules. */
function validationKindOf(kind: ResourcePolicyKind): PolicyKind {
  return kind === 'trust' ? 'trust' : 'resource';
}

function shapeResult(result: EvaluationResult, explain: boolean): LineOutput {
  const output: LineOutput = {
    decision: result.decision,
    decisive: result.decisive,
    missingContextKeys: result.missingContextKeys,
  };
  if (explain) output.explain = result.explain;
  return output;
}

function describeError(thrown: unknown, lineNumber: number): LineError {
  if (thrown instanceof PolicyError) return { ...thrown.error, policy: thrown.where };
  if (thrown instanceof InvalidInputError) return { code: thrown.code, message: `line ${lineNumber}: ${thrown.message}` };
  if (thrown instanceof AwsError) return thrown.toJSON();
  // An engine bug must not end the stream; AWS reports its own faults as ServiceFailure.
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return { code: 'ServiceFailure', message: `line ${lineNumber}: ${message}` };
}

function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    throw new InvalidInputError(`not valid JSON (${reason}).`);
  }
}

function requireObject(value: unknown, where: string, expected = 'a JSON object'): JsonObject {
  if (!isObject(value)) throw new InvalidInputError(`${where} must be ${expected}.`);
  return value;
}

function rejectUnknownFields(fields: JsonObject, known: ReadonlySet<string>, where: string): void {
  // A misspelt field (say `permissionBoundary`) would otherwise silently widen the decision.
  const unknown = Object.keys(fields).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new InvalidInputError(`${where} has unknown field(s) ${unknown.map((key) => `"${key}"`).join(', ')}.`);
  }
}

function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new InvalidInputError(`${field} is required and must be a non-empty string.`);
  return value;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidInputError(`${field} must be a string.`);
  return value;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

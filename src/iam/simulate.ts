/**
 * The IAM policy simulator's API (API_SimulatePrincipalPolicy.html, API_SimulateCustomPolicy.html,
 * access_policies_testing-policies.html): every (action, resource) pair is decided by the policy engine
 * with its explanation, and the decision is reported in AWS's result shape — EvalDecision, the matched
 * statements with their positions in the policy text, the missing context keys, and the permissions
 * boundary, Organizations and cross-account details. Nothing is performed; only authorization is asked.
 * How results map to the engine's explanation, and where Rolecall chose for AWS: docs/simulation.md.
 */
import { managedPolicyDocument } from './policy-documents.js';
import type { Group, Role, User } from '../model/entities.js';
import { invalidInput, validationError } from '../model/errors.js';
import {
  compilePolicy,
  compileValidatedPolicy,
  evaluate,
  parseArn,
  type CompiledPolicy,
  type ContextValue,
  type PolicyKind,
  type StatementExplanation,
  type StatementRef,
} from '../policy/index.js';
import type { StoreReader } from '../store/types.js';
import { policyNameOfArn, requireGroup, requireRole, requireUser } from './lookup.js';
import { defineOperation, requestPartition, type AnyOperation } from './operation.js';
import { decodeMarker, DEFAULT_MAX_ITEMS, encodeMarker } from './pagination.js';

// ---------------------------------------------------------------------------------------------------
// The API's shapes (models/iam-2010-05-08.json.gz: SimulatePrincipalPolicyRequest, SimulateCustomPolicyRequest,
// SimulatePolicyResponse).

export type ContextKeyType =
  | 'string'
  | 'stringList'
  | 'numeric'
  | 'numericList'
  | 'boolean'
  | 'booleanList'
  | 'ip'
  | 'ipList'
  | 'binary'
  | 'binaryList'
  | 'date'
  | 'dateList';

export interface ContextEntry {
  ContextKeyName?: string;
  ContextKeyValues?: string[];
  ContextKeyType?: ContextKeyType;
}

interface SimulationMembers {
  PolicyInputList?: string[];
  PermissionsBoundaryPolicyInputList?: string[];
  ActionNames: string[];
  ResourceArns?: string[];
  ResourcePolicy?: string;
  ResourceOwner?: string;
  CallerArn?: string;
  ContextEntries?: ContextEntry[];
  ResourceHandlingOption?: string;
  MaxItems?: number;
  Marker?: string;
}

export interface SimulatePrincipalPolicyInput extends SimulationMembers {
  PolicySourceArn: string;
}

export interface SimulateCustomPolicyInput extends SimulationMembers {
  PolicyInputList: string[];
}

export type EvalDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/**
 * What AWS's simulator answers in SourcePolicyType. The model's enum lists user|group|role|aws-managed|
 * user-managed|resource|none, but the service returns these phrases (see docs/simulation.md).
 */
export type SourcePolicyType = 'IAM Policy' | 'Permissions Boundary Policy' | 'Resource Policy';

export interface Position {
  Line: number;
  Column: number;
}

export interface MatchedStatement {
  SourcePolicyId: string;
  SourcePolicyType: SourcePolicyType;
  StartPosition?: Position;
  EndPosition?: Position;
}

export interface ResourceSpecificResult {
  EvalResourceName: string;
  EvalResourceDecision: EvalDecision;
  MatchedStatements: MatchedStatement[];
  MissingContextValues: string[];
  EvalDecisionDetails?: Record<string, EvalDecision>;
  PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
}

export interface EvaluationResult {
  EvalActionName: string;
  EvalResourceName: string;
  EvalDecision: EvalDecision;
  MatchedStatements: MatchedStatement[];
  MissingContextValues: string[];
  OrganizationsDecisionDetail: { AllowedByOrganizations: boolean };
  PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
  EvalDecisionDetails?: Record<string, EvalDecision>;
  ResourceSpecificResults?: ResourceSpecificResult[];
}

export interface SimulatePolicyOutput {
  EvaluationResults: EvaluationResult[];
  IsTruncated: boolean;
  Marker?: string;
}

// ---------------------------------------------------------------------------------------------------
// The operations

/** SimulatePrincipalPolicy: the policies of a user (with its groups'), group or role, plus any given. */
export const simulatePrincipalPolicy = defineOperation<SimulatePrincipalPolicyInput, SimulatePolicyOutput>({
  service: 'iam',
  name: 'SimulatePrincipalPolicy',
  authorize: (_context, input) => [{ action: 'iam:SimulatePrincipalPolicy', resource: input.PolicySourceArn ?? '*' }],
  async execute(context, input) {
    const source = parseSourceArn(input.PolicySourceArn, context.accountId);
    const entity = await context.store.read((reader) => loadSource(reader, context.accountId, source));
    const caller = callerOf(input, source.type === 'user' ? entity.arn : undefined);
    const simulation: Simulation = {
      principal: caller ?? (source.type === 'role' ? entity.arn : anonymousMember(requestPartition(context), context.accountId)),
      identity: [...entity.policies, ...inputPolicies(input.PolicyInputList)],
      ...boundaryOf(input, entity.boundary),
      ...resourceSide(input),
      ...requestOf(input),
    };
    return runSimulation(simulation, input);
  },
});

/** SimulateCustomPolicy: only the policies given as strings. */
export const simulateCustomPolicy = defineOperation<SimulateCustomPolicyInput, SimulatePolicyOutput>({
  service: 'iam',
  name: 'SimulateCustomPolicy',
  authorize: () => [{ action: 'iam:SimulateCustomPolicy', resource: '*' }],
  async execute(context, input) {
    const caller = callerOf(input, undefined);
    const simulation: Simulation = {
      principal: caller ?? anonymousMember(requestPartition(context), context.accountId),
      identity: inputPolicies(input.PolicyInputList),
      ...boundaryOf(input, undefined),
      ...resourceSide(input),
      ...requestOf(input),
    };
    return runSimulation(simulation, input);
  },
});

/** The simulator's operations, for the IAM registry. */
export const SIMULATION_OPERATIONS: AnyOperation[] = [simulatePrincipalPolicy, simulateCustomPolicy];

// ---------------------------------------------------------------------------------------------------
// What is simulated: the principal, its policies and the request

/** One policy of the simulation, with the id and type AWS reports for its statements. */
interface SimulationPolicy {
  id: string;
  type: SourcePolicyType;
  text: string;
  compiled: CompiledPolicy;
  /** Statement positions in `text`, computed on first use. */
  spans?: StatementSpan[];
}

interface Simulation {
  /** The caller the engine evaluates: the CallerArn, the source user or role, or an unnamed member. */
  principal: string;
  identity: SimulationPolicy[];
  boundary?: SimulationPolicy;
  resourcePolicy?: SimulationPolicy;
  /** The account owning resources whose ARN names none (ResourceOwner). */
  resourceOwner?: string;
  context: Record<string, ContextValue>;
  actions: string[];
  resources: string[];
  /** Whether ResourceArns was given: results then carry ResourceSpecificResults. */
  resourcesGiven: boolean;
}

interface SourceArn {
  type: 'user' | 'group' | 'role';
  name: string;
}

const ENTITY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):(user|group|role)(\/(?:[\u0021-\u007E]*\/)?)([\w+=,.@-]+)$/;

/** PolicySourceArn names a user, group or role of the caller's account. */
export function parseSourceArn(arn: string, account: string): SourceArn {
  const match = ENTITY_ARN.exec(arn);
  if (!match) throw invalidInput(`Invalid Entity Arn: ${arn} does not clearly define entity type and name.`);
  const [, owner, type, , name] = match as unknown as [string, string, SourceArn['type'], string, string];
  if (owner !== account) {
    throw invalidInput(`Invalid Policy Source Arn: caller's account ${account} does not have access to policies in account ${owner}`);
  }
  return { type, name };
}

interface SourceEntity {
  arn: string;
  policies: SimulationPolicy[];
  boundary?: SimulationPolicy;
}

/** The source entity's policies: inline and attached, a user's groups' too, and its boundary. */
export async function loadSource(reader: StoreReader, account: string, source: SourceArn): Promise<SourceEntity> {
  if (source.type === 'role') {
    const role: Role = await requireRole(reader, account, source.name);
    const policies = await entityPolicies(reader, account, 'role', role.RoleName, role);
    return { arn: role.Arn, policies, ...(await storedBoundary(reader, account, role.PermissionsBoundaryArn)) };
  }
  if (source.type === 'group') {
    const group: Group = await requireGroup(reader, account, source.name);
    return { arn: group.Arn, policies: await entityPolicies(reader, account, 'group', group.GroupName, group) };
  }
  const user: User = await requireUser(reader, account, source.name);
  const policies = await entityPolicies(reader, account, 'user', user.UserName, user);
  for (const groupName of user.Groups) {
    const group = await reader.get<Group>('group', account, groupName);
    if (group) policies.push(...(await entityPolicies(reader, account, 'group', group.GroupName, group)));
  }
  return { arn: user.Arn, policies, ...(await storedBoundary(reader, account, user.PermissionsBoundaryArn)) };
}

/**
 * An entity's inline policies (AWS names them `<type>_<entity>_<policy>` in results) and attached managed
 * policies (named by the policy name), in that order.
 */
async function entityPolicies(
  reader: StoreReader,
  account: string,
  type: SourceArn['type'],
  entityName: string,
  entity: { InlinePolicies: Record<string, string>; AttachedPolicyArns: string[] },
): Promise<SimulationPolicy[]> {
  const policies = Object.entries(entity.InlinePolicies).map(([name, text]) => storedPolicy(`${type}_${entityName}_${name}`, 'IAM Policy', text));
  for (const arn of entity.AttachedPolicyArns) {
    const text = await managedPolicyDocument(reader, account, arn);
    if (text !== undefined) policies.push(storedPolicy(policyNameOfArn(arn), 'IAM Policy', text));
  }
  return policies;
}

/** The entity's permissions boundary; one whose policy is gone allows nothing, as AWS treats it. */
async function storedBoundary(reader: StoreReader, account: string, arn: string | undefined): Promise<{ boundary?: SimulationPolicy }> {
  if (!arn) return {};
  const text = (await managedPolicyDocument(reader, account, arn)) ?? '{"Version":"2012-10-17","Statement":[]}';
  return { boundary: storedPolicy(policyNameOfArn(arn), 'Permissions Boundary Policy', text) };
}

/** Stored policies were validated when stored; they are compiled as the engine reads any policy. */
function storedPolicy(id: string, type: SourcePolicyType, text: string): SimulationPolicy {
  return { id, type, text, compiled: compilePolicy({ name: id, document: text }) };
}

/** A policy given in the request, validated as its kind; AWS answers a bad one with InvalidInput. */
function givenPolicy(id: string, type: SourcePolicyType, text: string, kind: PolicyKind): SimulationPolicy {
  // Simulation inputs are not stored: neither the stored-policy Version rule nor the size quotas apply.
  const validation = compileValidatedPolicy({ name: id, document: text }, kind, { inline: true, checkSize: false });
  if (!validation.valid) throw invalidInput(validation.error.message);
  return { id, type, text, compiled: validation.compiled };
}

/** The policies of a PolicyInputList, each validated as an identity policy. */
export function inputPolicies(texts: string[] | undefined): SimulationPolicy[] {
  return (texts ?? []).map((text, index) => givenPolicy(`PolicyInputList.${index + 1}`, 'IAM Policy', text, 'identity'));
}

/** PermissionsBoundaryPolicyInputList (at most one policy) replaces the entity's own boundary. */
function boundaryOf(input: SimulationMembers, stored: SimulationPolicy | undefined): { boundary?: SimulationPolicy } {
  const given = input.PermissionsBoundaryPolicyInputList ?? [];
  if (given.length > 1) throw invalidInput('Only one permissions boundary policy can be simulated at a time.');
  if (given.length === 1) {
    return { boundary: givenPolicy('PermissionsBoundaryPolicyInputList.1', 'Permissions Boundary Policy', given[0]!, 'boundary') };
  }
  return stored ? { boundary: stored } : {};
}

const CALLER_MUST_BE_USER = 'Invalid caller - Caller must be an IAM user in this context.';
const USER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:user\/(?:[\u0021-\u007E]*\/)?[\w+=,.@-]+$/;

/**
 * The simulated caller: CallerArn (only an IAM user's ARN), else the source user. A resource policy needs
 * a caller to match its Principal, so it is refused without one (simulating roles against resource
 * policies is not supported, API_SimulatePrincipalPolicy.html).
 */
function callerOf(input: SimulationMembers, sourceUser: string | undefined): string | undefined {
  if (input.CallerArn !== undefined && !USER_ARN.test(input.CallerArn)) throw invalidInput(CALLER_MUST_BE_USER);
  const caller = input.CallerArn ?? sourceUser;
  if (input.ResourcePolicy !== undefined && caller === undefined) throw invalidInput(CALLER_MUST_BE_USER);
  return caller;
}

/**
 * Without a caller (a group's or custom policies), the policies are evaluated for an unnamed principal of
 * the account: an IAM ARN without a name, so keys naming the caller (aws:username, aws:userid) stay
 * missing and are reported as such.
 */
function anonymousMember(partition: string, account: string): string {
  return `arn:${partition}:iam::${account}:role/`;
}

function resourceSide(input: SimulationMembers): Pick<Simulation, 'resourcePolicy' | 'resourceOwner'> {
  const side: Pick<Simulation, 'resourcePolicy' | 'resourceOwner'> = {};
  if (input.ResourcePolicy !== undefined) side.resourcePolicy = givenPolicy('ResourcePolicy', 'Resource Policy', input.ResourcePolicy, 'resource');
  if (input.ResourceOwner !== undefined) {
    // AWS wants the owner as an ARN of the account (arn:aws:iam::ACCOUNT:root), not a bare account id.
    const account = parseArn(input.ResourceOwner)?.account;
    if (!account || !/^\d{12}$/.test(account)) throw invalidInput(`'${input.ResourceOwner}' is not a valid as a Resource Owner.`);
    side.resourceOwner = account;
  }
  return side;
}

function requestOf(input: SimulationMembers): Pick<Simulation, 'context' | 'actions' | 'resources' | 'resourcesGiven'> {
  const resources = input.ResourceArns ?? [];
  for (const resource of resources) {
    const arn = parseArn(resource);
    if (resource !== '*' && (!arn || !arn.service)) throw invalidInput(`ResourceNames are not in a valid ARN format: ${resource}.`);
  }
  return {
    context: contextOf(input.ContextEntries ?? []),
    actions: input.ActionNames,
    resources: resources.length > 0 ? resources : ['*'],
    resourcesGiven: resources.length > 0,
  };
}

const LIST_TYPES: ReadonlySet<string> = new Set(['stringList', 'numericList', 'booleanList', 'ipList', 'binaryList', 'dateList']);

/**
 * ContextEntries as the engine's request context: a list type is a multivalued key, any other type a
 * single value. Values stay text; each condition operator reads them as its type (number, date, CIDR...).
 */
function contextOf(entries: readonly ContextEntry[]): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {};
  for (const entry of entries) {
    if (!entry.ContextKeyName) throw invalidInput('A context entry must name its ContextKeyName.');
    const values = entry.ContextKeyValues ?? [];
    const multivalued = entry.ContextKeyType !== undefined && LIST_TYPES.has(entry.ContextKeyType);
    context[entry.ContextKeyName] = !multivalued && values.length === 1 ? values[0]! : [...values];
  }
  return context;
}

// ---------------------------------------------------------------------------------------------------
// Running it: one result per (action, resource), action by action, paged

function runSimulation(simulation: Simulation, page: Pick<SimulationMembers, 'Marker' | 'MaxItems'>): SimulatePolicyOutput {
  const total = simulation.actions.length * simulation.resources.length;
  const start = pageStart(page.Marker, total);
  const end = Math.min(total, start + (page.MaxItems ?? DEFAULT_MAX_ITEMS));
  const results: EvaluationResult[] = [];
  for (let index = start; index < end; index++) {
    const action = simulation.actions[Math.floor(index / simulation.resources.length)]!;
    const resource = simulation.resources[index % simulation.resources.length]!;
    results.push(evaluationResult(simulation, action, resource));
  }
  if (end < total) return { EvaluationResults: results, IsTruncated: true, Marker: encodeMarker(String(end)) };
  return { EvaluationResults: results, IsTruncated: false };
}

/** The marker is the opaque index of the next result. */
function pageStart(marker: string | undefined, total: number): number {
  const decoded = decodeMarker(marker);
  if (decoded === undefined) return 0;
  const start = Number(decoded);
  if (!/^\d+$/.test(decoded) || start >= total) throw validationError('Invalid Marker.');
  return start;
}

const DECISIONS = { Allow: 'allowed', ExplicitDeny: 'explicitDeny', ImplicitDeny: 'implicitDeny' } as const satisfies Record<string, EvalDecision>;

function evaluationResult(simulation: Simulation, action: string, resource: string): EvaluationResult {
  const principalAccount = parseArn(simulation.principal)?.account;
  const resourceAccount = (resource === '*' ? undefined : parseArn(resource)?.account) || simulation.resourceOwner || principalAccount;
  const outcome = evaluate(
    {
      request: { principal: simulation.principal, action, resource, context: simulation.context, ...(resourceAccount ? { resourceAccount } : {}) },
      identityPolicies: simulation.identity.map((policy) => policy.compiled),
      permissionsBoundary: simulation.boundary?.compiled ?? null,
      resourcePolicy: simulation.resourcePolicy?.compiled ?? null,
      // The simulator "does not automatically retrieve policies for the specified resources"
      // (API_SimulatePrincipalPolicy.html): without a ResourcePolicy it decides by the identity side alone,
      // so an sts: action on a role or a kms: action on a key is not judged against an absent trust or key policy.
      ...(simulation.resourcePolicy ? {} : { resourcePolicyKind: 'resource' as const }),
    },
    { explain: true },
  );
  const statements = outcome.explain?.statements ?? [];
  const decision = DECISIONS[outcome.decision];
  const matched = outcome.decisive.flatMap((ref) => matchedStatement(simulation, ref));
  const boundary = simulation.boundary ? { AllowedByPermissionsBoundary: layerDecision(statements, 'boundary') === 'allowed' } : undefined;
  // Cross-account simulations summarize each policy type's say; same-account ones give an empty map for a
  // named resource and none for `*` (API_EvaluationResult.html).
  const crossAccount = principalAccount !== undefined && resourceAccount !== undefined && principalAccount !== resourceAccount;
  const details = crossAccount ? decisionDetails(simulation, statements) : resource === '*' ? undefined : {};
  const result: EvaluationResult = {
    EvalActionName: action,
    EvalResourceName: resource,
    EvalDecision: decision,
    MatchedStatements: matched,
    // Missing keys are listed per resource when resources are named, at the top for `*` (API_EvaluationResult.html).
    MissingContextValues: simulation.resourcesGiven && resource !== '*' ? [] : outcome.missingContextKeys,
    // Rolecall has no organizations yet, so no SCP ever limits a simulation.
    OrganizationsDecisionDetail: { AllowedByOrganizations: true },
  };
  if (boundary) result.PermissionsBoundaryDecisionDetail = boundary;
  if (details) result.EvalDecisionDetails = details;
  if (simulation.resourcesGiven) {
    const specific: ResourceSpecificResult = {
      EvalResourceName: resource,
      EvalResourceDecision: decision,
      MatchedStatements: matched,
      MissingContextValues: outcome.missingContextKeys,
    };
    if (crossAccount && details) specific.EvalDecisionDetails = details;
    if (boundary) specific.PermissionsBoundaryDecisionDetail = boundary;
    result.ResourceSpecificResults = [specific];
  }
  return result;
}

/** What the statements of one policy type said on their own: a deny, an allow, or nothing. */
function layerDecision(statements: readonly StatementExplanation[], type: StatementRef['policyType']): EvalDecision {
  const applying = statements.filter((statement) => statement.policyType === type && statement.applies);
  if (applying.some((statement) => statement.effect === 'Deny')) return 'explicitDeny';
  return applying.length > 0 ? 'allowed' : 'implicitDeny';
}

function decisionDetails(simulation: Simulation, statements: readonly StatementExplanation[]): Record<string, EvalDecision> {
  const details: Record<string, EvalDecision> = { 'IAM Policy': layerDecision(statements, 'identity') };
  if (simulation.boundary) details['Permissions Boundary Policy'] = layerDecision(statements, 'boundary');
  if (simulation.resourcePolicy) details['Resource Policy'] = layerDecision(statements, 'resource');
  return details;
}

function policyOfRef(simulation: Simulation, ref: StatementRef): SimulationPolicy | undefined {
  switch (ref.policyType) {
    case 'identity':
      return simulation.identity[ref.policyIndex];
    case 'boundary':
      return simulation.boundary;
    case 'resource':
      return simulation.resourcePolicy;
    default:
      return undefined;
  }
}

function matchedStatement(simulation: Simulation, ref: StatementRef): MatchedStatement[] {
  const policy = policyOfRef(simulation, ref);
  if (!policy) return [];
  policy.spans ??= statementSpans(policy.text);
  const span = policy.spans[ref.statementIndex];
  const statement: MatchedStatement = { SourcePolicyId: policy.id, SourcePolicyType: policy.type };
  if (span) {
    statement.StartPosition = span.start;
    statement.EndPosition = span.end;
  }
  return [statement];
}

// ---------------------------------------------------------------------------------------------------
// Statement positions

export interface StatementSpan {
  start: Position;
  end: Position;
}

/**
 * Where each statement of a policy text lies, as AWS's simulator reports it: 1-based line and column;
 * the end is just past the statement's closing `}`; the start is just past the token before the
 * statement — the `{` of a single statement object, the `[` opening the list, or the previous statement's
 * `}` (so a statement starts where the one before it ends). AWS's documented examples: a one-line policy
 * `{"Version":"2012-10-17","Statement":{...}}` of 167 characters gives Line 1, Column 38 to Column 167.
 * Lines break at `\n`, `\r\n` or `\r`. Returns no spans for text that is not a JSON object.
 */
export function statementSpans(text: string): StatementSpan[] {
  let offsets: Array<[number, number]>;
  try {
    offsets = new JsonScanner(text).statementOffsets();
  } catch {
    return [];
  }
  const lines = lineStarts(text);
  const at = (offset: number): Position => {
    let low = 0;
    let high = lines.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lines[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { Line: low + 1, Column: offset - lines[low]! + 1 };
  };
  return offsets.map(([start, end]) => ({ start: at(start), end: at(end) }));
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const character = text.charCodeAt(i);
    if (character === 0x0d) {
      if (text.charCodeAt(i + 1) === 0x0a) i++;
      starts.push(i + 1);
    } else if (character === 0x0a) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Just enough of a JSON reader to find the offsets of the top-level Statement's elements. */
class JsonScanner {
  private position = 0;

  constructor(private readonly text: string) {}

  /** [start, end) offsets of each statement, for the last top-level `Statement` (as JSON.parse keeps it). */
  statementOffsets(): Array<[number, number]> {
    let found: Array<[number, number]> = [];
    this.skipWhitespace();
    this.expect('{');
    this.skipWhitespace();
    if (this.peek() === '}') return found;
    for (;;) {
      const key = this.readString();
      this.skipWhitespace();
      this.expect(':');
      this.skipWhitespace();
      if (key === 'Statement') found = this.statementValue();
      else this.skipValue();
      this.skipWhitespace();
      if (this.peek() === ',') {
        this.position++;
        this.skipWhitespace();
        continue;
      }
      this.expect('}');
      return found;
    }
  }

  private statementValue(): Array<[number, number]> {
    if (this.peek() === '{') {
      const start = this.position + 1;
      this.skipValue();
      return [[start, this.position]];
    }
    if (this.peek() !== '[') {
      this.skipValue();
      return [];
    }
    const spans: Array<[number, number]> = [];
    this.position++;
    let previousEnd = this.position;
    this.skipWhitespace();
    if (this.peek() === ']') {
      this.position++;
      return spans;
    }
    for (;;) {
      this.skipValue();
      spans.push([previousEnd, this.position]);
      previousEnd = this.position;
      this.skipWhitespace();
      if (this.peek() === ',') {
        this.position++;
        this.skipWhitespace();
        continue;
      }
      this.expect(']');
      return spans;
    }
  }

  private skipValue(): void {
    const first = this.peek();
    if (first === '"') {
      this.readString();
    } else if (first === '{' || first === '[') {
      const close = first === '{' ? '}' : ']';
      this.position++;
      this.skipWhitespace();
      if (this.peek() === close) {
        this.position++;
        return;
      }
      for (;;) {
        if (first === '{') {
          this.readString();
          this.skipWhitespace();
          this.expect(':');
          this.skipWhitespace();
        }
        this.skipValue();
        this.skipWhitespace();
        if (this.peek() === ',') {
          this.position++;
          this.skipWhitespace();
          continue;
        }
        this.expect(close);
        return;
      }
    } else {
      // Numbers, true, false, null: up to the next delimiter.
      const start = this.position;
      while (this.position < this.text.length && !',]} \t\n\r'.includes(this.text[this.position]!)) this.position++;
      if (this.position === start) throw new SyntaxError(`unexpected ${first ?? 'end'} at ${start}`);
    }
  }

  private readString(): string {
    const start = this.position;
    this.expect('"');
    for (;;) {
      const character = this.text[this.position];
      if (character === undefined) throw new SyntaxError('unterminated string');
      this.position += character === '\\' ? 2 : 1;
      if (character === '"') return JSON.parse(this.text.slice(start, this.position)) as string;
    }
  }

  private skipWhitespace(): void {
    while (this.position < this.text.length && ' \t\n\r'.includes(this.text[this.position]!)) this.position++;
  }

  private peek(): string | undefined {
    return this.text[this.position];
  }

  private expect(character: string): void {
    if (this.text[this.position] !== character) throw new SyntaxError(`expected ${character} at ${this.position}`);
    this.position++;
  }
}

/**
 * Input validation from the model's constraints (required, length, pattern, enum, range), reported with
 * AWS's ValidationError wording:
 *   `1 validation error detected: Value 'x' at 'roleName' failed to satisfy constraint: Member must have
 *   length less than or equal to 64`
 * Member paths are lower-camel-cased; list elements read `tags.3.member.value`; several violations are
 * joined with `; ` under "N validation errors detected". The constraints are the model's invariants of every
 * operation's input, so operations are checked here (iam/operation.ts) and nowhere restate them.
 */
import { validationErrors } from './errors.js';
import { loadServiceModel, type OperationModel, type ServiceModel, type ServiceName, type Shape, type ShapeRef } from './service-models.js';
import { matchesModelPattern } from './shape-patterns.js';

/** Checks an operation's input; throws AWS's ValidationError listing every violation. */
export function validateInput(model: ServiceModel, operation: OperationModel, input: Record<string, unknown>): void {
  if (!operation.input) return;
  const violations = inputViolations(model, operation.input.shape, input);
  if (violations.length > 0) throw validationErrors(violations);
}

/** Every constraint the value breaks, as AWS words each one, in the order AWS lists them. */
export function inputViolations(model: ServiceModel, shapeName: string, input: Record<string, unknown>): string[] {
  const violations: string[] = [];
  checkStructure(model, model.shape(shapeName), input, '', violations);
  return inAwsOrder(violations);
}

/**
 * AWS lists several violations in the iteration order of Java hash tables, not in the model's member
 * order. What recorded AWS responses show (docs/iam-api.md lists them):
 * - members of one structure come in the order of a HashMap keyed by the member's name: Cognito SignUp
 *   answers password before username, DynamoDB CreateTable attributeType before attributeName and
 *   writeCapacityUnits before readCapacityUnits inside provisionedThroughput — the names' buckets, where
 *   the whole dotted path would put them the other way round;
 * - one member's own violations come in the order of a HashSet of their messages: DynamoDB answers
 *   DescribeTable's empty tableName length first, ListTables' empty exclusiveStartTableName (the same
 *   shape, the same value) pattern first, exactly as the two messages' buckets fall;
 * - elements of a list (`tags.3.member`) in their index order.
 */
export function inAwsOrder(violations: string[]): string[] {
  if (violations.length < 2) return violations;
  return orderLevel(violations.map((text) => ({ text, steps: pathSteps(text) })), 0).map((violation) => violation.text);
}

/** A violation and the member path it names, one step per structure level (`tags.3.member.value` → tags, 3, value). */
interface LocatedViolation {
  text: string;
  steps: string[];
}

function pathSteps(violation: string): string[] {
  const path = / at '([^']*)' failed to satisfy constraint: /.exec(violation)?.[1] ?? '';
  return path === '' ? [] : path.replace(/\.(\d+)\.member/g, '.$1').split('.');
}

/** The violations under one path prefix: those of the member itself, then its members' or elements'. */
function orderLevel(found: LocatedViolation[], depth: number): LocatedViolation[] {
  const own = found.filter((violation) => violation.steps.length === depth);
  const below = new Map<string, LocatedViolation[]>();
  for (const violation of found) {
    if (violation.steps.length <= depth) continue;
    const step = violation.steps[depth]!;
    below.set(step, [...(below.get(step) ?? []), violation]);
  }
  const steps = [...below.keys()];
  const ordered = steps.every((step) => /^\d+$/.test(step)) ? steps.sort((a, b) => Number(a) - Number(b)) : inHashTableOrder(steps, (step) => step);
  return [...inHashTableOrder(own, (violation) => violation.text), ...ordered.flatMap((step) => orderLevel(below.get(step)!, depth + 1))];
}

/**
 * The order a Java HashMap or HashSet iterates distinct keys in: by bucket of String.hashCode, spread by
 * its high half, in a table that starts at 16 slots and doubles past a load factor of 0.75; keys of one
 * bucket keep the order they were added in (Array.prototype.sort is stable).
 */
function inHashTableOrder<T>(items: T[], keyOf: (item: T) => string): T[] {
  if (items.length < 2) return items;
  let slots = 16;
  while (items.length > slots * 0.75) slots *= 2;
  const slotOf = (key: string) => {
    let hash = 0;
    for (let i = 0; i < key.length; i++) hash = (Math.imul(hash, 31) + key.charCodeAt(i)) | 0;
    return (hash ^ (hash >>> 16)) & (slots - 1);
  };
  const slotByItem = new Map(items.map((item) => [item, slotOf(keyOf(item))]));
  return [...items].sort((a, b) => slotByItem.get(a)! - slotByItem.get(b)!);
}

/**
 * The violations of one operation's input, by the service's model. The model is loaded on the first check,
 * not when the operation is declared, so importing an operation costs nothing; an operation the model
 * does not have is a bug, reported then.
 */
export function inputViolationsFor(service: ServiceName, operationName: string): (input: Record<string, unknown>) => string[] {
  let inputShape: { model: ServiceModel; shapeName: string | undefined } | undefined;
  return (input) => {
    if (!inputShape) {
      const model = loadServiceModel(service);
      const operation = model.operation(operationName);
      if (!operation) throw new Error(`${service} model has no operation ${operationName}`);
      inputShape = { model, shapeName: operation.input?.shape };
    }
    return inputShape.shapeName === undefined ? [] : inputViolations(inputShape.model, inputShape.shapeName, input);
  };
}

function checkStructure(model: ServiceModel, shape: Shape, value: Record<string, unknown>, path: string, out: string[]): void {
  const required = new Set(shape.required ?? []);
  for (const [memberName, ref] of Object.entries(shape.members ?? {})) {
    const memberPath = path === '' ? lowerCamel(memberName) : `${path}.${lowerCamel(memberName)}`;
    const memberValue = value[memberName];
    if (memberValue === undefined || memberValue === null) {
      if (required.has(memberName)) out.push(`Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    checkValue(model, ref, memberValue, memberPath, out);
  }
}

function checkValue(model: ServiceModel, ref: ShapeRef, value: unknown, path: string, out: string[]): void {
  const shape = model.shape(ref.shape);
  const fail = (constraint: string) => out.push(`${describeValue(value, shape)} at '${path}' failed to satisfy constraint: ${constraint}`);
  switch (shape.type) {
    case 'structure':
      if (isRecord(value)) checkStructure(model, shape, value, path, out);
      return;
    case 'list': {
      if (!Array.isArray(value)) return;
      lengthViolations(shape, value.length).forEach(fail);
      // A list longer than AWS accepts is refused for its length alone: checking each of its members
      // would let 600 KB of `PolicyArns.member.N` come back as 20,000 violations and 3 MB of message.
      if (shape.max === undefined || value.length <= shape.max) checkListMembers(model, shape.member as ShapeRef, value, path, fail, out);
      return;
    }
    case 'map': {
      if (!isRecord(value)) return;
      lengthViolations(shape, Object.keys(value).length).forEach(fail);
      // AWS reports a bad map key or value once, at the map, listing the element's constraints.
      const keyShape = model.shape((shape.key as ShapeRef).shape);
      const valueShape = model.shape((shape.value as ShapeRef).shape);
      if (Object.keys(value).some((key) => scalarViolations(keyShape, key).length > 0)) {
        fail(`Map key must satisfy constraint: [${allConstraints(keyShape).join(', ')}]`);
      }
      if (Object.values(value).some((item) => item !== null && item !== undefined && scalarViolations(valueShape, item).length > 0)) {
        fail(`Map value must satisfy constraint: [${allConstraints(valueShape).join(', ')}]`);
      }
      return;
    }
    default:
      scalarViolations(shape, value).forEach(fail);
  }
}

/**
 * Elements that are structures (or collections) are checked one by one at `path.N.member`; scalar
 * elements breaking a constraint are reported once at the list, as AWS does.
 */
function checkListMembers(model: ServiceModel, memberRef: ShapeRef, items: unknown[], path: string,
  fail: (constraint: string) => void, out: string[]): void {
  const memberShape = model.shape(memberRef.shape);
  if (memberShape.type === 'structure' || memberShape.type === 'list' || memberShape.type === 'map') {
    items.forEach((item, index) => {
      if (item !== null && item !== undefined) checkValue(model, memberRef, item, `${path}.${index + 1}.member`, out);
    });
    return;
  }
  if (items.some((item) => item !== null && item !== undefined && scalarViolations(memberShape, item).length > 0)) {
    fail(`Member must satisfy constraint: [${allConstraints(memberShape).join(', ')}]`);
  }
}

/** The constraints a scalar breaks (pattern, length, enum; the order AWS lists them in is inAwsOrder's). */
function scalarViolations(shape: Shape, value: unknown): string[] {
  if (shape.type === 'string' && typeof value === 'string') {
    const violations: string[] = [];
    if (shape.pattern !== undefined && !matchesModelPattern(shape.pattern, value)) violations.push(patternConstraint(shape.pattern));
    violations.push(...stringLengthViolations(shape, value));
    if (shape.enum && !shape.enum.includes(value)) violations.push(enumConstraint(shape.enum));
    return violations;
  }
  if (isNumeric(shape) && typeof value === 'number') {
    const violations: string[] = [];
    if (shape.min !== undefined && value < shape.min) violations.push(`Member must have value greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && value > shape.max) violations.push(`Member must have value less than or equal to ${shape.max}`);
    return violations;
  }
  return [];
}

function lengthViolations(shape: Shape, length: number): string[] {
  const violations: string[] = [];
  if (shape.min !== undefined && length < shape.min) violations.push(`Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max) violations.push(`Member must have length less than or equal to ${shape.max}`);
  return violations;
}

/** All constraints of an element shape, in the order AWS lists them inside `[...]` (max, min, pattern). */
function allConstraints(shape: Shape): string[] {
  const numeric = isNumeric(shape);
  const constraints: string[] = [];
  if (shape.max !== undefined) constraints.push(`Member must have ${numeric ? 'value' : 'length'} less than or equal to ${shape.max}`);
  if (shape.min !== undefined) constraints.push(`Member must have ${numeric ? 'value' : 'length'} greater than or equal to ${shape.min}`);
  if (shape.pattern !== undefined) constraints.push(patternConstraint(shape.pattern));
  if (shape.enum) constraints.push(enumConstraint(shape.enum));
  return constraints;
}

const patternConstraint = (pattern: string) => `Member must satisfy regular expression pattern: ${pattern}`;
const enumConstraint = (values: readonly string[]) => `Member must satisfy enum value set: [${values.join(', ')}]`;

/** `Value 'x'`; sensitive members (passwords, tokens, assertions) are not echoed: `Value`. */
function describeValue(value: unknown, shape: Shape): string {
  return shape.sensitive ? 'Value' : `Value '${renderValue(value)}'`;
}

/** AWS prints values as Java does: lists `[a, b]`, maps and structures `{k=v, ...}`. */
function renderValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(renderValue).join(', ')}]`;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (isRecord(value)) return `{${Object.entries(value).map(([key, item]) => `${key}=${renderValue(item)}`).join(', ')}}`;
  return String(value);
}

/** AWS's member path: the model's member name with its first letter lowered (`RoleName` → `roleName`). */
function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * Length constraints count characters (code points), not UTF-16 units. A string of n units holds n/2 to n
 * code points, so the count is only made when the units cannot decide (a 1 KB token is never walked).
 */
function stringLengthViolations(shape: Shape, value: string): string[] {
  const units = value.length;
  const longEnough = shape.min === undefined || Math.ceil(units / 2) >= shape.min;
  const shortEnough = shape.max === undefined || units <= shape.max;
  return longEnough && shortEnough ? [] : lengthViolations(shape, codePointLength(value));
}

function codePointLength(value: string): number {
  let length = 0;
  for (const _ of value) length++;
  return length;
}

function isNumeric(shape: Shape): boolean {
  return shape.type === 'integer' || shape.type === 'long' || shape.type === 'float' || shape.type === 'double';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * The IAM service model's constraints on inputs (required members, lengths, patterns, ranges, enums),
 * checked before any business rule and reported as AWS's front end reports them: one ValidationError
 * listing every violation, e.g. "1 validation error detected: Value 'a b' at 'roleName' failed to satisfy
 * constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+". The shapes mirror
 * models/iam-2010-05-08.json.gz; patterns are quoted in the model's own (Java) spelling.
 */
import type { Tag } from '../model/entities.js';
import { AwsError, invalidInput, limitExceeded, malformedPolicyDocument, validationError } from '../model/errors.js';
import { validatePolicy } from '../policy/index.js';
import type { PolicyKind } from '../policy/index.js';

export type Rule =
  | { type: 'string'; min?: number; max?: number; pattern?: string }
  | { type: 'integer'; min?: number; max?: number }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'tags' }
  | { type: 'tagKeys' };

const NAME = '[\\w+=,.@-]+';

/** The model's shapes used by role, policy and instance-profile operations. */
export const SHAPES = {
  roleName: { type: 'string', min: 1, max: 64, pattern: NAME },
  userName: { type: 'string', min: 1, max: 64, pattern: NAME },
  existingUserName: { type: 'string', min: 1, max: 128, pattern: NAME },
  groupName: { type: 'string', min: 1, max: 128, pattern: NAME },
  policyName: { type: 'string', min: 1, max: 128, pattern: NAME },
  instanceProfileName: { type: 'string', min: 1, max: 128, pattern: NAME },
  customSuffix: { type: 'string', min: 1, max: 64, pattern: NAME },
  path: { type: 'string', min: 1, max: 512, pattern: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)' },
  pathPrefix: { type: 'string', min: 1, max: 512, pattern: '\\u002F[\\u0021-\\u007F]*' },
  policyPath: { type: 'string', min: 1, max: 512, pattern: '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/' },
  policyDocument: { type: 'string', min: 1, max: 131072, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' },
  roleDescription: { type: 'string', max: 1000, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*' },
  policyDescription: { type: 'string', max: 1000 },
  maxSessionDuration: { type: 'integer', min: 3600, max: 43200 },
  arn: { type: 'string', min: 20, max: 2048 },
  marker: { type: 'string', min: 1, max: 320, pattern: '[\\u0020-\\u00FF]+' },
  maxItems: { type: 'integer', min: 1, max: 1000 },
  versionId: { type: 'string', pattern: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?' },
  policyScope: { type: 'enum', values: ['All', 'AWS', 'Local'] },
  policyUsage: { type: 'enum', values: ['PermissionsPolicy', 'PermissionsBoundary'] },
  entityType: { type: 'enum', values: ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] },
  tags: { type: 'tags' },
  tagKeys: { type: 'tagKeys' },
} as const satisfies Record<string, Rule>;

const TAG_KEY = { type: 'string', min: 1, max: 128, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' } as const;
const TAG_VALUE = { type: 'string', min: 0, max: 256, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*' } as const;
const MAX_TAGS_PER_REQUEST = 50;

/** One member of an operation's input: its shape and whether the model marks it required. */
export interface MemberSpec {
  rule: Rule;
  required?: boolean;
}

/** Shorthand for a required member. */
export function required(rule: Rule): MemberSpec {
  return { rule, required: true };
}

/** Shorthand for an optional member. */
export function optional(rule: Rule): MemberSpec {
  return { rule };
}

/** The members every paginated list takes. */
export const PAGINATION: Record<string, MemberSpec> = { Marker: optional(SHAPES.marker), MaxItems: optional(SHAPES.maxItems) };

const compiled = new Map<string, RegExp>();

function fullMatch(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`, 'u');
    compiled.set(pattern, regex);
  }
  return regex;
}

/** AWS prints values as Java does: lists `[a, b]`, structures `{Key=k, Value=v}`. */
function render(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  return `'${javaText(value)}'`;
}

function javaText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(javaText).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}=${javaText(item)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** The model's member names start with a lower-case letter in AWS's messages (`roleName`, `aWSServiceName`). */
function wireName(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}

// The order AWS lists a string's violations in: pattern, then length.
function stringViolations(value: unknown, rule: { min?: number; max?: number; pattern?: string }): string[] {
  if (typeof value !== 'string') return [`Member must be a string`];
  const found: string[] = [];
  if (rule.pattern !== undefined && !fullMatch(rule.pattern).test(value)) found.push(`Member must satisfy regular expression pattern: ${rule.pattern}`);
  // Lengths count code points, not UTF-16 units.
  const length = [...value].length;
  if (rule.min !== undefined && length < rule.min) found.push(`Member must have length greater than or equal to ${rule.min}`);
  if (rule.max !== undefined && length > rule.max) found.push(`Member must have length less than or equal to ${rule.max}`);
  return found;
}

/** Every constraint of a list's scalar element, as AWS lists them when an element breaks one (max, min, pattern). */
function elementConstraints(rule: { min?: number; max?: number; pattern?: string }): string {
  const constraints: string[] = [];
  if (rule.max !== undefined) constraints.push(`Member must have length less than or equal to ${rule.max}`);
  if (rule.min !== undefined) constraints.push(`Member must have length greater than or equal to ${rule.min}`);
  if (rule.pattern !== undefined) constraints.push(`Member must satisfy regular expression pattern: ${rule.pattern}`);
  return `Member must satisfy constraint: [${constraints.join(', ')}]`;
}

function violationsOf(path: string, value: unknown, rule: Rule): string[] {
  const at = (constraint: string) => `Value ${render(value)} at '${path}' failed to satisfy constraint: ${constraint}`;
  switch (rule.type) {
    case 'string':
      return stringViolations(value, rule).map((constraint) => at(constraint));
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return [at('Member must be an integer')];
      const found: string[] = [];
      if (rule.min !== undefined && value < rule.min) found.push(at(`Member must have value greater than or equal to ${rule.min}`));
      if (rule.max !== undefined && value > rule.max) found.push(at(`Member must have value less than or equal to ${rule.max}`));
      return found;
    }
    case 'enum':
      return typeof value === 'string' && rule.values.includes(value) ? [] : [at(`Member must satisfy enum value set: [${rule.values.join(', ')}]`)];
    case 'tags':
      return tagViolations(path, value);
    case 'tagKeys': {
      if (!Array.isArray(value)) return [at('Member must be a list')];
      const found = value.length > MAX_TAGS_PER_REQUEST ? [at(`Member must have length less than or equal to ${MAX_TAGS_PER_REQUEST}`)] : [];
      // A scalar element breaking its shape is reported once, at the list.
      if (value.some((key) => stringViolations(key, TAG_KEY).length > 0)) found.push(at(elementConstraints(TAG_KEY)));
      return found;
    }
  }
}

function tagViolations(path: string, value: unknown): string[] {
  if (!Array.isArray(value)) return [`Value ${render(value)} at '${path}' failed to satisfy constraint: Member must be a list`];
  const found =
    value.length > MAX_TAGS_PER_REQUEST
      ? [`Value ${render(value)} at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TAGS_PER_REQUEST}`]
      : [];
  value.forEach((tag: Partial<Tag> | null, i) => {
    const member = `${path}.${i + 1}.member`;
    if (tag?.Key === undefined || tag.Key === null) found.push(`Value null at '${member}.key' failed to satisfy constraint: Member must not be null`);
    else found.push(...violationsOf(`${member}.key`, tag.Key, TAG_KEY));
    if (tag?.Value === undefined || tag.Value === null) found.push(`Value null at '${member}.value' failed to satisfy constraint: Member must not be null`);
    else found.push(...violationsOf(`${member}.value`, tag.Value, TAG_VALUE));
  });
  return found;
}

/** Throws AWS's ValidationError listing every member of `input` that breaks its shape. */
export function checkMembers(input: object, members: Record<string, MemberSpec>): void {
  const values = input as Record<string, unknown>;
  const found: string[] = [];
  for (const [member, spec] of Object.entries(members)) {
    const value = values[member];
    if (value === undefined || value === null) {
      if (spec.required) found.push(`Value null at '${wireName(member)}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    found.push(...violationsOf(wireName(member), value, spec.rule));
  }
  if (found.length === 0) return;
  const count = found.length === 1 ? '1 validation error' : `${found.length} validation errors`;
  throw validationError(`${count} detected: ${found.join('; ')}`);
}

/** Validates a policy document as `kind`, throwing AWS's MalformedPolicyDocument or LimitExceeded. */
export function checkPolicyDocument(document: string, kind: PolicyKind, options: { inline?: boolean } = {}): void {
  const result = validatePolicy(document, kind, { inline: options.inline ?? false });
  if (!result.valid) throw errorFromValidation(result.error);
}

function errorFromValidation(error: { code: string; message: string }): AwsError {
  if (error.code === 'MalformedPolicyDocument') return malformedPolicyDocument(error.message);
  if (error.code === 'LimitExceeded') return limitExceeded(error.message);
  return new AwsError(error.code, error.message, 400);
}

const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy(\/[\u0021-\u007E]*)?\/[\w+=,.@-]+$/;

/** IAM refuses a policy ARN it cannot parse with InvalidInput "ARN ... is not valid." */
export function checkPolicyArn(arn: string): void {
  if (!POLICY_ARN.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
}

/**
 * The rules STS applies to what a new session carries (API_AssumeRole.html, id_session-tags.html,
 * id_roles_use.html#id_roles_use_view-role-max-session): its duration against the role's maximum and the
 * role-chaining cap, its session policies, its session tags (own and inherited transitive ones), its
 * source identity, and their packed size. Each violation is AWS's error.
 */
import { deflateRawSync } from 'node:zlib';
import type { Role, Tag } from '../model/entities.js';
import { AwsError, malformedPolicyDocument, validationError } from '../model/errors.js';
import { checkPolicySize, validatePolicy } from '../policy/index.js';
import { managedPolicyDocument } from '../iam/policy-documents.js';
import { accountPartition } from '../iam/lookup.js';
import { awsManagedPolicyArn } from '../model/arns.js';
import type { StoreReader } from '../store/types.js';

export const MAX_SESSION_TAGS = 50;
export const MAX_SESSION_POLICY_ARNS = 10;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
/** Role chaining caps a session at one hour (id_roles_terms-and-concepts.html#iam-term-role-chaining). */
export const CHAINED_SESSION_MAX_SECONDS = 3600;
/**
 * The packed form's budget in bytes. AWS does not publish its packing; Rolecall packs with raw DEFLATE and
 * allows this many bytes, so that ordinary policies use a small share and a 2,048-character policy of
 * little redundancy, or 50 long tags, go over — the cases AWS users meet (docs/sts.md).
 */
export const PACKED_BUDGET_BYTES = 1000;

const invalidParameter = (message: string) => new AwsError('InvalidParameterValue', message, 400);

/** Refuses a duration over the role's maximum, or over one hour for a chained session. */
export function checkSessionDuration(role: Role, durationSeconds: number, chained: boolean): void {
  if (chained && durationSeconds > CHAINED_SESSION_MAX_SECONDS) {
    throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (durationSeconds > role.MaxSessionDuration) {
    throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
}

/** Checks an inline session policy: at most 2,048 characters, then valid as a session policy. */
export function checkInlineSessionPolicy(text: string): void {
  checkPolicySize(text, 'session');
  const result = validatePolicy(text, 'session', { checkSize: false });
  if (result.valid) return;
  if (result.error.code === 'MalformedPolicyDocument') throw malformedPolicyDocument(result.error.message);
  throw new AwsError(result.error.code, result.error.message, 400);
}

/**
 * The ARNs of PolicyArns. The model leaves a descriptor's `arn` optional; STS requires it, with the
 * ValidationError its front end words (the path without an index, as AWS prints it).
 */
export function sessionPolicyArns(descriptors: ReadonlyArray<{ arn?: string }> | undefined): string[] {
  return (descriptors ?? []).map((descriptor) => {
    if (typeof descriptor?.arn !== 'string') {
      throw validationError("1 validation error detected: Value null at 'policyArns.member.arn' failed to satisfy constraint: Member must not be null");
    }
    return descriptor.arn;
  });
}

/**
 * Checks the managed session policies: at most 10, each an existing managed policy of the role's account
 * or an AWS managed policy ("The policies must exist in the same account as the role").
 */
export async function checkSessionPolicyArns(reader: StoreReader, roleAccount: string, arns: readonly string[]): Promise<void> {
  if (arns.length > MAX_SESSION_POLICY_ARNS) {
    throw validationError(
      `1 validation error detected: Value '[${arns.join(', ')}]' at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to ${MAX_SESSION_POLICY_ARNS}`,
    );
  }
  const partition = await accountPartition(reader, roleAccount);
  for (const arn of arns) {
    const inAccount = arn.startsWith(`arn:${partition}:iam::${roleAccount}:policy/`) || arn.startsWith(awsManagedPolicyArn(partition, ''));
    if (!inAccount || (await managedPolicyDocument(reader, roleAccount, arn)) === undefined) {
      throw invalidParameter(`Policy ${arn} does not exist or is not attachable.`);
    }
  }
}

// The model's tag patterns (tagKeyType, tagValueType); tags from a web identity token bypass the model.
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function constraintError(value: string, at: string, constraint: string): AwsError {
  return validationError(`1 validation error detected: Value '${value}' at '${at}' failed to satisfy constraint: ${constraint}`);
}

/** Checks passed session tags: count, key and value limits, reserved prefix, duplicate keys ignoring case. */
export function checkSessionTags(tags: readonly Tag[]): void {
  if (tags.length > MAX_SESSION_TAGS) {
    throw constraintError(`[${tags.map((tag) => `${tag.Key}=${tag.Value}`).join(', ')}]`, 'tags', `Member must have length less than or equal to ${MAX_SESSION_TAGS}`);
  }
  tags.forEach((tag, index) => {
    const at = `tags.${index + 1}.member`;
    if ([...tag.Key].length > MAX_TAG_KEY_LENGTH) throw constraintError(tag.Key, `${at}.key`, `Member must have length less than or equal to ${MAX_TAG_KEY_LENGTH}`);
    if (!TAG_KEY.test(tag.Key)) throw constraintError(tag.Key, `${at}.key`, 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+');
    if ([...tag.Value].length > MAX_TAG_VALUE_LENGTH) throw constraintError(tag.Value, `${at}.value`, `Member must have length less than or equal to ${MAX_TAG_VALUE_LENGTH}`);
    if (!TAG_VALUE.test(tag.Value)) throw constraintError(tag.Value, `${at}.value`, 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*');
  });
  const seen = new Set<string>();
  for (const tag of tags) {
    const key = tag.Key.toLowerCase();
    if (seen.has(key)) throw invalidParameter('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(key);
  }
  // id_tags.html#id_tags_rules_creating reserves the prefix; the wording is Rolecall's.
  for (const tag of tags) {
    if (tag.Key.toLowerCase().startsWith('aws:')) throw invalidParameter(`Session tag keys can't start with 'aws:'. This prefix is reserved for AWS use.`);
  }
}

export interface SessionTagSet {
  /** Every tag of the new session: inherited transitive tags, then the passed ones. */
  tags: Tag[];
  /** The keys that pass on again: the inherited transitive keys and the passed transitive keys. */
  transitiveTagKeys: string[];
}

/**
 * The new session's tags in a role chain: the calling session's transitive tags carry over, and a
 * passed tag may not replace one of them (id_session-tags.html#id_session-tags_role-chaining: "If you
 * try to pass the Heart = 3 session tag, the operation will fail"). Passed transitive keys that name no
 * passed tag carry nothing.
 */
export function combineSessionTags(
  inherited: { tags?: readonly Tag[]; transitiveTagKeys?: readonly string[] } | undefined,
  passed: readonly Tag[],
  passedTransitiveKeys: readonly string[],
): SessionTagSet {
  const inheritedKeys = new Set((inherited?.transitiveTagKeys ?? []).map((key) => key.toLowerCase()));
  const inheritedTags = (inherited?.tags ?? []).filter((tag) => inheritedKeys.has(tag.Key.toLowerCase()));
  for (const tag of passed) {
    if (inheritedKeys.has(tag.Key.toLowerCase())) {
      throw invalidParameter(`The session tag '${tag.Key}' conflicts with a transitive session tag of the calling session, which can't be overridden.`);
    }
  }
  const passedKeys = new Set(passed.map((tag) => tag.Key.toLowerCase()));
  const transitive = [
    ...inheritedTags.map((tag) => tag.Key),
    ...dedupe(passedTransitiveKeys.filter((key) => passedKeys.has(key.toLowerCase()))).map((key) => passed.find((tag) => tag.Key.toLowerCase() === key.toLowerCase())!.Key),
  ];
  return { tags: [...inheritedTags.map((tag) => ({ ...tag })), ...passed.map((tag) => ({ Key: tag.Key, Value: tag.Value }))], transitiveTagKeys: transitive };
}

function dedupe(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  return keys.filter((key) => {
    const lower = key.toLowerCase();
    if (seen.has(lower)) return false;
    seen.add(lower);
    return true;
  });
}

/**
 * The source identity of a new session: fixed once set in a chain ("The value that is set cannot be
 * changed during the role session", id_credentials_temp_control-access_monitor.html).
 */
export function resolveSourceIdentity(inherited: string | undefined, requested: string | undefined): string | undefined {
  if (requested !== undefined && requested.toLowerCase().startsWith('aws:')) {
    throw invalidParameter(`SourceIdentity can't start with 'aws:'. This prefix is reserved for AWS use.`);
  }
  if (inherited !== undefined && requested !== undefined && requested !== inherited) {
    throw invalidParameter('The source identity of a role chain can\'t be changed: pass the calling session\'s SourceIdentity or none.');
  }
  return inherited ?? requested;
}

export interface PackedSize {
  /** Percentage of the budget the policies and tags use together (the response's PackedPolicySize). */
  percent: number;
  /** Share of the policies alone and of the tags alone, for the error message. */
  policyPercent: number;
  tagsPercent: number;
}

function packedBytes(text: string): number {
  return text === '' ? 0 : deflateRawSync(Buffer.from(text, 'utf8'), { level: 9 }).length;
}

/** Measures the packed size of a session's policies and tags. */
export function packedSize(policy: string | undefined, policyArns: readonly string[], tags: readonly Tag[]): PackedSize {
  // White space carries no meaning in a policy; the packed form doesn't keep it.
  const policyText = [policy === undefined ? '' : compactJson(policy), ...policyArns].filter(Boolean).join('\n');
  const tagText = tags.map((tag) => `${tag.Key}\u0000${tag.Value}`).join('\u0001');
  const policyBytes = packedBytes(policyText);
  const tagBytes = packedBytes(tagText);
  const percentOf = (bytes: number) => Math.ceil((100 * bytes) / PACKED_BUDGET_BYTES);
  return { percent: percentOf(policyBytes + tagBytes), policyPercent: percentOf(policyBytes), tagsPercent: percentOf(tagBytes) };
}

function compactJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** Throws AWS's PackedPolicyTooLarge when the session's policies and tags exceed the packed budget. */
export function checkPackedSize(size: PackedSize): void {
  if (size.percent <= 100) return;
  const message =
    size.tagsPercent > size.policyPercent
      ? `Packed size of session tags consumes ${size.percent}% of allotted space.`
      : `Packed policy consumes ${size.percent}% of allotted space, please use smaller policy.`;
  throw new AwsError('PackedPolicyTooLarge', message, 400);
}

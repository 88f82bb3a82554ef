/**
 * Tags on IAM resources (id_tags.html): at most 50 per resource, keys unique ignoring case (case kept as
 * given), the `aws:` prefix reserved; TagX overwrites a tag whose key matches ignoring case, UntagX
 * ignores keys that are not there. Also the condition keys tags feed into authorization.
 */
import type { Tag } from '../model/entities.js';
import { invalidInput, limitExceeded } from '../model/errors.js';
import type { ContextValue } from '../policy/index.js';
import { paginate, type PageRequest } from './pagination.js';

export const MAX_TAGS_PER_RESOURCE = 50;

/** Refuses a request's tags that repeat a key (ignoring case) or use the reserved `aws:` prefix. */
export function checkRequestTags(tags: readonly Tag[] | undefined): void {
  if (!tags) return;
  const seen = new Set<string>();
  for (const tag of tags) {
    const key = tag.Key.toLowerCase();
    if (seen.has(key)) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(key);
  }
  // IAM reserves the prefix for AWS's own tags (id_tags.html#id_tags_rules_creating); the wording is Rolecall's.
  for (const tag of tags) {
    if (tag.Key.toLowerCase().startsWith('aws:')) throw invalidInput(`User-defined tag keys can't start with 'aws:'. This prefix is reserved for AWS use.`);
  }
}

/** The resource's tags after TagX: matching keys (ignoring case) take the new tag, others are appended. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = existing.map((tag) => ({ ...tag }));
  for (const tag of added) {
    const index = merged.findIndex((current) => current.Key.toLowerCase() === tag.Key.toLowerCase());
    if (index >= 0) merged[index] = { Key: tag.Key, Value: tag.Value };
    else merged.push({ Key: tag.Key, Value: tag.Value });
  }
  if (merged.length > MAX_TAGS_PER_RESOURCE) throw limitExceeded('The number of tags has reached the maximum limit.');
  return merged;
}

/** The resource's tags after UntagX (keys compared ignoring case; unknown keys are ignored). */
export function removeTags(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  const removed = new Set(keys.map((key) => key.toLowerCase()));
  return existing.filter((tag) => !removed.has(tag.Key.toLowerCase()));
}

/** Copies tags for an output, or undefined when there are none (AWS omits an empty Tags list). */
export function tagsForOutput(tags: readonly Tag[]): Tag[] | undefined {
  return tags.length > 0 ? tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })) : undefined;
}

/**
 * A page of ListXTags, ordered by key ignoring case; 'shortest-first' is ListPolicyTags' order, which AWS
 * answers by key length, then by key with upper case first (`a, b, z, abc`; `A` before `a`: AWS-recorded
 * responses, issue 11).
 */
export function pageOfTags(tags: readonly Tag[], request: PageRequest, order: 'by-key' | 'shortest-first' = 'by-key'): { Tags: Tag[]; IsTruncated: boolean; Marker?: string } {
  // paginate() wants a key whose lower-cased order is the list's order: for length-then-code-unit order, the
  // length and each UTF-16 code unit in fixed-width hexadecimal (which lower-casing leaves alone).
  const sortKey =
    order === 'by-key'
      ? (tag: Tag) => tag.Key
      : (tag: Tag) => tag.Key.length.toString(16).padStart(4, '0') + Array.from({ length: tag.Key.length }, (_, i) => tag.Key.charCodeAt(i).toString(16).padStart(4, '0')).join('');
  const sorted = [...tags].sort((a, b) => (sortKey(a).toLowerCase() < sortKey(b).toLowerCase() ? -1 : 1));
  const page = paginate(sorted, sortKey, request);
  return { Tags: page.items.map((tag) => ({ Key: tag.Key, Value: tag.Value })), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
}

/** `aws:RequestTag/K` for each tag and `aws:TagKeys` for a request that passes tags. */
export function requestTagContext(tags: readonly Tag[] | undefined): Record<string, ContextValue> {
  if (!tags || tags.length === 0) return {};
  const context: Record<string, ContextValue> = {};
  for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
  context['aws:TagKeys'] = tags.map((tag) => tag.Key);
  return context;
}

/** `aws:TagKeys` for a request that removes tags. */
export function tagKeysContext(keys: readonly string[] | undefined): Record<string, ContextValue> {
  return keys && keys.length > 0 ? { 'aws:TagKeys': [...keys] } : {};
}

/**
 * `aws:ResourceTag/K` for the resource's tags; users and roles also answer the older `iam:ResourceTag/K`
 * (list_awsidentityandaccessmanagementiam.html, resource types role and user).
 */
export function resourceTagContext(tags: readonly Tag[] | undefined, withIamKeys = false): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {};
  for (const tag of tags ?? []) {
    context[`aws:ResourceTag/${tag.Key}`] = tag.Value;
    if (withIamKeys) context[`iam:ResourceTag/${tag.Key}`] = tag.Value;
  }
  return context;
}

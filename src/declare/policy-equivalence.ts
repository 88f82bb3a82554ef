/**
 * Semantic comparison of policy documents, so a policy IAM stored differently from how the manifest
 * writes it is not a change: IAM returns documents URL-encoded, may reorder keys and list items,
 * collapses one-item arrays, and may add or keep Version. Two documents are equivalent when they grant
 * the same thing: statements and list values compared as sets, action names and condition keys without
 * regard to case (IAM matches both case-insensitively), a bare account id as that account's root ARN
 * in the partition of the role compared (IAM stores `123456789012` as `arn:aws-cn:iam::123456789012:root`
 * in aws-cn, so the root ARN of `aws` there would be a difference that no write removes).
 */
import { rootArn } from '../model/arns.js';
import { DEFAULT_PARTITION } from '../model/partitions.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const CASE_INSENSITIVE_LISTS = new Set(['Action', 'NotAction']);
const SET_LISTS = new Set(['Action', 'NotAction', 'Resource', 'NotResource']);
const ACCOUNT_ID = /^\d{12}$/;

/** The text of a policy as IAM returns it (GetRole, GetRolePolicy): URL-decoded when it is encoded. */
export function decodeIamPolicy(text: string): string {
  if (!/%[0-9A-Fa-f]{2}/.test(text) || text.trimStart().startsWith('{')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Whether two policy documents are equivalent; a document that is not JSON is compared as text.
 * `partition` is the partition of the account the policy lives in (of the observed role's ARN).
 */
export function policiesEquivalent(desired: string, actual: string, partition: string = DEFAULT_PARTITION): boolean {
  const wanted = parse(desired);
  const found = parse(decodeIamPolicy(actual));
  if (wanted === undefined || found === undefined) return desired.trim() === decodeIamPolicy(actual).trim();
  // A manifest that omits Version does not ask for a particular one; IAM may report one anyway.
  const ignoreVersion = typeof wanted === 'object' && wanted !== null && !Array.isArray(wanted) && !('Version' in wanted);
  return JSON.stringify(canonicalPolicy(wanted, ignoreVersion, partition)) === JSON.stringify(canonicalPolicy(found, ignoreVersion, partition));
}

function parse(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

function canonicalPolicy(policy: Json, ignoreVersion: boolean, partition: string): Json {
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) return policy;
  const result: Record<string, Json> = {};
  for (const key of Object.keys(policy).sort()) {
    if (key === 'Version' && ignoreVersion) continue;
    const value = policy[key]!;
    result[key] = key === 'Statement' ? sortedByText(asList(value).map((statement) => canonicalStatement(statement, partition))) : value;
  }
  return result;
}

function canonicalStatement(statement: Json, partition: string): Json {
  if (typeof statement !== 'object' || statement === null || Array.isArray(statement)) return statement;
  const result: Record<string, Json> = {};
  for (const key of Object.keys(statement).sort()) {
    const value = statement[key]!;
    if (SET_LISTS.has(key)) result[key] = canonicalSet(value, CASE_INSENSITIVE_LISTS.has(key));
    else if (key === 'Principal' || key === 'NotPrincipal') result[key] = canonicalPrincipal(value, partition);
    else if (key === 'Condition') result[key] = canonicalCondition(value);
    else result[key] = value;
  }
  return result;
}

function canonicalPrincipal(principal: Json, partition: string): Json {
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) return principal;
  const result: Record<string, Json> = {};
  for (const type of Object.keys(principal).sort()) {
    const values = asList(principal[type]!).map((value) =>
      type === 'AWS' && typeof value === 'string' && ACCOUNT_ID.test(value) ? rootArn(partition, value) : value,
    );
    result[type] = canonicalSet(values, false);
  }
  return result;
}

function canonicalCondition(condition: Json): Json {
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) return condition;
  const result: Record<string, Json> = {};
  for (const operator of Object.keys(condition).sort()) {
    const block = condition[operator]!;
    if (typeof block !== 'object' || block === null || Array.isArray(block)) {
      result[operator] = block;
      continue;
    }
    const keys: Record<string, Json> = {};
    for (const key of Object.keys(block).sort((a, b) => compare(a.toLowerCase(), b.toLowerCase()))) {
      // Condition values are strings to IAM: true and "true" are one value.
      keys[key.toLowerCase()] = canonicalSet(asList(block[key]!).map((value) => (typeof value === 'object' ? value : String(value))), false);
    }
    result[operator] = keys;
  }
  return result;
}

function canonicalSet(value: Json, caseInsensitive: boolean): Json {
  const items = asList(value).map((item) => (caseInsensitive && typeof item === 'string' ? item.toLowerCase() : item));
  const unique = sortedByText(items).filter((item, index, all) => index === 0 || JSON.stringify(item) !== JSON.stringify(all[index - 1]));
  return unique.length === 1 ? unique[0]! : unique;
}

function asList(value: Json): Json[] {
  return Array.isArray(value) ? value : [value];
}

function sortedByText(items: Json[]): Json[] {
  return items
    .map((item) => ({ item, text: JSON.stringify(item) }))
    .sort((a, b) => compare(a.text, b.text))
    .map(({ item }) => item);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Reading an IAMRole spec the same way everywhere: its inline policies in both forms, its effective tags. */
import { OWNER_TAG_KEY } from './ownership.js';
import type { IAMRole } from './resources.js';

/** The inline policies of a role, from both forms the seed uses (`inlinePolicy` and `inlinePolicies`). */
export function inlinePoliciesOf(role: IAMRole): Array<{ policyName: string; policyDocument: string; field: string }> {
  const policies: Array<{ policyName: string; policyDocument: string; field: string }> = [];
  if (role.spec.inlinePolicy) policies.push({ ...role.spec.inlinePolicy, field: 'spec.inlinePolicy' });
  (role.spec.inlinePolicies ?? []).forEach((policy, index) => policies.push({ ...policy, field: `spec.inlinePolicies[${index}]` }));
  return policies;
}

/**
 * The provider's defaultTags, overridden by the role's own tags, then the ownership tag. IAM tag keys
 * are case-insensitive (`Environment` and `environment` are one key: "Duplicate tag keys found"), so a
 * role tag overrides a default tag whose key differs only in case — as seed 001's production roles do.
 */
export function mergedTags(defaultTags: Record<string, string>, tags: Record<string, string>, owner: string): Record<string, string> {
  const own = new Set(Object.keys(tags).map((key) => key.toLowerCase()));
  const defaults = Object.entries(defaultTags).filter(([key]) => !own.has(key.toLowerCase()));
  return { ...Object.fromEntries(defaults), ...tags, [OWNER_TAG_KEY]: owner };
}

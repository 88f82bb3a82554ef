/**
 * A role as a plain object in the IAMRole spec's own terms, for `rolecall diff` (the LIVE and MERGED
 * files) and `describe`: the desired role, and the actual one written so that only real differences
 * show — a policy IAM stores differently but equivalently is shown as the manifest writes it.
 */
import type { DesiredRole } from './desired-role.js';
import { partitionOfRole, type ObservedRole } from './observed-role.js';
import { policiesEquivalent } from './policy-equivalence.js';

export interface RoleView {
  roleName: string;
  path: string;
  description: string;
  maxSessionDuration: number;
  assumeRolePolicyDocument: string;
  managedPolicyArns: string[];
  inlinePolicies: Array<{ policyName: string; policyDocument: string }>;
  permissionsBoundary?: string;
  tags: Record<string, string>;
}

function pretty(document: string): string {
  try {
    return `${JSON.stringify(JSON.parse(document), null, 2)}\n`;
  } catch {
    return document;
  }
}

function sortedTags(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The desired role as a view. */
export function desiredView(desired: DesiredRole): RoleView {
  return {
    roleName: desired.roleName,
    path: desired.path,
    description: desired.description,
    maxSessionDuration: desired.maxSessionDuration,
    assumeRolePolicyDocument: pretty(desired.trustPolicy),
    managedPolicyArns: [...desired.managedPolicyArns].sort(),
    inlinePolicies: [...desired.inlinePolicies]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([policyName, document]) => ({ policyName, policyDocument: pretty(document) })),
    ...(desired.permissionsBoundary ? { permissionsBoundary: desired.permissionsBoundary } : {}),
    tags: sortedTags(desired.tags),
  };
}

/** The actual role as a view, its policies written as `desired` writes them where equivalent. */
export function liveView(live: ObservedRole, desired: DesiredRole): RoleView {
  const asDesired = (actual: string, wanted: string | undefined) => pretty(wanted !== undefined && policiesEquivalent(wanted, actual, partitionOfRole(live)) ? wanted : actual);
  return {
    roleName: live.roleName,
    path: live.path,
    description: live.description,
    maxSessionDuration: live.maxSessionDuration,
    assumeRolePolicyDocument: asDesired(live.trustPolicy, desired.trustPolicy),
    managedPolicyArns: [...live.managedPolicyArns].sort(),
    inlinePolicies: [...live.inlinePolicies]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([policyName, document]) => ({ policyName, policyDocument: asDesired(document, desired.inlinePolicies.get(policyName)) })),
    ...(live.permissionsBoundary ? { permissionsBoundary: live.permissionsBoundary } : {}),
    tags: sortedTags(live.tags),
  };
}

/**
 * The role an IAMRole object asks for, with every default filled in: what the reconciler converges the
 * actual role to. Unset fields mean their IAM default (no description, path /, one hour, no boundary,
 * no managed or inline policies, no tags but the provider's defaultTags and the ownership tag).
 */
import { mayAdopt, ownerOf } from './ownership.js';
import type { AWSProvider, DeletionPolicy, IAMRole } from './resources.js';
import { describeObject } from './resources.js';
import { inlinePoliciesOf, mergedTags } from './role-spec.js';
import type { RoleSettings } from './observed-role.js';

/** The role an object asks for; its tags are defaultTags, then the object's tags, then the ownership tag. */
export interface DesiredRole extends RoleSettings {
  /** `IAMRole namespace/name`: for messages. */
  object: string;
  /** The ownership tag's value. */
  owner: string;
  adopt: boolean;
  deletionPolicy: DeletionPolicy;
  generation?: number;
}

export const DEFAULT_PATH = '/';
export const DEFAULT_MAX_SESSION_DURATION = 3600;

/** The desired role of an IAMRole managed through `provider`. */
export function desiredRoleOf(role: IAMRole, provider: Pick<AWSProvider, 'spec'> | undefined): DesiredRole {
  const { spec } = role;
  return {
    object: describeObject(role),
    owner: ownerOf(role),
    adopt: mayAdopt(role),
    roleName: spec.roleName,
    path: spec.path ?? DEFAULT_PATH,
    description: spec.description ?? '',
    maxSessionDuration: spec.maxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
    trustPolicy: spec.assumeRolePolicyDocument,
    managedPolicyArns: [...new Set(spec.managedPolicyArns ?? [])].sort(),
    inlinePolicies: new Map(inlinePoliciesOf(role).map((policy) => [policy.policyName, policy.policyDocument])),
    ...(spec.permissionsBoundary ? { permissionsBoundary: spec.permissionsBoundary } : {}),
    tags: mergedTags(provider?.spec.defaultTags ?? {}, spec.tags ?? {}, ownerOf(role)),
    deletionPolicy: spec.deletionPolicy ?? 'Delete',
    ...(role.metadata.generation !== undefined ? { generation: role.metadata.generation } : {}),
  };
}


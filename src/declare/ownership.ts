/**
 * Ownership recorded on the role itself, so it works against any endpoint (Rolecall or AWS) without a
 * cluster or a state file: the tag `rolecall.dev/owner` holds `namespace/name` of the IAMRole object
 * that manages the role. A role without it is adopted only when the object carries the annotation
 * `rolecall.dev/adopt: "true"`; a role owned by another object is a conflict, never taken over.
 */
import type { IAMRole } from './resources.js';
import { objectKey } from './resources.js';

export const OWNER_TAG_KEY = 'rolecall.dev/owner';
export const ADOPT_ANNOTATION = 'rolecall.dev/adopt';

/** The owner tag value of an IAMRole object. */
export function ownerOf(role: Pick<IAMRole, 'metadata'>): string {
  return objectKey(role.metadata);
}

/** Whether the object allows adopting an existing role that no rolecall object owns. */
export function mayAdopt(role: Pick<IAMRole, 'metadata'>): boolean {
  return role.metadata.annotations[ADOPT_ANNOTATION] === 'true';
}

/** Why an object may not manage an existing role, or undefined when it may. */
export function ownershipProblem(
  role: { roleName: string; owner: string; adopt: boolean },
  existingOwner: string | undefined,
  subject: { resource: string; kind: string; noun: string; fields: string } = { resource: `role ${role.roleName}`, kind: 'IAMRole', noun: 'role', fields: 'its policies, tags and settings' },
): { reason: 'OwnershipConflict' | 'NotOwned'; message: string } | undefined {
  if (existingOwner === role.owner) return undefined;
  if (existingOwner !== undefined)
    return {
      reason: 'OwnershipConflict',
      message: `${subject.resource} is managed by ${subject.kind} ${existingOwner} (tag ${OWNER_TAG_KEY}); two objects must not manage one ${subject.noun}`,
    };
  if (role.adopt) return undefined;
  return {
    reason: 'NotOwned',
    message: `${subject.resource} already exists and was not created by rolecall; to manage it from this object, annotate it ${ADOPT_ANNOTATION}: "true" (${subject.fields} will then be made to match the spec)`,
  };
}

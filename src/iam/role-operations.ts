/**
 * The registry's view of the role, policy, attachment and instance-profile operations: every operation
 * this part of iam/ implements, by its model name.
 */
import { ATTACHMENT_OPERATIONS } from './attachments.js';
import { INLINE_POLICY_OPERATIONS } from './inline-policies.js';
import {
  addRoleToInstanceProfile,
  createInstanceProfile,
  deleteInstanceProfile,
  getInstanceProfile,
  listInstanceProfileTags,
  listInstanceProfiles,
  listInstanceProfilesForRole,
  removeRoleFromInstanceProfile,
  tagInstanceProfile,
  untagInstanceProfile,
} from './instance-profiles.js';
import { createPolicy, deletePolicy, getPolicy, listEntitiesForPolicy, listPolicies, listPolicyTags, tagPolicy, untagPolicy } from './managed-policies.js';
import type { AnyOperation } from './operation.js';
import { createPolicyVersion, deletePolicyVersion, getPolicyVersion, listPolicyVersions, setDefaultPolicyVersion } from './policy-versions.js';
import {
  createRole,
  createServiceLinkedRole,
  deleteRole,
  deleteRolePermissionsBoundary,
  getRole,
  listRoles,
  listRoleTags,
  putRolePermissionsBoundary,
  tagRole,
  untagRole,
  updateAssumeRolePolicy,
  updateRole,
  updateRoleDescription,
} from './roles.js';
import { SERVICE_LINKED_ROLE_DELETION_OPERATIONS } from './service-linked-roles.js';

/** Roles, inline and managed policies, policy versions, attachments and instance profiles. */
export const ROLE_AND_POLICY_OPERATIONS: AnyOperation[] = [
  createRole,
  getRole,
  updateRole,
  updateRoleDescription,
  deleteRole,
  listRoles,
  updateAssumeRolePolicy,
  tagRole,
  untagRole,
  listRoleTags,
  putRolePermissionsBoundary,
  deleteRolePermissionsBoundary,
  createServiceLinkedRole,
  ...SERVICE_LINKED_ROLE_DELETION_OPERATIONS,
  ...INLINE_POLICY_OPERATIONS,
  createPolicy,
  getPolicy,
  deletePolicy,
  listPolicies,
  tagPolicy,
  untagPolicy,
  listPolicyTags,
  listEntitiesForPolicy,
  createPolicyVersion,
  getPolicyVersion,
  listPolicyVersions,
  deletePolicyVersion,
  setDefaultPolicyVersion,
  ...ATTACHMENT_OPERATIONS,
  createInstanceProfile,
  getInstanceProfile,
  deleteInstanceProfile,
  listInstanceProfiles,
  addRoleToInstanceProfile,
  removeRoleFromInstanceProfile,
  listInstanceProfilesForRole,
  tagInstanceProfile,
  untagInstanceProfile,
  listInstanceProfileTags,
];

/**
 * organizations/: AWS Organizations over the store — the organization, its root, OUs and accounts, the
 * SERVICE_CONTROL_POLICY and RESOURCE_CONTROL_POLICY policies and their attachments — and the SCP/RCP
 * levels the auth layer hands the policy engine for every request of a member account.
 */
import type { AnyOperation } from '../iam/operation.js';
import { ACCOUNT_OPERATIONS } from './account-operations.js';
import { ORGANIZATION_OPERATIONS } from './organization-operations.js';
import { POLICY_OPERATIONS } from './policy-operations.js';
import { UNIT_OPERATIONS } from './unit-operations.js';

export { organizationPoliciesFor, type OrganizationPolicies } from './enforcement.js';
export { invalidInputFromViolations } from './invalid-input.js';
export { OrganizationsError } from './errors.js';

/** Every Organizations operation Rolecall serves, by the model's operation name. */
export const ORGANIZATIONS_OPERATIONS: readonly AnyOperation[] = [
  ...ORGANIZATION_OPERATIONS, ...ACCOUNT_OPERATIONS, ...UNIT_OPERATIONS, ...POLICY_OPERATIONS,
];

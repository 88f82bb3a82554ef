/** The registry's share of users, groups, access keys, MFA devices, OIDC providers and the account views. */
import { ACCESS_KEY_OPERATIONS } from './access-keys.js';
import { ACCOUNT_OPERATIONS } from './account.js';
import { GROUP_OPERATIONS } from './groups.js';
import { MFA_DEVICE_ASSIGNMENT_OPERATIONS } from './mfa-device-assignment.js';
import { OIDC_PROVIDER_OPERATIONS } from './oidc-providers.js';
import type { AnyOperation } from './operation.js';
import { USER_OPERATIONS } from './users.js';
import { VIRTUAL_MFA_DEVICE_OPERATIONS } from './virtual-mfa-devices.js';

export const USER_AND_ACCOUNT_OPERATIONS: AnyOperation[] = [
  ...USER_OPERATIONS,
  ...GROUP_OPERATIONS,
  ...ACCESS_KEY_OPERATIONS,
  ...VIRTUAL_MFA_DEVICE_OPERATIONS,
  ...MFA_DEVICE_ASSIGNMENT_OPERATIONS,
  ...OIDC_PROVIDER_OPERATIONS,
  ...ACCOUNT_OPERATIONS,
];

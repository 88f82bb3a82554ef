/** The registry's share of users, groups, access keys, OIDC providers and the account views. */
import { ACCESS_KEY_OPERATIONS } from './access-keys.js';
import { ACCOUNT_OPERATIONS } from './account.js';
import { GROUP_OPERATIONS } from './groups.js';
import { OIDC_PROVIDER_OPERATIONS } from './oidc-providers.js';
import type { AnyOperation } from './operation.js';
import { USER_OPERATIONS } from './users.js';

export const USER_AND_ACCOUNT_OPERATIONS: AnyOperation[] = [
  ...USER_OPERATIONS,
  ...GROUP_OPERATIONS,
  ...ACCESS_KEY_OPERATIONS,
  ...OIDC_PROVIDER_OPERATIONS,
  ...ACCOUNT_OPERATIONS,
];

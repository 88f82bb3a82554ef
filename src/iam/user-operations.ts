/** The registry's share of users, groups, access keys, SSH keys, signing certificates, service-specific credentials, MFA devices, OIDC providers and the account views. */
import { ACCESS_KEY_OPERATIONS } from './access-keys.js';
import { ACCOUNT_OPERATIONS } from './account.js';
import { CREDENTIAL_REPORT_OPERATIONS } from './credential-report.js';
import { GROUP_OPERATIONS } from './groups.js';
import { LOGIN_PROFILE_OPERATIONS } from './login-profiles.js';
import { MFA_DEVICE_ASSIGNMENT_OPERATIONS } from './mfa-device-assignment.js';
import { OIDC_PROVIDER_OPERATIONS } from './oidc-providers.js';
import { SAML_PROVIDER_OPERATIONS } from './saml-providers.js';
import type { AnyOperation } from './operation.js';
import { PASSWORD_POLICY_OPERATIONS } from './password-policy.js';
import { SERVICE_SPECIFIC_CREDENTIAL_OPERATIONS } from './service-specific-credentials.js';
import { SIGNING_CERTIFICATE_OPERATIONS } from './signing-certificates.js';
import { SSH_PUBLIC_KEY_OPERATIONS } from './ssh-public-keys.js';
import { USER_OPERATIONS } from './users.js';
import { VIRTUAL_MFA_DEVICE_OPERATIONS } from './virtual-mfa-devices.js';

export const USER_AND_ACCOUNT_OPERATIONS: AnyOperation[] = [
  ...USER_OPERATIONS,
  ...GROUP_OPERATIONS,
  ...ACCESS_KEY_OPERATIONS,
  ...SSH_PUBLIC_KEY_OPERATIONS,
  ...SIGNING_CERTIFICATE_OPERATIONS,
  ...SERVICE_SPECIFIC_CREDENTIAL_OPERATIONS,
  ...VIRTUAL_MFA_DEVICE_OPERATIONS,
  ...MFA_DEVICE_ASSIGNMENT_OPERATIONS,
  ...OIDC_PROVIDER_OPERATIONS,
  ...SAML_PROVIDER_OPERATIONS,
  ...ACCOUNT_OPERATIONS,
  ...LOGIN_PROFILE_OPERATIONS,
  ...PASSWORD_POLICY_OPERATIONS,
  ...CREDENTIAL_REPORT_OPERATIONS,
];

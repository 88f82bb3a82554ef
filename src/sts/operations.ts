/** The STS operations Rolecall serves. */
import type { AnyOperation } from '../iam/operation.js';
import { assumeRole } from './assume-role.js';
import { assumeRoleWithSAML } from './assume-role-with-saml.js';
import { decodeAuthorizationMessageOperation } from './decode-authorization-message.js';
import { getAccessKeyInfo } from './get-access-key-info.js';
import { getCallerIdentity } from './get-caller-identity.js';
import { getFederationToken } from './get-federation-token.js';
import { getSessionToken } from './get-session-token.js';
import { assumeRoleWithWebIdentity } from './web-identity.js';

export const STS_OPERATIONS: readonly AnyOperation[] = [
  assumeRole,
  assumeRoleWithWebIdentity,
  assumeRoleWithSAML,
  getSessionToken,
  getFederationToken,
  getAccessKeyInfo,
  decodeAuthorizationMessageOperation,
  getCallerIdentity,
];

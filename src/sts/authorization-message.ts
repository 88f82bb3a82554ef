/**
 * Encoded authorization messages (API_DecodeAuthorizationMessage.html): the details of a denial —
 * allowed or not, explicit deny or not, the matched statements, the principal, action, resource and the
 * request's condition keys — sealed with the server key, so the caller who was denied sees an opaque
 * string and only someone allowed sts:DecodeAuthorizationMessage in the same account reads it.
 * The decoded JSON follows the shape AWS's decoded messages have.
 */
import type { SecretSealing } from '../iam/operation.js';
import type { ContextValue } from '../policy/types.js';

export interface AuthorizationDetails {
  allowed: boolean;
  explicitDeny: boolean;
  matchedStatements: Array<{ policyType?: string; policyName?: string; statementIndex?: number; sid?: string; effect?: string }>;
  principal: { id: string; arn: string };
  action: string;
  resource: string;
  conditions: Record<string, ContextValue>;
}

/** The JSON AWS's DecodeAuthorizationMessage returns for a message. */
export interface DecodedAuthorizationMessage {
  allowed: boolean;
  explicitDeny: boolean;
  matchedStatements: { items: AuthorizationDetails['matchedStatements'] };
  failures: { items: unknown[] };
  context: {
    principal: { id: string; arn: string };
    action: string;
    resource: string;
    conditions: { items: Array<{ key: string; values: { items: Array<{ value: string }> } }> };
  };
}

interface SealedMessage {
  v: 1;
  account: string;
  message: DecodedAuthorizationMessage;
}

const CONTEXT = 'sts:authorization-message';

/** Seals the details of a decision made in `account` into an encoded authorization message. */
export function encodeAuthorizationMessage(secrets: SecretSealing, account: string, details: AuthorizationDetails): string {
  const message: DecodedAuthorizationMessage = {
    allowed: details.allowed,
    explicitDeny: details.explicitDeny,
    matchedStatements: { items: details.matchedStatements },
    failures: { items: [] },
    context: {
      principal: details.principal,
      action: details.action,
      resource: details.resource,
      conditions: {
        items: Object.entries(details.conditions).map(([key, value]) => ({
          key,
          values: { items: (Array.isArray(value) ? value : [value]).map((item) => ({ value: String(item) })) },
        })),
      },
    },
  };
  const sealed: SealedMessage = { v: 1, account, message };
  return secrets.seal(JSON.stringify(sealed), CONTEXT);
}

/** Opens an encoded message for a reader in `account`; undefined when it is not one this server sealed for it. */
export function decodeAuthorizationMessage(secrets: SecretSealing, account: string, encoded: string): DecodedAuthorizationMessage | undefined {
  try {
    const sealed = JSON.parse(secrets.unseal(encoded.trim(), CONTEXT)) as SealedMessage;
    return sealed.v === 1 && sealed.account === account ? sealed.message : undefined;
  } catch {
    return undefined;
  }
}

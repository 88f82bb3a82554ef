/**
 * Principal and NotPrincipal (reference_policies_elements_principal.html, ..._notprincipal.html).
 * Matching is exact: a wildcard can't match part of a principal ARN; only `"*"` matches everyone.
 * The kind of match matters to the evaluator: a grant to a user or session ARN stands on its own in the
 * same account, a grant to a role ARN is still capped by boundary and session policies, and a grant to an
 * account only delegates to that account's identity policies.
 */
import type { PrincipalInfo } from './principal-info.js';
import type { PrincipalBlock } from './types.js';

export type PrincipalMatchKind = 'wildcard' | 'account' | 'user' | 'role' | 'session' | 'service' | 'federated' | 'canonical-user';

export interface CompiledPrincipal {
  block: PrincipalBlock;
  /** How the block names the caller, or undefined when it does not. */
  match(principal: PrincipalInfo): PrincipalMatchKind | undefined;
  /** NotPrincipal: whether every identity of the caller (its account and itself) is listed. */
  exempts(principal: PrincipalInfo): boolean;
}

const ACCOUNT_ID = /^\d{12}$/;
const ACCOUNT_ROOT = /^arn:[^:]+:iam::\d{12}:root$/;

export function compilePrincipal(block: PrincipalBlock): CompiledPrincipal {
  const wildcard = block.wildcard || (block.AWS?.includes('*') ?? false);
  // A bare account id is the policy's own partition's (IAM stores it as that root ARN); a root ARN names
  // its partition, and an account of another partition is not the same account.
  const accounts = new Set<string>();
  const roots = new Set<string>();
  const arns = new Set<string>();
  for (const entry of block.AWS ?? []) {
    if (ACCOUNT_ID.test(entry)) accounts.add(entry);
    else if (ACCOUNT_ROOT.test(entry)) roots.add(entry);
    else arns.add(entry);
  }
  const services = new Set((block.Service ?? []).map((s) => s.toLowerCase()));
  const federated = new Set(block.Federated ?? []);
  const canonical = new Set(block.CanonicalUser ?? []);

  const specific = (principal: PrincipalInfo): PrincipalMatchKind | undefined => {
    switch (principal.kind) {
      case 'user':
        return arns.has(principal.text) ? 'user' : undefined;
      case 'role':
        return arns.has(principal.text) ? 'role' : undefined;
      case 'assumed-role':
        if (arns.has(principal.text)) return 'session';
        return principal.roleArn !== undefined && arns.has(principal.roleArn) ? 'role' : undefined;
      case 'federated-user':
        return arns.has(principal.text) ? 'session' : undefined;
      case 'service':
        return services.has(principal.text.toLowerCase()) ? 'service' : undefined;
      case 'federated':
        return federated.has(principal.text) ? 'federated' : undefined;
      case 'canonical-user':
        return canonical.has(principal.text) ? 'canonical-user' : undefined;
      default:
        return undefined;
    }
  };
  const accountListed = (principal: PrincipalInfo): boolean =>
    principal.account !== undefined &&
    (accounts.has(principal.account) || (principal.accountRoot !== undefined && roots.has(principal.accountRoot))) &&
    principal.kind !== 'service' &&
    principal.kind !== 'federated';

  return {
    block,
    match(principal) {
      if (wildcard) return 'wildcard';
      const kind = specific(principal);
      if (kind) return kind;
      return accountListed(principal) ? 'account' : undefined;
    },
    exempts(principal) {
      if (wildcard) return true;
      switch (principal.kind) {
        case 'root':
          return accountListed(principal);
        case 'user':
        case 'federated-user':
        case 'role':
          // AWS checks the account, then the principal itself: both must be listed to escape the deny.
          return accountListed(principal) && arns.has(principal.text);
        case 'assumed-role':
          // A session is checked as its account, its role and the session itself: all three must be listed.
          return accountListed(principal) && principal.roleArn !== undefined && arns.has(principal.roleArn) && arns.has(principal.text);
        case 'anonymous':
          return false;
        default:
          return specific(principal) !== undefined;
      }
    },
  };
}

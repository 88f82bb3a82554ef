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

/** Where the caller's `aws:userid` is read from (the request context), only for blocks that list unique ids. */
export interface CallerIdSource {
  single(keyLower: string): string | undefined;
}

/** A class rather than an object literal, so that V8 never pretenures it (young-objects.ts says why). */
export class CompiledPrincipal {
  constructor(
    readonly block: PrincipalBlock,
    /** How the block names the caller, or undefined when it does not. */
    readonly match: (principal: PrincipalInfo, callerIds?: CallerIdSource) => PrincipalMatchKind | undefined,
    /** NotPrincipal: whether every identity of the caller (its account and itself) is listed. */
    readonly exempts: (principal: PrincipalInfo, callerIds?: CallerIdSource) => boolean,
  ) {}
}

/**
 * An IAM user's (`AIDA`) or role's (`AROA`) unique id as an `"AWS"` principal: IAM keeps a trust policy's
 * user or role as its unique id, so a deleted one shows as that id and a re-created namesake (a new id) is
 * not trusted (reference_policies_elements_principal.html; reference_identifiers.html#identifiers-unique-ids).
 */
export const UNIQUE_PRINCIPAL_ID = /^(?:AIDA|AROA)[A-Z0-9]{17}$/;

const ACCOUNT_ID = /^\d{12}$/;
const ACCOUNT_ROOT = /^arn:[^:]+:iam::\d{12}:root$/;

/**
 * The unique id of the user or role the caller is, read from aws:userid (`AIDA…` for a user, `AROA…:session`
 * for a role session), or undefined for callers no unique id names.
 */
function callerUniqueId(principal: PrincipalInfo, callerIds: CallerIdSource | undefined): string | undefined {
  if (principal.kind !== 'user' && principal.kind !== 'role' && principal.kind !== 'assumed-role') return undefined;
  const userId = callerIds?.single('aws:userid');
  if (userId === undefined) return undefined;
  const colon = userId.indexOf(':');
  const id = colon < 0 ? userId : userId.slice(0, colon);
  // A user is named by its AIDA id, a role and its sessions by the role's AROA id.
  return id.startsWith(principal.kind === 'user' ? 'AIDA' : 'AROA') ? id : undefined;
}

export function compilePrincipal(block: PrincipalBlock): CompiledPrincipal {
  const wildcard = block.wildcard || (block.AWS?.includes('*') ?? false);
  // A bare account id is the policy's own partition's (IAM stores it as that root ARN); a root ARN names
  // its partition, and an account of another partition is not the same account.
  const accounts = new Set<string>();
  const roots = new Set<string>();
  const arns = new Set<string>();
  const uniqueIds = new Set<string>();
  for (const entry of block.AWS ?? []) {
    if (ACCOUNT_ID.test(entry)) accounts.add(entry);
    else if (ACCOUNT_ROOT.test(entry)) roots.add(entry);
    else if (UNIQUE_PRINCIPAL_ID.test(entry)) uniqueIds.add(entry);
    else arns.add(entry);
  }
  // Decided here, once: a block without unique ids never reads the caller's aws:userid.
  const idListed =
    uniqueIds.size === 0
      ? (): boolean => false
      : (principal: PrincipalInfo, callerIds: CallerIdSource | undefined): boolean => {
          const id = callerUniqueId(principal, callerIds);
          return id !== undefined && uniqueIds.has(id);
        };
  // The caller itself (not its account) is listed, by ARN or by unique id.
  const selfListed =
    uniqueIds.size === 0
      ? (principal: PrincipalInfo): boolean => arns.has(principal.text)
      : (principal: PrincipalInfo, callerIds: CallerIdSource | undefined): boolean => arns.has(principal.text) || idListed(principal, callerIds);
  const services = new Set((block.Service ?? []).map((s) => s.toLowerCase()));
  const federated = new Set(block.Federated ?? []);
  const canonical = new Set(block.CanonicalUser ?? []);

  const specific = (principal: PrincipalInfo, callerIds: CallerIdSource | undefined): PrincipalMatchKind | undefined => {
    switch (principal.kind) {
      case 'user':
        return selfListed(principal, callerIds) ? 'user' : undefined;
      case 'role':
        return selfListed(principal, callerIds) ? 'role' : undefined;
      case 'assumed-role':
        if (arns.has(principal.text)) return 'session';
        // The role's unique id names the role, as its ARN does.
        return (principal.roleArn !== undefined && arns.has(principal.roleArn)) || idListed(principal, callerIds) ? 'role' : undefined;
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

  const match = (principal: PrincipalInfo, callerIds?: CallerIdSource): PrincipalMatchKind | undefined => {
    if (wildcard) return 'wildcard';
    const kind = specific(principal, callerIds);
    if (kind) return kind;
    return accountListed(principal) ? 'account' : undefined;
  };
  const exempts = (principal: PrincipalInfo, callerIds?: CallerIdSource): boolean => {
  if (wildcard) return true;
    switch (principal.kind) {
      case 'root':
        return accountListed(principal);
      case 'user':
      case 'federated-user':
      case 'role':
        // AWS checks the account, then the principal itself: both must be listed to escape the deny.
        return accountListed(principal) && selfListed(principal, callerIds);
      case 'assumed-role':
        // A session is checked as its account, its role and the session itself: all three must be listed.
        return (
          accountListed(principal) &&
          ((principal.roleArn !== undefined && arns.has(principal.roleArn)) || idListed(principal, callerIds)) &&
          arns.has(principal.text)
        );
      case 'anonymous':
        return false;
      default:
        return specific(principal, callerIds) !== undefined;
    }
  };
  return new CompiledPrincipal(block, match, exempts);
}

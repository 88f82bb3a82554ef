/**
 * What the evaluator needs to know about the caller, read from its principal string once per request:
 * its kind, its account, and the ARNs by which policies may name it.
 */
import { parseArn } from './arn.js';

export type PrincipalKind =
  | 'anonymous'
  | 'root'
  | 'user'
  | 'role'
  | 'assumed-role'
  | 'federated-user'
  | 'service'
  | 'federated'
  | 'canonical-user'
  | 'unknown';

export interface PrincipalInfo {
  text: string;
  kind: PrincipalKind;
  account?: string;
  /** For IAM users: the user name (aws:username). */
  userName?: string;
  /** For role sessions: the role's ARN (aws:PrincipalArn), with its path when the request gave it. */
  roleArn?: string;
  /** Whether the principal is a service-linked role or its session (SCPs don't bind those). */
  serviceLinked: boolean;
  /** The ARN of its account's root in its own partition (`arn:aws-cn:iam::ACCOUNT:root`), for IAM and STS principals. */
  accountRoot?: string;
}

const WELL_KNOWN_IDPS = new Set(['accounts.google.com', 'cognito-identity.amazonaws.com', 'graph.facebook.com', 'www.amazon.com']);
const CANONICAL_USER = /^[0-9a-f]{64}$/;

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

// Large enough for the principals of a busy deployment; cleared wholesale when full (cheap, rare).
const MEMO_LIMIT = 65_536;
const memo = new Map<string, PrincipalInfo>();

/**
 * Reads a principal string; `principalArn` (aws:PrincipalArn from the context) supplies a session's role
 * path. Callers repeat, so descriptions are memoized (bounded); they are immutable.
 */
export function describePrincipal(text: string, principalArn?: string): PrincipalInfo {
  const key = principalArn === undefined ? text : `${text}\u0000${principalArn}`;
  let info = memo.get(key);
  if (!info) {
    info = Object.freeze(readPrincipal(text, principalArn));
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, info);
  }
  return info;
}

function readPrincipal(text: string, principalArn?: string): PrincipalInfo {
  const info = readPrincipalKind(text, principalArn);
  const arn = info.account !== undefined ? parseArn(info.text) : undefined;
  // Policies may name an account by its root ARN, which names a partition too: kept for matching.
  if (arn && (arn.service === 'iam' || arn.service === 'sts')) info.accountRoot = `arn:${arn.partition}:iam::${info.account}:root`;
  return info;
}

function readPrincipalKind(text: string, principalArn?: string): PrincipalInfo {
  if (text === '*' || text === '') return { text, kind: 'anonymous', serviceLinked: false };
  const arn = parseArn(text);
  if (!arn) {
    if (WELL_KNOWN_IDPS.has(text)) return { text, kind: 'federated', serviceLinked: false };
    if (text.endsWith('.amazonaws.com') || text.endsWith('.amazonaws.com.cn')) return { text, kind: 'service', serviceLinked: false };
    if (CANONICAL_USER.test(text)) return { text, kind: 'canonical-user', serviceLinked: false };
    if (/^\d{12}$/.test(text)) return { text: `arn:aws:iam::${text}:root`, kind: 'root', account: text, serviceLinked: false };
    return { text, kind: 'unknown', serviceLinked: false };
  }
  const { account, resource, service, partition } = arn;
  if (service === 'iam') {
    if (resource === 'root') return { text, kind: 'root', account, serviceLinked: false };
    if (resource.startsWith('user/')) return { text, kind: 'user', account, userName: lastSegment(resource), serviceLinked: false };
    if (resource.startsWith('role/')) {
      return { text, kind: 'role', account, roleArn: text, serviceLinked: resource.startsWith('role/aws-service-role/') };
    }
    if (resource.startsWith('oidc-provider/') || resource.startsWith('saml-provider/')) {
      return { text, kind: 'federated', account, serviceLinked: false };
    }
  }
  if (service === 'sts') {
    if (resource.startsWith('assumed-role/')) {
      const [, roleName = ''] = resource.split('/');
      const roleArn = principalArn ?? `arn:${partition}:iam::${account}:role/${roleName}`;
      return { text, kind: 'assumed-role', account, roleArn, serviceLinked: roleArn.includes(':role/aws-service-role/') };
    }
    if (resource.startsWith('federated-user/')) return { text, kind: 'federated-user', account, serviceLinked: false };
  }
  return { text, kind: 'unknown', account, serviceLinked: false };
}

/** The value AWS gives aws:PrincipalType for each kind of caller. */
export function principalTypeOf(kind: PrincipalKind): string | undefined {
  switch (kind) {
    case 'root':
      return 'Account';
    case 'user':
      return 'User';
    case 'assumed-role':
    case 'role':
      return 'AssumedRole';
    case 'federated-user':
      return 'FederatedUser';
    case 'anonymous':
      return 'Anonymous';
    default:
      return undefined;
  }
}

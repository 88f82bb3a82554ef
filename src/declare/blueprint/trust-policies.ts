/**
 * The trust policy of each trust mode a blueprint role can have:
 * - `podIdentity`: EKS Pod Identity, seed 000's pattern (`pods.eks.amazonaws.com`, AssumeRole and
 *   TagSession), plus one association per service account.
 * - `irsa`: IRSA hardened as seed 000 recommends for production: the cluster's OIDC provider,
 *   `StringEquals` on `sub` = `system:serviceaccount:NS:NAME` for exact namespaces (StringLike only
 *   when a name itself is a pattern, such as `ebs-csi-*`) and `aud` = `sts.amazonaws.com`.
 * - `irsaAnyNamespace`: seed 000's development pattern, `StringLike` with `system:serviceaccount:*:NAME`:
 *   any namespace's service account of that name can assume the role. Rendered, but always with a warning.
 * - `service`: an AWS service principal (`eks.amazonaws.com` for the cluster, `ec2.amazonaws.com` for nodes).
 */
import { oidcProviderArn } from '../../model/arns.js';
import { BlueprintError } from './blueprint-error.js';

export const TRUST_MODES = ['podIdentity', 'irsa', 'irsaAnyNamespace', 'service'] as const;
export type TrustMode = (typeof TRUST_MODES)[number];

/** A Kubernetes service account a role trusts: namespace and name (the name may hold `*`/`?`). */
export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

/** What the trust of one role needs, after parameters are filled. */
export interface TrustSpec {
  mode: TrustMode;
  serviceAccounts: ServiceAccountRef[];
  service?: string;
  /** The cluster's OIDC issuer without `https://` (IRSA modes). */
  oidcIssuer: string;
  accountId: string;
  /** The partition of the account (the OIDC provider's ARN names it). */
  partition: string;
}

const POLICY_VERSION = '2012-10-17';
const IRSA_AUDIENCE = 'sts.amazonaws.com';

function isPattern(name: string): boolean {
  return /[*?]/.test(name);
}

/** The trust policy document of a role, as compact JSON. */
export function trustPolicyOf(trust: TrustSpec, field: string): string {
  switch (trust.mode) {
    case 'podIdentity':
      for (const account of trust.serviceAccounts) {
        if (isPattern(account.name) || isPattern(account.namespace)) {
          throw new BlueprintError(field, `Pod Identity associates exact service accounts; ${account.namespace}:${account.name} is a pattern (use irsa for it)`);
        }
      }
      return JSON.stringify({
        Version: POLICY_VERSION,
        Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
      });
    case 'irsa':
    case 'irsaAnyNamespace': {
      if (trust.serviceAccounts.length === 0) throw new BlueprintError(`${field}.serviceAccounts`, `trust mode ${trust.mode} needs at least one service account`);
      const anyNamespace = trust.mode === 'irsaAnyNamespace';
      const subjects = trust.serviceAccounts.map((account) => `system:serviceaccount:${anyNamespace ? '*' : account.namespace}:${account.name}`);
      const subject = subjects.length === 1 ? subjects[0]! : subjects;
      const principal = { Federated: oidcProviderArn(trust.partition, trust.accountId, trust.oidcIssuer) };
      const condition = anyNamespace
        ? { StringLike: { [`${trust.oidcIssuer}:sub`]: subject } }
        : trust.serviceAccounts.some((account) => isPattern(account.name))
          ? { StringLike: { [`${trust.oidcIssuer}:sub`]: subject }, StringEquals: { [`${trust.oidcIssuer}:aud`]: IRSA_AUDIENCE } }
          : { StringEquals: { [`${trust.oidcIssuer}:sub`]: subject, [`${trust.oidcIssuer}:aud`]: IRSA_AUDIENCE } };
      return JSON.stringify({
        Version: POLICY_VERSION,
        Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }],
      });
    }
    case 'service':
      if (!trust.service) throw new BlueprintError(`${field}.service`, 'Required value: trust mode service names the AWS service principal (eks.amazonaws.com)');
      return JSON.stringify({ Version: POLICY_VERSION, Statement: [{ Effect: 'Allow', Principal: { Service: trust.service }, Action: 'sts:AssumeRole' }] });
  }
}

/** The warning a trust mode carries, if any (the development pattern's cross-namespace reach). */
export function trustWarningOf(trust: TrustSpec, roleName: string): string | undefined {
  if (trust.mode !== 'irsaAnyNamespace') return undefined;
  const names = trust.serviceAccounts.map((account) => account.name).join(', ');
  return (
    `role ${roleName} uses trust mode irsaAnyNamespace (seed 000's development pattern): a service account named ${names} in ANY namespace ` +
    'can assume it; use irsa (StringEquals on the exact namespace) in production'
  );
}

/**
 * Policy size quotas. IAM counts a document without its white space (reference_iam-quotas.html);
 * Organizations counts every character of an SCP or RCP (orgs_reference_limits.html); STS limits the
 * plaintext of an inline session policy (API_AssumeRole.html). Each service words the refusal its own way.
 */
import { AwsError, LimitExceededError } from './errors.js';
import type { PolicyKind } from './types.js';

export interface PolicySizeLimit {
  limit: number;
  /** Whether white space counts towards the limit. */
  countsWhitespace: boolean;
  /** The error AWS returns for a document over the limit. */
  error: (limit: number, text: string) => AwsError;
}

const iamQuota = (quota: string) => (limit: number) => new LimitExceededError(`Cannot exceed quota for ${quota}: ${limit}`);
const organizationsLimit = () =>
  new AwsError('ConstraintViolationException', 'You have exceeded the maximum policy size.', 400);
const stsLengthConstraint = (limit: number, text: string) =>
  new AwsError(
    'ValidationError',
    `1 validation error detected: Value '${text}' at 'policy' failed to satisfy constraint: Member must have length less than or equal to ${limit}`,
    400,
  );

/**
 * The per-document limit of each kind. Resource policies have none here: each service sets its own
 * (S3 20 KB, KMS 32 KB, ...). Inline identity policies are limited per entity in aggregate (iam/).
 */
export const POLICY_SIZE_LIMITS: Readonly<Record<PolicyKind, PolicySizeLimit | undefined>> = {
  identity: { limit: 6144, countsWhitespace: false, error: iamQuota('PolicySize') },
  boundary: { limit: 6144, countsWhitespace: false, error: iamQuota('PolicySize') },
  trust: { limit: 2048, countsWhitespace: false, error: iamQuota('ACLSizePerRole') },
  session: { limit: 2048, countsWhitespace: true, error: stsLengthConstraint },
  // Organizations raised the SCP maximum from 5,120 to 10,240 characters in May 2026.
  scp: { limit: 10240, countsWhitespace: true, error: organizationsLimit },
  rcp: { limit: 5120, countsWhitespace: true, error: organizationsLimit },
  resource: undefined,
};

/** The size IAM charges a policy: its characters, white space excluded. */
export function policySizeWithoutWhitespace(text: string): number {
  return text.replace(/\s+/g, '').length;
}

/** Throws AWS's error when `text` is over the per-document limit of `kind`. */
export function checkPolicySize(text: string, kind: PolicyKind): void {
  const rule = POLICY_SIZE_LIMITS[kind];
  if (!rule) return;
  const size = rule.countsWhitespace ? text.length : policySizeWithoutWhitespace(text);
  if (size > rule.limit) throw rule.error(rule.limit, text);
}

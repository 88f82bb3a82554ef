/**
 * The IAM users and roles a role's trust policy names by ARN. When one of them is deleted, IAM shows its
 * unique ID in place of its ARN in every trust policy naming it (reference_policies_elements_principal.html;
 * iam/deleted-principals.ts does the rewrite). The store keeps these ARNs as a reverse index, written with
 * each role, so DeleteUser and DeleteRole read the roles that name the deleted ARN instead of every role.
 *
 * What counts as "naming" is exactly what the rewrite replaces: an `"AWS"` value of a Principal or
 * NotPrincipal block equal to the ARN, compared as written (policies match ARNs exactly, case included).
 * A wildcard, an account, a unique ID or an ARN in a Condition names no user or role here.
 */

/** An IAM user's or role's ARN (any partition, any path): the form of every ARN DeleteUser/DeleteRole rewrite. */
const USER_OR_ROLE_ARN = /^arn:[^:]+:iam::[^:]*:(?:user|role)\//;

/** Each Principal and NotPrincipal block (an object) of a parsed policy's statements, in document order. */
export function principalBlocks(policy: { Statement?: unknown }): Array<Record<string, unknown>> {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  const blocks: Array<Record<string, unknown>> = [];
  for (const statement of statements) {
    if (!statement || typeof statement !== 'object') continue;
    for (const element of ['Principal', 'NotPrincipal'] as const) {
      const block = (statement as Record<string, unknown>)[element];
      if (block && typeof block === 'object') blocks.push(block as Record<string, unknown>);
    }
  }
  return blocks;
}

/**
 * The distinct user and role ARNs among the `"AWS"` values of a trust policy's Principal and NotPrincipal
 * blocks, as they read once JSON escapes are resolved. A document that is not a JSON object names none: the
 * store indexes whatever role it is given, and stored trust policies were validated before.
 */
export function trustedUserAndRoleArns(document: unknown): string[] {
  if (typeof document !== 'string') return [];
  // Most trust policies name a service, an account or a provider: without `:user/` or `:role/`, or a JSON
  // escape that could spell them, the text holds no user or role ARN and every role write skips the parse.
  if (!document.includes(':user/') && !document.includes(':role/') && !document.includes('\\')) return [];
  let policy: unknown;
  try {
    policy = JSON.parse(document);
  } catch {
    return [];
  }
  if (!policy || typeof policy !== 'object') return [];
  const arns = new Set<string>();
  for (const block of principalBlocks(policy as { Statement?: unknown })) {
    const aws = block.AWS;
    for (const value of Array.isArray(aws) ? aws : [aws]) {
      if (typeof value === 'string' && USER_OR_ROLE_ARN.test(value)) arns.add(value);
    }
  }
  return [...arns];
}

/** The user and role ARNs a role entity's trust policy (`AssumeRolePolicyDocument`) names: its reverse-index entries. */
export function arnsTrustedByRole(role: unknown): string[] {
  return role && typeof role === 'object' ? trustedUserAndRoleArns((role as { AssumeRolePolicyDocument?: unknown }).AssumeRolePolicyDocument) : [];
}

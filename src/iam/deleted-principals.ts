/**
 * Trust policies outlive the users and roles they name. AWS (reference_policies_elements_principal.html):
 * a trust policy's user or role ARN "transforms to the role's unique principal ID when you save the
 * policy"; once the user or role is deleted the policy shows that ID (e.g. `"AWS": "AROADBQP57FF2AEXAMPLE"`)
 * and a user or role re-created with the same name, which has a new unique ID, is not trusted.
 *
 * Rolecall keeps the ARN while the entity lives (what GetRole shows at AWS too) and, when it is deleted,
 * rewrites every stored trust policy naming its ARN to its unique ID. The engine matches a unique ID
 * against the caller's aws:userid, so the ID matches nothing once its entity is gone.
 */
import type { Account, Role, User } from '../model/entities.js';
import { principalBlocks } from '../model/trust-principals.js';
import type { StoreReader, StoreWriter } from '../store/types.js';

/** The user or role being deleted, as trust policies name it. */
export interface DeletedPrincipal {
  AccountId: string;
  Arn: string;
  /** `AIDA…` or `AROA…`. */
  UniqueId: string;
}

/**
 * Rewrites the `"AWS"` principals equal to the deleted entity's ARN to its unique ID in the trust policy of
 * every role Rolecall holds, of any account (a role of another account may trust it). The store's reverse
 * index gives the roles whose trust policy names the ARN, so no other role is read.
 */
export async function replaceDeletedPrincipalInTrustPolicies(writer: StoreWriter, deleted: DeletedPrincipal): Promise<void> {
  for (const role of await writer.rolesTrusting<Role>(deleted.Arn)) {
    const rewritten = replacePrincipal(role.AssumeRolePolicyDocument, deleted.Arn, deleted.UniqueId);
    // The put re-indexes the role: it no longer names the ARN, only the unique ID.
    if (rewritten !== undefined) await writer.put('role', role.AccountId, role.RoleName, { ...role, AssumeRolePolicyDocument: rewritten });
  }
}

/**
 * The ARN of the live IAM user (`AIDA…`) or role (`AROA…`) of an account Rolecall holds that has this unique
 * ID, or undefined: a policy may name a live one by its ID, not a deleted one's (AWS asks to remove or
 * replace such an ID when the policy is edited: knowledge-center/iam-resource-policy-format).
 */
export async function liveArnOfUniqueId(reader: StoreReader, uniqueId: string, callerAccount: string): Promise<string | undefined> {
  const kind = uniqueId.startsWith('AIDA') ? 'user' : 'role';
  for (const account of await heldAccounts(reader, callerAccount)) {
    // An ID is letters and digits, spelled alike in the stored JSON: the store parses only entities holding it.
    const entities = await reader.list<User | Role>(kind, account, { containing: [uniqueId] });
    const entity = entities.find((candidate) => ('UserId' in candidate ? candidate.UserId : candidate.RoleId) === uniqueId);
    if (entity) return entity.Arn;
  }
  return undefined;
}

/** The caller's account first, then every other account in the store. */
async function heldAccounts(reader: StoreReader, callerAccount: string): Promise<string[]> {
  const others = (await reader.list<Account>('account', '')).map((account) => account.AccountId).filter((id) => id !== callerAccount);
  return [callerAccount, ...others];
}

/**
 * The document with each `"AWS"` principal (Principal or NotPrincipal) equal to `from` replaced by `to`
 * (an ARN by its unique ID here, an ID by its ARN in principal-existence.ts), or undefined when none is:
 * the value may appear elsewhere (a Condition on aws:PrincipalArn or aws:userid), which AWS leaves.
 * The blocks are those model/trust-principals.ts indexes, so every role this rewrites is in the index.
 */
export function replacePrincipal(document: string, from: string, to: string): string | undefined {
  const parsed = JSON.parse(document) as { Statement?: unknown };
  let replaced = false;
  for (const principals of principalBlocks(parsed)) {
    const aws = principals.AWS;
    if (aws === from) {
      principals.AWS = to;
      replaced = true;
    } else if (Array.isArray(aws) && aws.includes(from)) {
      principals.AWS = aws.map((value: unknown) => (value === from ? to : value));
      replaced = true;
    }
  }
  return replaced ? JSON.stringify(parsed) : undefined;
}

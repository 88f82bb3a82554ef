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
 * Whether a live IAM user (`AIDA…`) or role (`AROA…`) of an account Rolecall holds has this unique ID: a
 * policy may name one by its ID, not a deleted one's (AWS asks to remove or replace such an ID when the
 * policy is edited: knowledge-center/iam-resource-policy-format).
 */
export async function uniqueIdIsLive(reader: StoreReader, uniqueId: string, callerAccount: string): Promise<boolean> {
  const kind = uniqueId.startsWith('AIDA') ? 'user' : 'role';
  for (const account of await heldAccounts(reader, callerAccount)) {
    // An ID is letters and digits, spelled alike in the stored JSON: the store parses only entities holding it.
    const entities = await reader.list<User | Role>(kind, account, { containing: [uniqueId] });
    if (entities.some((entity) => ('UserId' in entity ? entity.UserId : entity.RoleId) === uniqueId)) return true;
  }
  return false;
}

/** The caller's account first, then every other account in the store. */
async function heldAccounts(reader: StoreReader, callerAccount: string): Promise<string[]> {
  const others = (await reader.list<Account>('account', '')).map((account) => account.AccountId).filter((id) => id !== callerAccount);
  return [callerAccount, ...others];
}

/**
 * The document with each `"AWS"` principal (Principal or NotPrincipal) equal to `arn` replaced by `id`, or
 * undefined when none is: the ARN may appear elsewhere (a Condition on aws:PrincipalArn), which AWS leaves.
 * The blocks are those model/trust-principals.ts indexes, so every role this rewrites is in the index.
 */
function replacePrincipal(document: string, arn: string, id: string): string | undefined {
  const parsed = JSON.parse(document) as { Statement?: unknown };
  let replaced = false;
  for (const principals of principalBlocks(parsed)) {
    const aws = principals.AWS;
    if (aws === arn) {
      principals.AWS = id;
      replaced = true;
    } else if (Array.isArray(aws) && aws.includes(arn)) {
      principals.AWS = aws.map((value: unknown) => (value === arn ? id : value));
      replaced = true;
    }
  }
  return replaced ? JSON.stringify(parsed) : undefined;
}

/**
 * IAM checks that the IAM users and roles a trust policy names exist (reference_policies_elements_principal.html:
 * "If your Principal element in a role trust policy contains an ARN that points to a specific IAM role
 * [or user], then that ARN transforms to the role's unique principal ID when you save the policy"), so a
 * policy naming one that does not is refused with `MalformedPolicyDocument: Invalid principal in policy:
 * "AWS":"arn:aws:iam::123456789012:role/nope"`.
 *
 * A user's or role's unique ID (`AIDA…`, `AROA…`) may stand for its ARN; IAM refuses the ID of one that no
 * longer exists (knowledge-center/iam-resource-policy-format: remove or replace it), as Rolecall does for
 * IDs no user or role of an account it holds has. A live one's ID is stored as its ARN: IAM keeps every
 * such principal as the unique ID and "uses a reverse transformation back to the role ARN when the trust
 * policy is displayed" (reference_policies_elements_principal.html), so a trust policy saved with
 * `"AWS": "AROAJMD24IEMKTX6BABJI"` reads back with the role's ARN (hackingthe.cloud,
 * enumerate_principal_arn_from_unique_id). Rolecall stores what IAM displays (deleted-principals.ts).
 *
 * Rolecall checks the accounts it holds: the caller's own and every account in its store. An account it
 * does not hold may exist at AWS or in another Rolecall, and Rolecall cannot know its users and roles, so
 * such ARNs are accepted, as AWS accepts an account's root principal (docs/iam-api.md).
 */
import type { Role, User } from '../model/entities.js';
import { malformedPolicyDocument } from '../model/errors.js';
import { UNIQUE_PRINCIPAL_ID } from '../policy/principals.js';
import type { StoreReader } from '../store/types.js';
import { liveArnOfUniqueId, replacePrincipal } from './deleted-principals.js';

/** `arn:<partition>:iam::<account>:user|role/<path/>name`, the principals whose existence IAM checks. */
const ENTITY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):(user|role)(\/(?:[\u0021-\u007E]*\/)?)([\w+=,.@-]+)$/;

/**
 * The trust policy document as IAM stores it: refused when its `"AWS"` principals name an IAM user or role
 * missing from an account Rolecall holds, and with each live user's or role's unique ID shown as its ARN.
 */
export async function trustPolicyToStore(reader: StoreReader, document: string, callerAccount: string): Promise<string> {
  let stored = document;
  for (const arn of awsPrincipals(document)) {
    if (UNIQUE_PRINCIPAL_ID.test(arn)) {
      // A live user's or role's unique ID names it; a deleted one's names nothing and is refused.
      const liveArn = await liveArnOfUniqueId(reader, arn, callerAccount);
      if (liveArn === undefined) throw malformedPolicyDocument(`Invalid principal in policy: "AWS":"${arn}"`);
      stored = replacePrincipal(stored, arn, liveArn) ?? stored;
      continue;
    }
    const match = ENTITY_ARN.exec(arn);
    if (!match) continue;
    const [, account, type, path, name] = match as unknown as [string, string, 'user' | 'role', string, string];
    if (account !== callerAccount && !(await reader.get('account', '', account))) continue;
    const entity = await reader.get<User | Role>(type, account, name);
    if (!entity || entity.Path !== path) throw malformedPolicyDocument(`Invalid principal in policy: "AWS":"${arn}"`);
  }
  return stored;
}

/** The `"AWS"` values of every statement's Principal, in document order (the document is already validated). */
function awsPrincipals(document: string): string[] {
  const parsed = JSON.parse(document) as { Statement?: unknown };
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  const found: string[] = [];
  for (const statement of statements) {
    const principal = (statement as { Principal?: unknown } | undefined)?.Principal;
    if (!principal || typeof principal !== 'object') continue;
    const aws = (principal as { AWS?: unknown }).AWS;
    for (const value of Array.isArray(aws) ? aws : [aws]) if (typeof value === 'string') found.push(value);
  }
  return found;
}

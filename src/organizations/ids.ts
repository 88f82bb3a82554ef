/**
 * Organizations' identifiers (API_Organization.html, API_Root.html, API_OrganizationalUnit.html,
 * API_Policy.html, API_CreateAccountStatus.html): a type prefix and lower-case letters and digits —
 * `o-` + 10, `r-` + 4, `ou-<root's 4>-` + 8, `p-` + 8, `car-` + 32 — and 12-digit account ids.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomText(length: number): string {
  let text = '';
  // Rejection-free enough: 256 % 36 skews by under 2%, and these ids are names, not secrets.
  for (const byte of randomBytes(length)) text += ALPHABET[byte % ALPHABET.length];
  return text;
}

export const newOrganizationId = (): string => `o-${randomText(10)}`;
export const newRootId = (): string => `r-${randomText(4)}`;
/** An OU id embeds its root's id suffix: `ou-ab12-cdefgh34` in root `r-ab12`. */
export const newOrganizationalUnitId = (rootId: string): string => `ou-${rootId.slice(2)}-${randomText(8)}`;
export const newPolicyId = (): string => `p-${randomText(8)}`;
export const newCreateAccountRequestId = (): string => `car-${randomText(32)}`;

/** What kind of entity an id names, by its format; undefined for none. */
export function idKind(id: string): 'root' | 'organizationalUnit' | 'account' | 'policy' | undefined {
  if (/^r-[0-9a-z]{4,32}$/.test(id)) return 'root';
  if (/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/.test(id)) return 'organizationalUnit';
  if (/^\d{12}$/.test(id)) return 'account';
  if (/^p-[0-9a-zA-Z_]{8,128}$/.test(id)) return 'policy';
  return undefined;
}

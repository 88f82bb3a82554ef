/**
 * AWS-style identifiers (reference_identifiers.html#identifiers-unique-ids): a four-letter prefix that
 * names the kind, then random upper-case letters and digits. Unique ids are 21 characters, access key ids 20.
 */
import { randomInt } from 'node:crypto';
import { secureRandomBytes } from './random.js';

export type IdPrefix = 'AIDA' | 'AROA' | 'AGPA' | 'ANPA' | 'AIPA' | 'ACCA' | 'AKIA' | 'ASIA';

// AWS's ids use the base32 alphabet (A–Z, 2–7).
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomText(length: number): string {
  const bytes = secureRandomBytes(length);
  let text = '';
  for (const byte of bytes) text += ALPHABET[byte & 31];
  return text;
}

/** A unique id such as `AROA` + 17 characters (roles, users, groups, policies, instance profiles). */
export function newUniqueId(prefix: Exclude<IdPrefix, 'AKIA' | 'ASIA'>): string {
  return prefix + randomText(17);
}

/** An access key id: `AKIA` (long-term) or `ASIA` (temporary) + 16 characters. */
export function newAccessKeyId(prefix: 'AKIA' | 'ASIA'): string {
  return prefix + randomText(16);
}

/** An SSH public key id: `APKA` + 16 characters, the length of an access key id (API_SSHPublicKey.html examples). */
export function newSshPublicKeyId(): string {
  return 'APKA' + randomText(16);
}

/** A signing certificate id: 32 characters of the same alphabet, without a prefix (AWS's ids have none). */
export function newCertificateId(): string {
  return randomText(32);
}

/** A SAML provider's UUID or private key id: 26 characters of the alphabet (the model's `[A-Z0-9]+`, 22..64). */
export function newSamlIdentifier(): string {
  return randomText(26);
}

/** A service-specific password: 32 random bytes in base64 (44 characters), the form of AWS's examples. */
export function newServicePassword(): string {
  return secureRandomBytes(32).toString('base64');
}

/** A 40-character secret access key. */
export function newSecretAccessKey(): string {
  return secureRandomBytes(30).toString('base64').replace(/\+/g, 'a').replace(/\//g, 'b');
}

/** A fresh 12-digit account id (callers check it is not taken). */
export function newAccountId(): string {
  let id = '';
  for (let i = 0; i < 12; i++) id += String(randomInt(10));
  return id;
}

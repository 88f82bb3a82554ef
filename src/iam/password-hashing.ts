/**
 * Console passwords at rest: a salted scrypt hash (RFC 7914), never the password. Hashes compare in
 * constant time, so a wrong guess takes as long to refuse as a near miss.
 */
import { randomBytes, scrypt, timingSafeEqual, type BinaryLike } from 'node:crypto';

const SALT_BYTES = 16;
const HASH_BYTES = 32;
const PREFIX = 'scrypt';

function deriveKey(password: string, salt: BinaryLike): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, HASH_BYTES, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** A fresh `scrypt$<salt>$<hash>` for the password, with a random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt);
  return `${PREFIX}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Whether the password is the one the stored hash was made from (constant-time comparison). */
export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [prefix, saltText, hashText] = stored.split('$');
  if (prefix !== PREFIX || saltText === undefined || hashText === undefined) return false;
  const expected = Buffer.from(hashText, 'base64');
  const actual = await deriveKey(password, Buffer.from(saltText, 'base64'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Whether the password matches any of the stored hashes (each compared in full, in constant time). */
export async function matchesAnyPassword(password: string, hashes: readonly string[]): Promise<boolean> {
  let found = false;
  for (const hash of hashes) found = (await passwordMatches(password, hash)) || found;
  return found;
}

/**
 * Cryptographically random bytes, drawn from the CSPRNG 4 KiB at a time. Issuing a session takes several
 * small draws (key id, secret, nonce); one call into the CSPRNG per draw cost a tenth of a session's CPU.
 * Each slice of the pool is handed out once and the pool is never refilled in place, so no two callers
 * ever share bytes.
 */
import { randomBytes } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/** `size` fresh random bytes. */
export function secureRandomBytes(size: number): Buffer {
  if (size > POOL_BYTES / 4) return randomBytes(size);
  if (offset + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  offset += size;
  return pool.subarray(offset - size, offset);
}

/**
 * Sealed secrets: secret access keys at rest (and session tokens) are encrypted with AES-256-GCM under a
 * 32-byte server key. Keys carry an id so that several can be accepted while one seals (rotation); the
 * sealed form is one base64url string holding the format version, key id, nonce, tag and ciphertext.
 * The version, key id and a caller-chosen context (e.g. the access key id a secret belongs to) are
 * authenticated, so a sealed value cannot be moved to another row or altered without detection.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { secureRandomBytes } from '../model/random.js';

/** A server key: 32 random bytes and the id that names it inside sealed values. */
export interface SealingKey {
  id: string;
  key: Buffer;
}

/** Thrown when a sealed value is malformed, tampered with, bound to another context or under an unknown key. */
export class UnsealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsealError';
  }
}

const FORMAT_VERSION = 1;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const MAX_KEY_ID_BYTES = 64;

/** Makes a fresh random sealing key with the given id. */
export function newSealingKey(id: string): SealingKey {
  return { id, key: randomBytes(KEY_BYTES) };
}

/** Seals and unseals secrets under a set of accepted keys, sealing with one of them. */
export class SecretSealer {
  private readonly keys = new Map<string, Buffer>();
  private readonly sealingKeyId: string;

  /** `keys` are all accepted for unsealing; `sealingKeyId` (default: the first key) seals new values. */
  constructor(keys: readonly SealingKey[], sealingKeyId?: string) {
    if (keys.length === 0) throw new Error('SecretSealer needs at least one key');
    for (const { id, key } of keys) {
      const idBytes = Buffer.byteLength(id, 'utf8');
      if (idBytes === 0 || idBytes > MAX_KEY_ID_BYTES) {
        throw new Error(`Sealing key id must be 1 to ${MAX_KEY_ID_BYTES} bytes long`);
      }
      if (key.length !== KEY_BYTES) throw new Error(`Sealing key '${id}' must be ${KEY_BYTES} bytes, got ${key.length}`);
      if (this.keys.has(id)) throw new Error(`Sealing key id '${id}' is given twice`);
      this.keys.set(id, Buffer.from(key));
    }
    this.sealingKeyId = sealingKeyId ?? (keys[0] as SealingKey).id;
    if (!this.keys.has(this.sealingKeyId)) throw new Error(`Sealing key '${this.sealingKeyId}' is not among the keys`);
  }

  /** Encrypts `secret`, bound to `context`; returns the compact base64url sealed form. */
  seal(secret: string | Buffer, context = ''): string {
    const header = encodeHeader(this.sealingKeyId);
    const nonce = secureRandomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.sealingKeyId) as Buffer, nonce);
    cipher.setAAD(associatedData(header, context));
    const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
    return Buffer.concat([header, nonce, cipher.getAuthTag(), ciphertext]).toString('base64url');
  }

  /** Decrypts a sealed value made for `context`; throws UnsealError if it is not authentic. */
  unseal(sealed: string, context = ''): Buffer {
    if (!/^[A-Za-z0-9_-]*$/.test(sealed)) throw new UnsealError('Sealed secret is not base64url');
    const bytes = Buffer.from(sealed, 'base64url');
    const { keyId, headerLength } = decodeHeader(bytes);
    const key = this.keys.get(keyId);
    if (key === undefined) throw new UnsealError(`Sealed secret uses unknown key '${keyId}'`);
    const nonce = bytes.subarray(headerLength, headerLength + NONCE_BYTES);
    const tag = bytes.subarray(headerLength + NONCE_BYTES, headerLength + NONCE_BYTES + TAG_BYTES);
    const ciphertext = bytes.subarray(headerLength + NONCE_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(bytes.subarray(0, headerLength), context));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      throw new UnsealError('Sealed secret failed authentication');
    }
  }

  /** Unseals a value that was sealed from a UTF-8 string. */
  unsealString(sealed: string, context = ''): string {
    return this.unseal(sealed, context).toString('utf8');
  }

  /** The id of the key a sealed value was made with, e.g. to find values to re-seal after rotation. */
  static keyIdOf(sealed: string): string {
    return decodeHeader(Buffer.from(sealed, 'base64url')).keyId;
  }

  /** Whether a sealed value was made with a key other than the current sealing key. */
  needsResealing(sealed: string): boolean {
    return SecretSealer.keyIdOf(sealed) !== this.sealingKeyId;
  }
}

/** version (1 byte) | key id length (1 byte) | key id (UTF-8). */
function encodeHeader(keyId: string): Buffer {
  const id = Buffer.from(keyId, 'utf8');
  return Buffer.concat([Buffer.from([FORMAT_VERSION, id.length]), id]);
}

function decodeHeader(bytes: Buffer): { keyId: string; headerLength: number } {
  if (bytes.length < 2 || bytes[0] !== FORMAT_VERSION) throw new UnsealError('Sealed secret has an unknown format');
  const headerLength = 2 + (bytes[1] as number);
  if (bytes.length < headerLength + NONCE_BYTES + TAG_BYTES) throw new UnsealError('Sealed secret is truncated');
  return { keyId: bytes.subarray(2, headerLength).toString('utf8'), headerLength };
}

/** The header and the context are authenticated; the context's length prefix keeps the two apart. */
function associatedData(header: Buffer, context: string): Buffer {
  const contextBytes = Buffer.from(context, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(contextBytes.length);
  return Buffer.concat([header, length, contextBytes]);
}

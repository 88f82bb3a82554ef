/**
 * SSH public keys as IAM accepts them for CodeCommit (API_UploadSSHPublicKey.html): RSA only, in OpenSSH
 * `ssh-rsa` form or PEM, at least 2048 bits. The fingerprint is the MD5 of the key's SSH wire blob in
 * colon-separated hex, the value `ssh-keygen -E md5 -l` prints, whichever encoding was uploaded.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { AwsError } from './errors.js';

/** AWS's minimum key length for SSH public keys (API_UploadSSHPublicKey.html). */
export const MINIMUM_SSH_KEY_BITS = 2048;

const SSH_RSA = 'ssh-rsa';

export const invalidPublicKey = (message: string) => new AwsError('InvalidPublicKey', message, 400);
export const duplicateSshPublicKey = (message: string) => new AwsError('DuplicateSSHPublicKey', message, 400);
export const unrecognizedPublicKeyEncoding = (message: string) => new AwsError('UnrecognizedPublicKeyEncoding', message, 400);

/** An uploaded key, read: the key itself and its MD5 fingerprint. */
export interface ParsedSshPublicKey {
  key: KeyObject;
  fingerprint: string;
}

/** Reads an `ssh-rsa` or PEM body; UnrecognizedPublicKeyEncoding for other forms, InvalidPublicKey for bad or short keys. */
export function parseSshPublicKey(body: string): ParsedSshPublicKey {
  const text = body.trim();
  const key = text.startsWith('-----BEGIN ') ? readPem(text) : text.startsWith(`${SSH_RSA} `) ? readOpenSsh(text) : undefined;
  if (!key) throw unrecognizedPublicKeyEncoding('The public key encoding format is unsupported or unrecognized: use ssh-rsa or PEM.');
  if (key.asymmetricKeyType !== 'rsa') throw invalidPublicKey('The public key must be an RSA key.');
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MINIMUM_SSH_KEY_BITS) throw invalidPublicKey(`The public key is ${bits} bits long; the minimum is ${MINIMUM_SSH_KEY_BITS} bits.`);
  return { key, fingerprint: md5Fingerprint(sshBlob(key)) };
}

/** The key in the encoding GetSSHPublicKey asks for: `ssh-rsa BASE64` or a PEM `PUBLIC KEY`. */
export function encodeSshPublicKey(key: KeyObject, encoding: 'SSH' | 'PEM'): string {
  if (encoding === 'PEM') return (key.export({ type: 'spki', format: 'pem' }) as string).trim();
  return `${SSH_RSA} ${sshBlob(key).toString('base64')}`;
}

function readPem(text: string): KeyObject {
  try {
    return createPublicKey(text);
  } catch {
    throw invalidPublicKey('The PEM public key is malformed.');
  }
}

function readOpenSsh(text: string): KeyObject {
  const [, base64 = ''] = text.split(/\s+/);
  const blob = Buffer.from(base64, 'base64');
  try {
    const fields = readWireStrings(blob, 3);
    if (fields[0]!.toString('latin1') !== SSH_RSA) throw new Error('key type mismatch');
    const [exponent, modulus] = [fields[1]!, fields[2]!];
    return createPublicKey({ key: { kty: 'RSA', e: unsigned(exponent).toString('base64url'), n: unsigned(modulus).toString('base64url') }, format: 'jwk' });
  } catch {
    throw invalidPublicKey('The ssh-rsa public key is malformed.');
  }
}

/** The first `count` length-prefixed strings of an SSH wire blob (RFC 4251 §5); the blob must hold exactly those. */
function readWireStrings(blob: Buffer, count: number): Buffer[] {
  const fields: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (offset + 4 > blob.length) throw new Error('truncated');
    const length = blob.readUInt32BE(offset);
    if (offset + 4 + length > blob.length) throw new Error('truncated');
    fields.push(blob.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  if (offset !== blob.length) throw new Error('trailing data');
  return fields;
}

/** An mpint's magnitude without its sign byte. */
function unsigned(mpint: Buffer): Buffer {
  let start = 0;
  while (start < mpint.length - 1 && mpint[start] === 0) start++;
  return mpint.subarray(start);
}

/** An unsigned big-endian integer as an SSH mpint: a zero byte in front when the high bit is set. */
function mpint(magnitude: Buffer): Buffer {
  return magnitude.length > 0 && magnitude[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), magnitude]) : magnitude;
}

function wireString(value: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(value.length);
  return Buffer.concat([length, value]);
}

/** The RSA key's SSH wire blob: "ssh-rsa", e, n (RFC 4253 §6.6). */
function sshBlob(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  const exponent = Buffer.from(jwk.e!, 'base64url');
  const modulus = Buffer.from(jwk.n!, 'base64url');
  return Buffer.concat([wireString(Buffer.from(SSH_RSA, 'latin1')), wireString(mpint(exponent)), wireString(mpint(modulus))]);
}

function md5Fingerprint(blob: Buffer): string {
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
}

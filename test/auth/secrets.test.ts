/**
 * Sealed secrets (AES-256-GCM under 32-byte server keys): round trips, binding to a context, tamper
 * detection on every part of the sealed form, and key rotation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SecretSealer, UnsealError, newSealingKey, type SealingKey } from '../../src/auth/secrets.js';

const key1: SealingKey = { id: 'k1', key: Buffer.alloc(32, 1) };
const key2: SealingKey = { id: 'k2-2026', key: Buffer.alloc(32, 2) };
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

test('a sealed secret unseals to the same bytes and does not contain them', () => {
  const sealer = new SecretSealer([key1]);
  const sealed = sealer.seal(SECRET, 'AKIAIOSFODNN7EXAMPLE');
  assert.match(sealed, /^[A-Za-z0-9_-]+$/, 'compact base64url');
  assert.ok(!sealed.includes(SECRET));
  assert.ok(!Buffer.from(sealed, 'base64url').includes(Buffer.from(SECRET)));
  assert.equal(sealer.unsealString(sealed, 'AKIAIOSFODNN7EXAMPLE'), SECRET);
});

test('binary secrets and the empty secret round-trip', () => {
  const sealer = new SecretSealer([key1]);
  const bytes = Buffer.from([0, 255, 1, 254, 0]);
  assert.deepEqual(sealer.unseal(sealer.seal(bytes)), bytes);
  assert.equal(sealer.unsealString(sealer.seal('')), '');
});

test('sealing twice gives different strings (a fresh nonce each time)', () => {
  const sealer = new SecretSealer([key1]);
  assert.notEqual(sealer.seal(SECRET), sealer.seal(SECRET));
});

test('a secret sealed for one context does not unseal for another', () => {
  const sealer = new SecretSealer([key1]);
  const sealed = sealer.seal(SECRET, 'AKIAIOSFODNN7EXAMPLE');
  assert.throws(() => sealer.unseal(sealed, 'AKIAI44QH8DHBEXAMPLE'), UnsealError);
  assert.throws(() => sealer.unseal(sealed), UnsealError);
});

test('flipping any bit of the sealed form (version, key id, nonce, tag, ciphertext) is detected', () => {
  const sealer = new SecretSealer([key1, { id: 'k0', key: Buffer.alloc(32, 1) }]);
  const bytes = Buffer.from(sealer.seal(SECRET, 'ctx'), 'base64url');
  for (let i = 0; i < bytes.length; i++) {
    for (const bit of [0x01, 0x80]) {
      const tampered = Buffer.from(bytes);
      tampered[i] = (tampered[i] as number) ^ bit;
      assert.throws(() => sealer.unseal(tampered.toString('base64url'), 'ctx'), UnsealError, `byte ${i} bit ${bit}`);
    }
  }
});

test('a key id swapped for another accepted key with the same bytes is still detected', () => {
  // The key id is authenticated: relabelling a value under another id fails even if the keys match.
  const same = Buffer.alloc(32, 7);
  const sealer = new SecretSealer([{ id: 'ka', key: same }, { id: 'kb', key: same }]);
  const bytes = Buffer.from(sealer.seal(SECRET), 'base64url');
  assert.equal(bytes.subarray(2, 4).toString(), 'ka');
  bytes.write('kb', 2);
  assert.throws(() => sealer.unseal(bytes.toString('base64url')), UnsealError);
});

test('truncated, empty, non-base64url and unknown-version inputs are refused', () => {
  const sealer = new SecretSealer([key1]);
  const sealed = sealer.seal(SECRET);
  assert.throws(() => sealer.unseal(sealed.slice(0, 10)), UnsealError);
  assert.throws(() => sealer.unseal(''), UnsealError);
  assert.throws(() => sealer.unseal(`${sealed}=`), UnsealError);
  assert.throws(() => sealer.unseal(sealed.replace(/^./, '+')), UnsealError);
  const bytes = Buffer.from(sealed, 'base64url');
  bytes[0] = 2;
  assert.throws(() => sealer.unseal(bytes.toString('base64url')), /unknown format/);
});

test('a value sealed under a key the sealer does not hold is refused, naming the key', () => {
  const sealed = new SecretSealer([key2]).seal(SECRET);
  assert.throws(() => new SecretSealer([key1]).unseal(sealed), /unknown key 'k2-2026'/);
});

test('rotation: a new sealing key seals, the old one still unseals, old values are flagged for resealing', () => {
  const before = new SecretSealer([key1]);
  const old = before.seal(SECRET, 'ctx');
  const after = new SecretSealer([key1, key2], 'k2-2026');
  assert.equal(after.unsealString(old, 'ctx'), SECRET);
  assert.equal(SecretSealer.keyIdOf(old), 'k1');
  assert.equal(after.needsResealing(old), true);
  const fresh = after.seal(after.unseal(old, 'ctx'), 'ctx');
  assert.equal(SecretSealer.keyIdOf(fresh), 'k2-2026');
  assert.equal(after.needsResealing(fresh), false);
  assert.throws(() => before.unseal(fresh, 'ctx'), UnsealError, 'the retired-key-only sealer cannot read new values');
});

test('keys must be 32 bytes with distinct, non-empty ids, and the sealing key must be among them', () => {
  assert.throws(() => new SecretSealer([]), /at least one key/);
  assert.throws(() => new SecretSealer([{ id: 'short', key: Buffer.alloc(16) }]), /must be 32 bytes, got 16/);
  assert.throws(() => new SecretSealer([{ id: '', key: Buffer.alloc(32) }]), /1 to 64 bytes/);
  assert.throws(() => new SecretSealer([{ id: 'x'.repeat(65), key: Buffer.alloc(32) }]), /1 to 64 bytes/);
  assert.throws(() => new SecretSealer([key1, { ...key2, id: 'k1' }]), /given twice/);
  assert.throws(() => new SecretSealer([key1], 'k9'), /not among the keys/);
});

test('the sealer keeps its own copy of the key bytes', () => {
  const key = Buffer.alloc(32, 3);
  const sealer = new SecretSealer([{ id: 'k', key }]);
  const sealed = sealer.seal(SECRET);
  key.fill(0);
  assert.equal(sealer.unsealString(sealed), SECRET);
});

test('newSealingKey makes random 32-byte keys', () => {
  const a = newSealingKey('a');
  const b = newSealingKey('b');
  assert.equal(a.key.length, 32);
  assert.equal(a.id, 'a');
  assert.notDeepEqual(a.key, b.key);
  const sealer = new SecretSealer([a]);
  assert.equal(sealer.unsealString(sealer.seal('x')), 'x');
});

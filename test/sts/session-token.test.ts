// Self-contained session credentials (DESIGN.md "Stateless servers"; API_Credentials.html): the token
// carries the session sealed under the server key, is bound to its ASIA key id, expires with AWS's
// ExpiredToken, survives key rotation, and anything else — tampered, garbage, another key id, another
// server's key — is AWS's InvalidClientTokenId for a refused session token ("The security token included in
// the request is invalid", no period); a session key without its token is an unknown key (with the period).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveCredentials } from '../../src/auth/caller.js';
import { newSealingKey, SecretSealer } from '../../src/auth/secrets.js';
import { secretSealing } from '../../src/auth/server-keys.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import {
  accountOfSessionAccessKeyId,
  mintSessionCredentials,
  newSessionAccessKeyId,
  openSessionToken,
  type UnmintedClaims,
} from '../../src/sts/session-token.js';
import { rejects } from './fixtures.js';

const INVALID = 'The security token included in the request is invalid';
const UNKNOWN_KEY = 'The security token included in the request is invalid.';
const EXPIRED = 'The security token included in the request is expired';

const CLAIMS: UnmintedClaims = {
  principal: 'role',
  issuedBy: 'AssumeRole',
  account: '123456789012',
  arn: 'arn:aws:sts::123456789012:assumed-role/Deploy/ci',
  userId: 'AROAEXAMPLEEXAMPLE123:ci',
  roleArn: 'arn:aws:iam::123456789012:role/team/Deploy',
  roleName: 'Deploy',
  roleId: 'AROAEXAMPLEEXAMPLE123',
  sessionName: 'ci',
  issuedAt: '2025-03-04T05:00:00Z',
  expiresAt: '2025-03-04T06:00:00Z',
  policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
  policyArns: ['arn:aws:iam::123456789012:policy/ReadOnly'],
  tags: [{ Key: 'team', Value: 'payments' }],
  transitiveTagKeys: ['team'],
  sourceIdentity: 'alice',
  chained: true,
  webIdentity: { providerArn: 'arn:aws:iam::123456789012:oidc-provider/issuer.example', subject: 'system:serviceaccount:a:b', audience: 'sts.amazonaws.com' },
};

const BEFORE_EXPIRY = new Date('2025-03-04T05:59:59.999Z');
const sealerWith = (...ids: string[]) => new SecretSealer(ids.map((id) => newSealingKey(id)));

test('a session token round-trips every claim and hands back the secret it was minted with', () => {
  const secrets = secretSealing(sealerWith('k1'));
  const minted = mintSessionCredentials(secrets, CLAIMS);
  assert.match(minted.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.equal(minted.SecretAccessKey.length, 40);
  assert.equal(minted.Expiration, CLAIMS.expiresAt);
  const claims = openSessionToken(secrets, minted.AccessKeyId, minted.SessionToken, BEFORE_EXPIRY);
  assert.deepEqual(claims, { v: 1, ...CLAIMS, accessKeyId: minted.AccessKeyId, secretAccessKey: minted.SecretAccessKey });
  // The secret and the claims are encrypted: nothing readable leaks from the token.
  for (const visible of [minted.SecretAccessKey, 'Deploy', 'alice', 'payments']) {
    assert.ok(!Buffer.from(minted.SessionToken, 'base64url').toString('latin1').includes(visible), `token hides ${visible}`);
  }
});

test('every session gets a new key id and secret', () => {
  const secrets = secretSealing(sealerWith('k1'));
  const a = mintSessionCredentials(secrets, CLAIMS);
  const b = mintSessionCredentials(secrets, CLAIMS);
  assert.notEqual(a.AccessKeyId, b.AccessKeyId);
  assert.notEqual(a.SecretAccessKey, b.SecretAccessKey);
});

test('ASIA key ids encode their 12-digit account (GetAccessKeyInfo answers without the token)', () => {
  for (const account of ['000000000000', '000000000001', '123456789012', '999999999999']) {
    const id = newSessionAccessKeyId(account);
    assert.match(id, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(accountOfSessionAccessKeyId(id), account);
  }
  assert.equal(accountOfSessionAccessKeyId('AKIAIOSFODNN7EXAMPLE'), undefined);
  assert.equal(accountOfSessionAccessKeyId('ASIA7777777777777777'), undefined, 'a number beyond 12 digits is no account');
  assert.throws(() => newSessionAccessKeyId('12345'));
});

test('a token expires: ExpiredToken from its Expiration on, valid until then', () => {
  const secrets = secretSealing(sealerWith('k1'));
  const minted = mintSessionCredentials(secrets, CLAIMS);
  assert.doesNotThrow(() => openSessionToken(secrets, minted.AccessKeyId, minted.SessionToken, BEFORE_EXPIRY));
  for (const now of [new Date(CLAIMS.expiresAt), new Date('2025-03-05T00:00:00Z')]) {
    assert.throws(
      () => openSessionToken(secrets, minted.AccessKeyId, minted.SessionToken, now),
      (error: { code?: string; message?: string; httpStatus?: number }) => error.code === 'ExpiredToken' && error.message === EXPIRED && error.httpStatus === 403,
    );
  }
});

test('a tampered, truncated or garbage token is InvalidClientTokenId', () => {
  const secrets = secretSealing(sealerWith('k1'));
  const minted = mintSessionCredentials(secrets, CLAIMS);
  const bytes = Buffer.from(minted.SessionToken, 'base64url');
  const invalid = (error: { code?: string; message?: string; httpStatus?: number }) =>
    error.code === 'InvalidClientTokenId' && error.message === INVALID && error.httpStatus === 403;
  for (const index of [0, 5, Math.floor(bytes.length / 2), bytes.length - 1]) {
    const flipped = Buffer.from(bytes);
    flipped[index] = (flipped[index] as number) ^ 0x01;
    assert.throws(() => openSessionToken(secrets, minted.AccessKeyId, flipped.toString('base64url'), BEFORE_EXPIRY), invalid, `byte ${index} flipped`);
  }
  for (const garbage of ['', 'not a token', 'IQoJb3JpZ2luX2VjEDQaCXVzLWVhc3QtMSJHMEUCIQ', minted.SessionToken.slice(0, 40)]) {
    assert.throws(() => openSessionToken(secrets, minted.AccessKeyId, garbage, BEFORE_EXPIRY), invalid, `garbage ${garbage}`);
  }
});

test("a token presented with another session's key id is InvalidClientTokenId", () => {
  const secrets = secretSealing(sealerWith('k1'));
  const first = mintSessionCredentials(secrets, CLAIMS);
  const second = mintSessionCredentials(secrets, CLAIMS);
  assert.throws(() => openSessionToken(secrets, second.AccessKeyId, first.SessionToken, BEFORE_EXPIRY), { code: 'InvalidClientTokenId' });
});

test('key rotation: tokens sealed with the old key open while it is still accepted, and not after', () => {
  const k1 = newSealingKey('k1');
  const k2 = newSealingKey('k2');
  const before = secretSealing(new SecretSealer([k1]));
  const token = mintSessionCredentials(before, CLAIMS);
  // Rotation: k2 seals new tokens, k1 is still accepted (another replica may already run either set).
  const rotated = secretSealing(new SecretSealer([k2, k1]));
  assert.equal(openSessionToken(rotated, token.AccessKeyId, token.SessionToken, BEFORE_EXPIRY).secretAccessKey, token.SecretAccessKey);
  const fresh = mintSessionCredentials(rotated, CLAIMS);
  assert.equal(SecretSealer.keyIdOf(fresh.SessionToken), 'k2');
  assert.equal(openSessionToken(secretSealing(new SecretSealer([k1, k2])), fresh.AccessKeyId, fresh.SessionToken, BEFORE_EXPIRY).accessKeyId, fresh.AccessKeyId);
  // Once k1 is retired, its tokens are foreign.
  assert.throws(() => openSessionToken(secretSealing(new SecretSealer([k2])), token.AccessKeyId, token.SessionToken, BEFORE_EXPIRY), { code: 'InvalidClientTokenId' });
});

test("another server's key, even under the same key id, opens nothing", () => {
  const ours = mintSessionCredentials(secretSealing(sealerWith('k1')), CLAIMS);
  assert.throws(() => openSessionToken(secretSealing(sealerWith('k1')), ours.AccessKeyId, ours.SessionToken, BEFORE_EXPIRY), { code: 'InvalidClientTokenId' });
});

test('credential resolution: a session key needs its token; a long-term key may not carry one', async () => {
  const store = new SqliteStore(':memory:');
  const secrets = secretSealing(sealerWith('k1'));
  const minted = mintSessionCredentials(secrets, CLAIMS);
  const resolved = await resolveCredentials(store, secrets, minted.AccessKeyId, minted.SessionToken, BEFORE_EXPIRY);
  assert.equal(resolved?.secret, minted.SecretAccessKey);
  assert.deepEqual(
    { kind: resolved?.caller.kind, arn: resolved?.caller.arn, userId: resolved?.caller.userId, roleArn: resolved?.caller.roleArn, account: resolved?.caller.accountId },
    { kind: 'assumed-role', arn: CLAIMS.arn, userId: CLAIMS.userId, roleArn: CLAIMS.roleArn, account: '123456789012' },
  );
  assert.equal(resolved?.caller.session?.sourceIdentity, 'alice');
  await rejects(resolveCredentials(store, secrets, minted.AccessKeyId, undefined, BEFORE_EXPIRY), 'InvalidClientTokenId', UNKNOWN_KEY);
  await rejects(resolveCredentials(store, secrets, 'AKIAIOSFODNN7EXAMPLE', minted.SessionToken, BEFORE_EXPIRY), 'InvalidClientTokenId', INVALID);
  await rejects(resolveCredentials(store, secrets, minted.AccessKeyId, minted.SessionToken, new Date(CLAIMS.expiresAt)), 'ExpiredToken', EXPIRED);
});

// AWS's InvalidClientTokenId, as recorded responses word it (model/errors.ts names the records):
// "The security token included in the request is invalid." (with the period) for an access key ID AWS does not
// know, and "The security token included in the request is invalid" (without) for a session token it refuses.
// JSON services call it UnrecognizedClientException with the same words: 400 on the JSON protocol
// (Organizations), 403 on REST-JSON (EKS, EKS Auth). Every Rolecall path that refuses credentials is checked
// against the rule through the function that refuses them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSignedPartition } from '../../src/auth/account-partition.js';
import { resolveCredentials } from '../../src/auth/caller.js';
import { newSealingKey, SecretSealer } from '../../src/auth/secrets.js';
import { secretSealing } from '../../src/auth/server-keys.js';
import type { Caller } from '../../src/iam/operation.js';
import { AwsError, invalidClientTokenId } from '../../src/model/errors.js';
import { loadServiceModel } from '../../src/protocol/index.js';
import { encodeJsonError } from '../../src/protocol/json-errors.js';
import { encodeRestJsonError } from '../../src/protocol/rest-json.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { checkSessionMayCall } from '../../src/sts/session-limits.js';
import { mintSessionCredentials, openSessionToken, type UnmintedClaims } from '../../src/sts/session-token.js';

const UNKNOWN_KEY = 'The security token included in the request is invalid.';
const REFUSED_TOKEN = 'The security token included in the request is invalid';

const NOW = new Date('2025-03-04T05:30:00Z');
const CLAIMS: UnmintedClaims = {
  principal: 'user',
  issuedBy: 'GetSessionToken',
  account: '123456789012',
  arn: 'arn:aws:iam::123456789012:user/alice',
  userId: 'AIDAEXAMPLEEXAMPLE123',
  userName: 'alice',
  issuedAt: '2025-03-04T05:00:00Z',
  expiresAt: '2025-03-04T06:00:00Z',
};

const secrets = secretSealing(new SecretSealer([newSealingKey('k1')]));

/** The code, status and message of what `run` throws. */
async function refusal(run: () => unknown): Promise<{ code: string; status: number; message: string }> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof AwsError, String(error));
    return { code: error.code, status: error.httpStatus, message: error.message };
  }
  assert.fail('expected a refusal');
}

const unknownKey = { code: 'InvalidClientTokenId', status: 403, message: UNKNOWN_KEY };
const refusedToken = { code: 'InvalidClientTokenId', status: 403, message: REFUSED_TOKEN };

test('InvalidClientTokenId: an unknown access key ends with a period, a refused session token does not (recorded IAM/STS responses)', () => {
  assert.deepEqual({ code: invalidClientTokenId('unknown-access-key').code, message: invalidClientTokenId('unknown-access-key').message }, { code: 'InvalidClientTokenId', message: UNKNOWN_KEY });
  assert.equal(invalidClientTokenId('refused-session-token').message, REFUSED_TOKEN);
  assert.equal(invalidClientTokenId('unknown-access-key').httpStatus, 403);
  assert.equal(invalidClientTokenId('unknown-access-key').type, 'Sender');
});

test('InvalidClientTokenId: an access key id the store does not hold is an unknown key', async () => {
  const store = new SqliteStore(':memory:');
  assert.equal(await resolveCredentials(store, secrets, 'AKIAUNKNOWNKEY000000', undefined, NOW), undefined);
});

test('InvalidClientTokenId: a session key sent without its token is an unknown key (STS AssumeRole, jrl84/amazon-sp-api#218)', async () => {
  const store = new SqliteStore(':memory:');
  const minted = mintSessionCredentials(secrets, CLAIMS);
  assert.deepEqual(await refusal(() => resolveCredentials(store, secrets, minted.AccessKeyId, undefined, NOW)), unknownKey);
  assert.deepEqual(await refusal(() => resolveCredentials(store, secrets, minted.AccessKeyId, '', NOW)), unknownKey);
});

test('InvalidClientTokenId: a session token that does not open, or rides with a long-term key, is a refused token (aws-azure-login#251)', async () => {
  const store = new SqliteStore(':memory:');
  const minted = mintSessionCredentials(secrets, CLAIMS);
  const tampered = `${minted.SessionToken.slice(0, -2)}${minted.SessionToken.endsWith('AA') ? 'BB' : 'AA'}`;
  assert.deepEqual(await refusal(() => openSessionToken(secrets, minted.AccessKeyId, tampered, NOW)), refusedToken);
  assert.deepEqual(await refusal(() => openSessionToken(secrets, minted.AccessKeyId, 'not a token', NOW)), refusedToken);
  const otherServer = secretSealing(new SecretSealer([newSealingKey('k1')]));
  assert.deepEqual(await refusal(() => openSessionToken(otherServer, minted.AccessKeyId, minted.SessionToken, NOW)), refusedToken);
  assert.deepEqual(await refusal(() => resolveCredentials(store, secrets, 'AKIAIOSFODNN7EXAMPLE', minted.SessionToken, NOW)), refusedToken);
});

test('InvalidClientTokenId: IAM refuses GetSessionToken credentials without MFA and GetFederationToken credentials as a refused token (aws/aws-cli#8918, 99designs/aws-vault#1056)', async () => {
  const caller = (issuedBy: 'GetSessionToken' | 'GetFederationToken', mfa: boolean): Caller => ({
    accountId: '123456789012',
    arn: 'arn:aws:iam::123456789012:user/alice',
    kind: 'user',
    userId: 'AIDAEXAMPLEEXAMPLE123',
    accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
    session: { issuedBy, issuedAt: CLAIMS.issuedAt, expiresAt: CLAIMS.expiresAt, ...(mfa ? { mfaAuthenticatedAt: CLAIMS.issuedAt } : {}) },
  });
  assert.deepEqual(await refusal(() => checkSessionMayCall(caller('GetSessionToken', false), 'iam', 'ListUsers')), refusedToken);
  assert.deepEqual(await refusal(() => checkSessionMayCall(caller('GetFederationToken', false), 'iam', 'ListUsers')), refusedToken);
  assert.doesNotThrow(() => checkSessionMayCall(caller('GetSessionToken', true), 'iam', 'ListUsers'));
});

test('InvalidClientTokenId: in another partition a long-term key is unknown and a session token is refused', async () => {
  assert.deepEqual(await refusal(() => checkSignedPartition('aws-cn', 'aws', false)), unknownKey);
  assert.deepEqual(await refusal(() => checkSignedPartition('aws-cn', 'aws', true)), refusedToken);
  assert.doesNotThrow(() => checkSignedPartition('aws-cn', 'aws-cn', true));
});

test('UnrecognizedClientException: the JSON protocol answers 400 with the same words (Organizations; aws/aws-sdk-php#1114)', () => {
  const organizations = loadServiceModel('organizations');
  for (const refused of ['unknown-access-key', 'refused-session-token'] as const) {
    const encoded = encodeJsonError(organizations, invalidClientTokenId(refused));
    assert.equal(encoded.statusCode, 400);
    assert.deepEqual(JSON.parse(encoded.body), { __type: 'UnrecognizedClientException', message: invalidClientTokenId(refused).message });
  }
});

test('UnrecognizedClientException: REST-JSON services answer 403 in the x-amzn-errortype header (EKS, EKS Auth; iann0036/iamlive#58)', () => {
  for (const service of ['eks', 'eks-auth'] as const) {
    const encoded = encodeRestJsonError(loadServiceModel(service), invalidClientTokenId('unknown-access-key'));
    assert.equal(encoded.statusCode, 403, service);
    assert.equal(encoded.headers['x-amzn-errortype'], 'UnrecognizedClientException');
    assert.deepEqual(JSON.parse(encoded.body), { message: UNKNOWN_KEY });
  }
});

// Hostile and broken tokens, each refused with STS's error (API_AssumeRoleWithWebIdentity.html, Errors;
// "Tokens must be signed using either RSA keys (RS256, RS384, or RS512) or ECDSA keys (ES256, ES384, or
// ES512)"): alg none, HMAC keyed with the issuer's public key, RSA-PSS, forged and tampered signatures,
// wrong or unregistered issuers, wrong audience, expired and not-yet-valid tokens, oversize and garbage.
// No refusal quotes the token, its claims or its signature.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_VERIFICATION_KEY, NOT_A_JWT, SIGNATURE_NOT_VALID } from '../../src/sts/web-identity-errors.js';
import { hmacWithPublicKey, TestOidcIssuer, unsecuredToken } from './oidc-issuer.js';
import { NOW, PAGE, PROVIDER_NOT_FOUND, rejectsWith, WebIdentityWorld } from './web-identity-fixtures.js';

const ERRORS = `${PAGE}#API_AssumeRoleWithWebIdentity_Errors`;

describe(`AssumeRoleWithWebIdentity refuses forged and malformed tokens (${ERRORS})`, () => {
  let world: WebIdentityWorld;
  let roleArn: string;
  // Every test starts after the cooldown of the one before: a refused unknown key must not hide a refetch.
  let clock = NOW.getTime();
  const later = () => new Date((clock += 60 * 60_000));
  const attempt = async (token: string, now: Date) => world.assume({ RoleArn: roleArn, WebIdentityToken: token }, now);

  before(async () => {
    world = await WebIdentityWorld.start();
    roleArn = await world.createRole('PaymentsApiRole', world.irsaTrustPolicy({}));
  });
  after(() => world.close());

  test('the baseline token is accepted (so each refusal below is for its one defect)', async () => {
    const now = later();
    const output = await attempt(await world.token({}, now), now);
    assert.equal(output.Audience, 'sts.amazonaws.com');
  });

  test('alg "none" (an unsigned JWT) is not a JWT STS accepts', async () => {
    const now = later();
    const token = unsecuredToken(world.issuer.claims(now));
    await rejectsWith(attempt(token, now), 'InvalidIdentityToken', NOT_A_JWT, token);
    const withKid = unsecuredToken(world.issuer.claims(now), { kid: world.issuer.signingKey.kid });
    await rejectsWith(attempt(`${withKid}AAAA`, now), 'InvalidIdentityToken', NOT_A_JWT, withKid);
  });

  test('HS256 keyed with the issuer\'s public key (algorithm confusion) is refused, in JWK and PEM form', async () => {
    const now = later();
    for (const form of ['jwk', 'pem'] as const) {
      const token = await hmacWithPublicKey(world.issuer.signingKey, world.issuer.claims(now), form);
      await rejectsWith(attempt(token, now), 'InvalidIdentityToken', NOT_A_JWT, token);
    }
  });

  test('RSA-PSS (PS256) is not among the accepted algorithms even with a published key', async () => {
    const now = later();
    const pss = await world.issuer.unpublishedKey('PS256');
    world.issuer.publish(pss);
    const token = await world.issuer.mint(world.issuer.claims(now), { key: pss });
    await rejectsWith(attempt(token, now), 'InvalidIdentityToken', NOT_A_JWT, token);
  });

  test('a token whose claims were changed after signing fails the signature check', async () => {
    const now = later();
    const genuine = await world.token({}, now);
    const [header, , signature] = genuine.split('.');
    const escalated = Buffer.from(JSON.stringify(world.issuer.claims(now, { sub: 'system:serviceaccount:kube-system:admin' }))).toString('base64url');
    const token = `${header}.${escalated}.${signature}`;
    await rejectsWith(attempt(token, now), 'InvalidIdentityToken', SIGNATURE_NOT_VALID, token);
  });

  test('a token signed by a forger\'s key under the issuer\'s kid fails the signature check', async () => {
    const now = later();
    const forger = await world.issuer.unpublishedKey('RS256');
    const token = await world.issuer.mint(world.issuer.claims(now), { key: forger, kid: world.issuer.signingKey.kid });
    await rejectsWith(attempt(token, now), 'InvalidIdentityToken', SIGNATURE_NOT_VALID, token);
  });

  test('a token signed by a key the issuer never published (unknown kid) has no verification key', async () => {
    const now = later();
    const forger = await world.issuer.unpublishedKey('RS256');
    const token = await world.issuer.mint(world.issuer.claims(now), { key: forger });
    await rejectsWith(attempt(token, now), 'InvalidIdentityToken', NO_VERIFICATION_KEY, token);
  });

  test('a token naming an issuer with no provider in the role\'s account is refused with that issuer', async () => {
    const now = later();
    const iss = 'https://token.actions.githubusercontent.com';
    const token = await world.token({ iss }, now);
    await rejectsWith(attempt(token, now), 'InvalidIdentityToken', PROVIDER_NOT_FOUND(iss), token);
    const sameHostOtherPath = `${world.issuer.url}/other`;
    await rejectsWith(attempt(await world.token({ iss: sameHostOtherPath }, now), now), 'InvalidIdentityToken', PROVIDER_NOT_FOUND(sameHostOtherPath));
    const otherCase = world.issuer.url.replace('/id/EXAMPLE', '/ID/EXAMPLE');
    await rejectsWith(attempt(await world.token({ iss: otherCase }, now), now), 'InvalidIdentityToken', PROVIDER_NOT_FOUND(otherCase));
  });

  test('an issuer without a scheme, or with one other than https (or http on loopback), is not a provider', async () => {
    const now = later();
    for (const iss of [world.issuer.hostPath, `ftp://${world.issuer.hostPath}`]) {
      await rejectsWith(attempt(await world.token({ iss }, now), now), 'InvalidIdentityToken', PROVIDER_NOT_FOUND(iss));
    }
  });

  test('a second registered issuer can\'t sign for the first: its keys are not the first issuer\'s keys', async () => {
    const now = later();
    const impostor = await TestOidcIssuer.start({ path: '/impostor' });
    try {
      // The impostor signs a token claiming the registered issuer; the registered issuer's JWKS lacks the key.
      const token = await impostor.mint(world.issuer.claims(now));
      await rejectsWith(attempt(token, now), 'InvalidIdentityToken', NO_VERIFICATION_KEY, token);
      assert.equal(impostor.requests.jwks, 0);
    } finally {
      await impostor.close();
    }
  });

  test('a wrong audience is "Incorrect token audience"; none at all is "Missing a required claim: aud"', async () => {
    const now = later();
    const wrong = await world.token({ aud: 'sts.amazon.com' }, now);
    await rejectsWith(attempt(wrong, now), 'InvalidIdentityToken', 'Incorrect token audience', wrong);
    const missing = await world.token({ aud: undefined }, now);
    await rejectsWith(attempt(missing, now), 'InvalidIdentityToken', 'Missing a required claim: aud', missing);
    const emptyList = await world.token({ aud: [] }, now);
    await rejectsWith(attempt(emptyList, now), 'InvalidIdentityToken', 'Missing a required claim: aud', emptyList);
  });

  test('missing iss, sub or exp are required claims', async () => {
    const now = later();
    for (const claim of ['iss', 'sub', 'exp']) {
      const token = await world.token({ [claim]: undefined }, now);
      await rejectsWith(attempt(token, now), 'InvalidIdentityToken', `Missing a required claim: ${claim}`, token);
    }
  });

  test('an expired token is ExpiredTokenException with STS\'s sentence; within the 60 s skew it is still accepted', async () => {
    const now = later();
    const seconds = Math.floor(now.getTime() / 1000);
    const expired = await world.token({ iat: seconds - 7200, exp: seconds - 3600 }, now);
    await rejectsWith(
      attempt(expired, now),
      'ExpiredTokenException',
      `Token expired: current date/time ${seconds} must be before the expiration date/time ${seconds - 3600}`,
      expired,
    );
    const justExpired = await world.token({ iat: seconds - 3600, exp: seconds - 30 }, now);
    await attempt(justExpired, now);
    const pastSkew = await world.token({ iat: seconds - 3600, exp: seconds - 60 }, now);
    await rejectsWith(attempt(pastSkew, now), 'ExpiredTokenException', `Token expired: current date/time ${seconds} must be before the expiration date/time ${seconds - 60}`);
  });

  test('a token not yet valid (nbf) or issued in the future (iat) beyond the skew is refused', async () => {
    const now = later();
    const seconds = Math.floor(now.getTime() / 1000);
    const notYet = await world.token({ nbf: seconds + 600, exp: seconds + 3600 }, now);
    await rejectsWith(
      attempt(notYet, now),
      'InvalidIdentityToken',
      `Token not yet valid: current date/time ${seconds} must not be before the not-before date/time ${seconds + 600}`,
      notYet,
    );
    const future = await world.token({ iat: seconds + 600, exp: seconds + 3600 }, now);
    await rejectsWith(
      attempt(future, now),
      'InvalidIdentityToken',
      `Token used before issued: current date/time ${seconds} must not be before the issued-at date/time ${seconds + 600}`,
      future,
    );
    await attempt(await world.token({ nbf: seconds + 30, iat: seconds + 30 }, now), now);
  });

  test('timestamps must be integers ("Timestamps in the token must be formatted as either an integer or a long integer")', async () => {
    const now = later();
    const seconds = Math.floor(now.getTime() / 1000);
    for (const exp of [seconds + 3600.5, String(seconds + 3600)]) {
      const token = await world.token({ exp }, now);
      await rejectsWith(attempt(token, now), 'InvalidIdentityToken', NOT_A_JWT, token);
    }
  });

  test('an oversize token (over 20,000 characters) or one under 4 is a ValidationError that does not echo it (sts model clientTokenType, sensitive)', async () => {
    const now = later();
    const big = await world.token({ padding: 'x'.repeat(20_100) }, now);
    await rejectsWith(
      attempt(big, now),
      'ValidationError',
      "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length less than or equal to 20000",
      big,
    );
    await rejectsWith(
      attempt('abc', now),
      'ValidationError',
      "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4",
    );
  });

  test('garbage is "not a valid JWT": random text, wrong part counts, non-base64url, non-JSON and non-object parts, unknown crit', async () => {
    const now = later();
    const valid = await world.token({}, now);
    const [header, payload, signature] = valid.split('.') as [string, string, string];
    const encode = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
    const garbage = [
      'not-a-jwt-at-all',
      `${header}.${payload}`,
      `${header}.${payload}.${signature}.extra`,
      `${header}.${payload}.sig+nature/==`,
      `${encode('{not json')}.${payload}.${signature}`,
      `${header}.${encode('[1,2,3]')}.${signature}`,
      `${encode('"RS256"')}.${payload}.${signature}`,
      'eyJhbGciOiJSUzI1NiJ9..',
    ];
    for (const token of garbage) await rejectsWith(attempt(token, now), 'InvalidIdentityToken', NOT_A_JWT, token);
    const crit = await world.issuer.mintRaw({ crit: ['urn:example:must-understand'], 'urn:example:must-understand': true }, world.issuer.claims(now));
    await rejectsWith(attempt(crit, now), 'InvalidIdentityToken', NOT_A_JWT, crit);
  });

  test('mintRaw signs genuinely: the same raw route without crit is accepted', async () => {
    const now = later();
    await attempt(await world.issuer.mintRaw({}, world.issuer.claims(now)), now);
  });

  test('a key set that publishes private keys is refused whole (anyone could sign with them)', async () => {
    const leaky = await WebIdentityWorld.start();
    try {
      const arn = await leaky.createRole('Leaky', leaky.irsaTrustPolicy({}));
      leaky.issuer.behaviour.leakPrivateKeys = true;
      const token = await leaky.token();
      await rejectsWith(leaky.assume({ RoleArn: arn, WebIdentityToken: token }), 'InvalidIdentityToken', NO_VERIFICATION_KEY, token);
    } finally {
      await leaky.close();
    }
  });
});

// The issuer's verification keys: discovery (`/.well-known/openid-configuration` → `jwks_uri`, OpenID
// Connect Discovery 1.0 §4) over HTTP on loopback, the key set cached and fetched again when a token names
// an unknown `kid` (key rotation) but at most once per cooldown, and the issuer's failures answered as STS
// does: InvalidIdentityToken "Couldn't retrieve verification key ..." for a key that can't be had,
// IDPCommunicationError for an issuer that can't be reached (API_AssumeRoleWithWebIdentity.html, Errors).
// Time is the request's: each call passes the instant it happens at.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OidcKeyCache } from '../../src/sts/oidc-discovery.js';
import { IDP_UNREACHABLE, NO_VERIFICATION_KEY } from '../../src/sts/web-identity-errors.js';
import { TestOidcIssuer } from './oidc-issuer.js';
import { NOW, PAGE, PROVIDER_NOT_FOUND, rejectsWith, WebIdentityWorld, type WorldOptions } from './web-identity-fixtures.js';

const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const DISCOVERY = 'OpenID Connect Discovery 1.0 §4';

async function withWorld(options: WorldOptions, body: (world: WebIdentityWorld, roleArn: string) => Promise<void>): Promise<void> {
  const world = await WebIdentityWorld.start(options);
  try {
    const roleArn = await world.createRole('PaymentsApiRole', world.irsaTrustPolicy({}));
    await body(world, roleArn);
  } finally {
    await world.close();
  }
}

describe(`key caching and rotation (${DISCOVERY}; jose createRemoteJWKSet semantics: refetch on unknown kid, cooldown)`, () => {
  let world: WebIdentityWorld;
  let roleArn: string;
  const assumeAt = async (seconds: number, overrides: Record<string, unknown> = {}, token?: string) =>
    world.assume({ RoleArn: roleArn, WebIdentityToken: token ?? (await world.token(overrides, at(seconds))) }, at(seconds));

  before(async () => {
    world = await WebIdentityWorld.start({ keys: { cooldownMs: 10_000, maxAgeMs: 600_000 } });
    roleArn = await world.createRole('PaymentsApiRole', world.irsaTrustPolicy({}));
  });
  after(() => world.close());

  test('the discovery document and key set are fetched once and reused', async () => {
    await assumeAt(0);
    await assumeAt(1);
    assert.deepEqual(world.issuer.requests, { discovery: 1, jwks: 1 });
  });

  test('a rotated key is fetched on first sight once the cooldown has passed, and not before', async () => {
    const rotated = await world.issuer.rotate();
    // 5 s after the last fetch: the unknown kid is refused without asking the issuer again.
    await rejectsWith(assumeAt(5), 'InvalidIdentityToken', NO_VERIFICATION_KEY);
    assert.equal(world.issuer.requests.jwks, 1);
    const output = await assumeAt(11);
    assert.equal(output.SubjectFromWebIdentityToken, 'system:serviceaccount:payments:payments-api');
    assert.equal(world.issuer.requests.jwks, 2);
    assert.ok(world.issuer.publishedKids.includes(rotated.kid));
  });

  test('tokens signed with the previous key still verify while the issuer publishes it', async () => {
    const previous = world.issuer.key(world.issuer.publishedKids[0]!);
    assert.notEqual(previous.kid, world.issuer.signingKey.kid);
    const token = await world.issuer.mint(world.issuer.claims(at(12)), { key: previous });
    await assumeAt(12, {}, token);
    assert.equal(world.issuer.requests.jwks, 2);
  });

  test('a bogus kid is refused: within the cooldown without a request, after it with one refetch', async () => {
    const bogus = await world.issuer.unpublishedKey();
    const within = await world.issuer.mint(world.issuer.claims(at(15)), { key: bogus });
    await rejectsWith(assumeAt(15, {}, within), 'InvalidIdentityToken', NO_VERIFICATION_KEY, within);
    assert.equal(world.issuer.requests.jwks, 2);
    const afterCooldown = await world.issuer.mint(world.issuer.claims(at(40)), { key: bogus });
    await rejectsWith(assumeAt(40, {}, afterCooldown), 'InvalidIdentityToken', NO_VERIFICATION_KEY, afterCooldown);
    assert.equal(world.issuer.requests.jwks, 3);
    // A flood of bogus kids right after costs the issuer nothing more.
    for (let i = 0; i < 5; i++) await rejectsWith(assumeAt(41 + i, {}, afterCooldown), 'InvalidIdentityToken', NO_VERIFICATION_KEY);
    assert.equal(world.issuer.requests.jwks, 3);
  });

  test('a key the issuer stopped publishing no longer verifies once the set is fetched again', async () => {
    const retired = world.issuer.key(world.issuer.publishedKids[0]!);
    world.issuer.retire(retired.kid);
    const token = await world.issuer.mint(world.issuer.claims(at(700)), { key: retired });
    // 700 s: past the 600 s cache age, so the set is fetched again, without the retired key.
    await rejectsWith(assumeAt(700, {}, token), 'InvalidIdentityToken', NO_VERIFICATION_KEY, token);
    assert.equal(world.issuer.requests.jwks, 4);
  });
});

describe(`issuer failures (${PAGE}, Errors: InvalidIdentityToken, IDPCommunicationError)`, () => {
  test('discovery answering 404 means no verification key; 503 means the issuer could not be reached', async () => {
    await withWorld({}, async (world, roleArn) => {
      world.issuer.behaviour.discoveryStatus = 404;
      await rejectsWith(world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token() }), 'InvalidIdentityToken', NO_VERIFICATION_KEY);
    });
    await withWorld({}, async (world, roleArn) => {
      world.issuer.behaviour.discoveryStatus = 503;
      await rejectsWith(world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token() }), 'IDPCommunicationError', IDP_UNREACHABLE);
    });
  });

  test(`a discovery document naming another issuer is refused (${DISCOVERY}.3: the issuer must be identical)`, async () => {
    await withWorld({}, async (world, roleArn) => {
      world.issuer.behaviour.discoveryIssuer = 'https://attacker.example';
      await rejectsWith(world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token() }), 'InvalidIdentityToken', NO_VERIFICATION_KEY);
      assert.equal(world.issuer.requests.jwks, 0);
    });
  });

  test('a jwks_uri over plain HTTP to a non-loopback host is never fetched', async () => {
    await withWorld({}, async (world, roleArn) => {
      world.issuer.behaviour.jwksUri = 'http://169.254.169.254/latest/meta-data/';
      await rejectsWith(world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token() }), 'InvalidIdentityToken', NO_VERIFICATION_KEY);
    });
  });

  test('a key set answering 500 could not be reached; one that is not JSON or not a key set has no key', async () => {
    await withWorld({}, async (world, roleArn) => {
      world.issuer.behaviour.jwksStatus = 500;
      await rejectsWith(world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token() }), 'IDPCommunicationError', IDP_UNREACHABLE);
    });
    for (const body of ['<html>not json</html>', '{"keys": "none"}', '[]']) {
      await withWorld({}, async (world, roleArn) => {
        world.issuer.behaviour.jwksBody = body;
        await rejectsWith(world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token() }), 'InvalidIdentityToken', NO_VERIFICATION_KEY);
      });
    }
  });

  test('a key set larger than the body limit is abandoned', async () => {
    await withWorld({ keys: { maxBodyBytes: 4096 } }, async (world, roleArn) => {
      world.issuer.behaviour.jwksBody = JSON.stringify({ keys: [world.issuer.signingKey.publicJwk], padding: 'x'.repeat(8192) });
      await rejectsWith(world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token() }), 'InvalidIdentityToken', NO_VERIFICATION_KEY);
    });
  });

  test('only the first 100 RSA keys of a set are considered (AWS accepts at most 100 RSA and 100 EC keys)', async () => {
    await withWorld({}, async (world, roleArn) => {
      const decoys = Array.from({ length: 100 }, (_, i) => ({ ...world.issuer.signingKey.publicJwk, kid: `decoy-${i}` }));
      world.issuer.behaviour.jwksBody = JSON.stringify({ keys: [...decoys, world.issuer.signingKey.publicJwk] });
      await rejectsWith(world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token() }), 'InvalidIdentityToken', NO_VERIFICATION_KEY);
      world.issuer.behaviour.jwksBody = JSON.stringify({ keys: [...decoys.slice(1), world.issuer.signingKey.publicJwk] });
      await world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token({}, at(60)) }, at(60));
    });
  });

  test('an issuer that never answers times out as IDPCommunicationError', async () => {
    await withWorld({ keys: { timeoutMs: 200 } }, async (world, roleArn) => {
      world.issuer.behaviour.hangJwks = true;
      await rejectsWith(world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token() }), 'IDPCommunicationError', IDP_UNREACHABLE);
    });
  });

  test('an issuer that is down (connection refused) is IDPCommunicationError', async () => {
    await withWorld({}, async (world, roleArn) => {
      const token = await world.token();
      await world.issuer.close();
      await rejectsWith(world.assume({ RoleArn: roleArn, WebIdentityToken: token }), 'IDPCommunicationError', IDP_UNREACHABLE);
    });
  });

  test('after a failure the issuer is not asked again within the cooldown; after it, a recovered issuer serves', async () => {
    await withWorld({ keys: { cooldownMs: 10_000 } }, async (world, roleArn) => {
      world.issuer.behaviour.jwksStatus = 503;
      await rejectsWith(world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token() }, at(0)), 'IDPCommunicationError', IDP_UNREACHABLE);
      world.issuer.behaviour.jwksStatus = 200;
      await rejectsWith(world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token({}, at(5)) }, at(5)), 'IDPCommunicationError', IDP_UNREACHABLE);
      assert.equal(world.issuer.requests.jwks, 1);
      await world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token({}, at(11)) }, at(11));
      assert.equal(world.issuer.requests.jwks, 2);
    });
  });

  test('while the issuer is down, keys past their cache age keep verifying for a while (then no longer)', async () => {
    await withWorld({ keys: { maxAgeMs: 600_000, maxStaleMs: 3_600_000 } }, async (world, roleArn) => {
      await world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token() });
      world.issuer.behaviour.jwksStatus = 503;
      await world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token({}, at(900)) }, at(900));
      assert.equal(world.issuer.requests.jwks, 2);
      await rejectsWith(
        world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token({}, at(5000)) }, at(5000)),
        'IDPCommunicationError',
        IDP_UNREACHABLE,
      );
    });
  });

  test('concurrent requests for an issuer share one fetch', async () => {
    await withWorld({}, async (world, roleArn) => {
      const token = await world.token();
      await Promise.all(Array.from({ length: 5 }, () => world.assume({ RoleArn: roleArn, WebIdentityToken: token })));
      assert.deepEqual(world.issuer.requests, { discovery: 1, jwks: 1 });
    });
  });

  test('a token without kid verifies against whichever published key signed it', async () => {
    await withWorld({}, async (world, roleArn) => {
      const first = world.issuer.signingKey;
      await world.issuer.rotate();
      const token = await world.issuer.mint(world.issuer.claims(NOW), { key: first, kid: null });
      const output = await world.assume({ RoleArn: roleArn, WebIdentityToken: token });
      assert.equal(output.Audience, 'sts.amazonaws.com');
    });
  });
});

describe('plain-HTTP issuers (docs/web-identity.md: loopback by default)', () => {
  test('with httpIssuers "none" an http:// issuer matches no provider', async () => {
    await withWorld({ keys: { httpIssuers: 'none' } }, async (world, roleArn) => {
      await rejectsWith(world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token() }), 'InvalidIdentityToken', PROVIDER_NOT_FOUND(world.issuer.url));
      assert.equal(world.issuer.requests.discovery, 0);
    });
  });

  test('the policy decides per host: loopback yes, other hosts only with "any"', () => {
    const loopback = new OidcKeyCache();
    assert.equal(loopback.allowsIssuer('http://127.0.0.1:8080/id/X'), true);
    assert.equal(loopback.allowsIssuer('http://localhost:8080'), true);
    assert.equal(loopback.allowsIssuer('http://[::1]:8080'), true);
    assert.equal(loopback.allowsIssuer('http://oidc.rolecall.svc'), false);
    assert.equal(loopback.allowsIssuer('https://oidc.eks.us-east-1.amazonaws.com/id/X'), true);
    assert.equal(loopback.allowsIssuer('https://user:pass@oidc.example.com'), false);
    assert.equal(new OidcKeyCache({ httpIssuers: 'any' }).allowsIssuer('http://oidc.rolecall.svc'), true);
    assert.equal(new OidcKeyCache({ httpIssuers: 'none' }).allowsIssuer('http://127.0.0.1:8080'), false);
  });
});

test('the cache keeps at most maxIssuers issuers, evicting the least recently used', async () => {
  const first = await TestOidcIssuer.start();
  const second = await TestOidcIssuer.start();
  try {
    const cache = new OidcKeyCache({ maxIssuers: 1 });
    await cache.current(first.url, NOW);
    await cache.current(second.url, NOW);
    await cache.current(first.url, NOW);
    assert.equal(first.requests.jwks, 2);
    assert.equal(second.requests.jwks, 1);
  } finally {
    await first.close();
    await second.close();
  }
});

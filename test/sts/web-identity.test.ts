// AssumeRoleWithWebIdentity called directly (API_AssumeRoleWithWebIdentity.html): a token from a real local
// issuer is exchanged for a role session; the role's trust policy decides with the provider as the
// Federated principal and the token's claims as `<issuer-host-path>:sub|aud|oaud|amr|email` keys
// (reference_policies_iam-condition-keys.html#condition-keys-wif); the seeds' IRSA troubleshooting causes
// (003: wrong sub namespace, wrong aud, StringLike namespace wildcard, StringEquals on another namespace)
// and the cross-account provider registration (002) give AWS's documented outcomes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../iam/fixtures.js';
import { ACCOUNT, AUDIENCE, PAGE, PROVIDER_NOT_FOUND, rejectsWith, SUBJECT, WebIdentityWorld } from './web-identity-fixtures.js';

const DENIED = 'Not authorized to perform sts:AssumeRoleWithWebIdentity';
const IRSA = 'id_roles_create_for-idp_oidc.html';
const TROUBLESHOOTING = 'seed 003 "Why do my EKS pods get 403 errors"';

describe('AssumeRoleWithWebIdentity: the session', () => {
  let world: WebIdentityWorld;
  let roleArn: string;
  before(async () => {
    world = await WebIdentityWorld.start();
    roleArn = await world.createRole('PaymentsApiRole');
  });
  after(() => world.close());

  test(`a valid token returns credentials, the subject, the assumed-role user, the provider ARN and the audience (${PAGE})`, async () => {
    const output = await world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token() });
    assert.match(output.Credentials.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(output.Credentials.SecretAccessKey.length, 40);
    assert.ok(output.Credentials.SessionToken.length > 0);
    assert.equal(output.Credentials.Expiration, '2025-03-04T06:06:07Z');
    assert.equal(output.SubjectFromWebIdentityToken, SUBJECT);
    assert.equal(output.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/PaymentsApiRole/payments-api`);
    assert.match(output.AssumedRoleUser.AssumedRoleId, /^AROA[A-Z2-7]{17}:payments-api$/);
    // STS answers the provider's ARN for OIDC tokens (observed in real responses, e.g. EKS IRSA).
    assert.equal(output.Provider, world.providerArn);
    assert.equal(output.Audience, AUDIENCE);
    assert.equal(output.PackedPolicySize, undefined);
    assert.equal(output.SourceIdentity, undefined);
  });

  test(`DurationSeconds sets the expiry; the default is 3600 (${PAGE}#API_AssumeRoleWithWebIdentity_RequestParameters)`, async () => {
    const output = await world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token(), DurationSeconds: 900 });
    assert.equal(output.Credentials.Expiration, '2025-03-04T05:21:07Z');
  });

  test(`DurationSeconds above the role's MaxSessionDuration is refused (${PAGE})`, async () => {
    await rejectsWith(
      world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token(), DurationSeconds: 7200 }),
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
    const longRole = await world.createRole('LongSessions', world.irsaTrustPolicy(), { MaxSessionDuration: 43200 });
    const output = await world.assume({ RoleArn: longRole, WebIdentityToken: await world.token(), DurationSeconds: 43200 });
    assert.equal(output.Credentials.Expiration, '2025-03-04T17:06:07Z');
  });

  test(`an ES256-signed token is accepted like an RS256 one (${PAGE}: RSA or ECDSA keys)`, async () => {
    const ecWorld = await WebIdentityWorld.start({ alg: 'ES256' });
    try {
      const arn = await ecWorld.createRole('EcRole');
      const output = await ecWorld.assume({ RoleArn: arn, WebIdentityToken: await ecWorld.token() });
      assert.equal(output.SubjectFromWebIdentityToken, SUBJECT);
    } finally {
      await ecWorld.close();
    }
  });

  test(`aud as a list (Kubernetes service account tokens) matches when one element is a registered client id (OpenID Connect Core §2)`, async () => {
    const single = await world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token({ aud: [AUDIENCE] }) });
    assert.equal(single.Audience, AUDIENCE);
    const several = await world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token({ aud: ['https://kubernetes.default.svc', AUDIENCE] }) });
    assert.equal(several.Audience, AUDIENCE);
  });

  test(`a token with azp is matched by its azp, not its aud (reference_policies_iam-condition-keys.html, aud and oaud)`, async () => {
    const azpWorld = await WebIdentityWorld.start({ clientIds: ['web-app'] });
    try {
      const hostPath = azpWorld.issuer.hostPath;
      const arn = await azpWorld.createRole(
        'HybridApp',
        azpWorld.irsaTrustPolicy({ StringEquals: { [`${hostPath}:aud`]: 'web-app', [`${hostPath}:oaud`]: 'api-backend' } }),
      );
      const output = await azpWorld.assume({ RoleArn: arn, WebIdentityToken: await azpWorld.token({ aud: 'api-backend', azp: 'web-app' }) });
      assert.equal(output.Audience, 'web-app');
      // The aud is a registered client id but the azp is not: the audience is the azp, and it is refused.
      await rejectsWith(
        azpWorld.assume({ RoleArn: arn, WebIdentityToken: await azpWorld.token({ aud: 'web-app', azp: 'mobile-app' }) }),
        'InvalidIdentityToken',
        'Incorrect token audience',
      );
    } finally {
      await azpWorld.close();
    }
  });

  test(`an inline session policy is accepted and PackedPolicySize reported (${PAGE}, Policy)`, async () => {
    const Policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }] });
    const output = await world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token(), Policy });
    assert.equal(typeof output.PackedPolicySize, 'number');
    assert.ok(output.PackedPolicySize! > 0 && output.PackedPolicySize! <= 100);
  });
});

describe('AssumeRoleWithWebIdentity: the request', () => {
  let world: WebIdentityWorld;
  let roleArn: string;
  before(async () => {
    world = await WebIdentityWorld.start();
    roleArn = await world.createRole('PaymentsApiRole');
  });
  after(() => world.close());

  test(`RoleSessionName must match [\\w+=,.@-]{2,64} (sts model roleSessionNameType)`, async () => {
    await rejectsWith(
      world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token(), RoleSessionName: 'bad name' }),
      'ValidationError',
      "1 validation error detected: Value 'bad name' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
  });

  test(`DurationSeconds below 900 is refused (sts model roleDurationSecondsType)`, async () => {
    await rejectsWith(
      world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token(), DurationSeconds: 899 }),
      'ValidationError',
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
  });

  test(`a RoleArn that is not a role ARN is refused ("Request ARN is invalid")`, async () => {
    await rejectsWith(
      world.assume({ RoleArn: `arn:aws:iam::${ACCOUNT}:user/payments-api`, WebIdentityToken: await world.token() }),
      'ValidationError',
      'Request ARN is invalid',
    );
  });

  test(`ProviderId is for OAuth 2.0 access tokens, which are not accepted (${PAGE}, ProviderId)`, async () => {
    await rejectsWith(
      world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token(), ProviderId: 'www.amazon.com' }),
      'InvalidIdentityToken',
      /^ProviderId is for OAuth 2\.0 access tokens/,
    );
  });

  test(`PolicyArns name managed session policies of the role's account; each needs its arn (${PAGE}, PolicyArns)`, async () => {
    const created = await call(world.admin(), 'CreatePolicy', {
      PolicyName: 'ReadRoles',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }] }),
    });
    const output = await world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token(), PolicyArns: [{ arn: created.Policy.Arn }] });
    assert.equal(typeof output.PackedPolicySize, 'number');
    await rejectsWith(
      world.assume({ RoleArn: roleArn, WebIdentityToken: await world.token(), PolicyArns: [{}] }),
      'ValidationError',
      "1 validation error detected: Value null at 'policyArns.member.arn' failed to satisfy constraint: Member must not be null",
    );
  });

  test(`a missing role and a role ARN with the wrong path are the same AccessDenied (nothing is revealed about roles)`, async () => {
    const token = await world.token();
    await rejectsWith(world.assume({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/NoSuchRole`, WebIdentityToken: token }), 'AccessDenied', DENIED);
    await rejectsWith(world.assume({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/team/PaymentsApiRole`, WebIdentityToken: token }), 'AccessDenied', DENIED);
  });
});

describe(`AssumeRoleWithWebIdentity: the trust policy (${IRSA}; ${TROUBLESHOOTING})`, () => {
  let world: WebIdentityWorld;
  let hostPath: string;
  before(async () => {
    world = await WebIdentityWorld.start();
    hostPath = world.issuer.hostPath;
  });
  after(() => world.close());

  test('a sub in another namespace than the trust policy names is denied (cause 1: service account mismatch)', async () => {
    const arn = await world.createRole('SubMismatch', world.irsaTrustPolicy(world.subAndAud('system:serviceaccount:payments:payments-api')));
    await rejectsWith(
      world.assume({ RoleArn: arn, WebIdentityToken: await world.token({ sub: 'system:serviceaccount:default:payments-api' }) }),
      'AccessDenied',
      DENIED,
    );
    await rejectsWith(
      world.assume({ RoleArn: arn, WebIdentityToken: await world.token({ sub: 'system:serviceaccount:payments:payments-apl' }) }),
      'AccessDenied',
      DENIED,
    );
  });

  test('a trust policy whose aud condition is wrong denies (cause 2: "the token audience must match sts.amazonaws.com")', async () => {
    const arn = await world.createRole('AudTypo', world.irsaTrustPolicy(world.subAndAud(SUBJECT, 'sts.amazon.com')));
    await rejectsWith(world.assume({ RoleArn: arn, WebIdentityToken: await world.token() }), 'AccessDenied', DENIED);
  });

  test('a token whose aud is not among the provider\'s client ids is refused before the trust policy ("Incorrect token audience")', async () => {
    const arn = await world.createRole('ClusterAudience');
    await rejectsWith(
      world.assume({ RoleArn: arn, WebIdentityToken: await world.token({ aud: 'https://kubernetes.default.svc' }) }),
      'InvalidIdentityToken',
      'Incorrect token audience',
    );
  });

  test('StringLike with a namespace wildcard accepts every service account of that namespace, and only that one', async () => {
    const arn = await world.createRole(
      'NamespaceWide',
      world.irsaTrustPolicy({ StringLike: { [`${hostPath}:sub`]: 'system:serviceaccount:payments:*' }, StringEquals: { [`${hostPath}:aud`]: AUDIENCE } }),
    );
    const first = await world.assume({ RoleArn: arn, WebIdentityToken: await world.token({ sub: 'system:serviceaccount:payments:payments-api' }) });
    assert.equal(first.SubjectFromWebIdentityToken, 'system:serviceaccount:payments:payments-api');
    const second = await world.assume({ RoleArn: arn, WebIdentityToken: await world.token({ sub: 'system:serviceaccount:payments:ledger' }) });
    assert.equal(second.SubjectFromWebIdentityToken, 'system:serviceaccount:payments:ledger');
    await rejectsWith(
      world.assume({ RoleArn: arn, WebIdentityToken: await world.token({ sub: 'system:serviceaccount:billing:payments-api' }) }),
      'AccessDenied',
      DENIED,
    );
  });

  test('StringEquals with the same wildcard is literal: it rejects every other namespace (and matches no real service account)', async () => {
    const arn = await world.createRole('LiteralWildcard', world.irsaTrustPolicy(world.subAndAud('system:serviceaccount:payments:*')));
    await rejectsWith(world.assume({ RoleArn: arn, WebIdentityToken: await world.token() }), 'AccessDenied', DENIED);
    await rejectsWith(
      world.assume({ RoleArn: arn, WebIdentityToken: await world.token({ sub: 'system:serviceaccount:billing:payments-api' }) }),
      'AccessDenied',
      DENIED,
    );
  });

  test('without a sub condition any service account of the cluster may assume the role (seed 003: "Without this condition, any pod ...")', async () => {
    const arn = await world.createRole('AnyPod', world.irsaTrustPolicy({ StringEquals: { [`${hostPath}:aud`]: AUDIENCE } }));
    const output = await world.assume({ RoleArn: arn, WebIdentityToken: await world.token({ sub: 'system:serviceaccount:kube-system:anything' }) });
    assert.equal(output.SubjectFromWebIdentityToken, 'system:serviceaccount:kube-system:anything');
  });

  test('a trust policy naming another provider, or granting sts:AssumeRole only, denies', async () => {
    const otherProvider = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/OTHER`;
    const otherTrust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: otherProvider }, Action: 'sts:AssumeRoleWithWebIdentity' }],
    });
    const other = await world.createRole('OtherProvider', otherTrust);
    await rejectsWith(world.assume({ RoleArn: other, WebIdentityToken: await world.token() }), 'AccessDenied', DENIED);
    const assumeOnly = await world.createRole('AssumeRoleOnly', world.irsaTrustPolicy(world.subAndAud(SUBJECT), 'sts:AssumeRole'));
    await rejectsWith(world.assume({ RoleArn: assumeOnly, WebIdentityToken: await world.token() }), 'AccessDenied', DENIED);
  });

  test('an explicit Deny in the trust policy wins over the Allow (reference_policies_evaluation-logic.html)', async () => {
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Federated: world.providerArn }, Action: 'sts:AssumeRoleWithWebIdentity' },
        { Effect: 'Deny', Principal: { Federated: world.providerArn }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { [`${hostPath}:sub`]: '*:kube-system:*' } } },
      ],
    });
    const arn = await world.createRole('DenyKubeSystem', trust);
    await world.assume({ RoleArn: arn, WebIdentityToken: await world.token() });
    await rejectsWith(
      world.assume({ RoleArn: arn, WebIdentityToken: await world.token({ sub: 'system:serviceaccount:kube-system:coredns' }) }),
      'AccessDenied',
      DENIED,
    );
  });

  test('amr, email and sts:RoleSessionName are condition keys of the trust policy (reference_policies_iam-condition-keys.html)', async () => {
    const arn = await world.createRole(
      'ClaimsKeys',
      world.irsaTrustPolicy({
        'ForAnyValue:StringEquals': { [`${hostPath}:amr`]: 'mfa' },
        StringEquals: { [`${hostPath}:email`]: 'dev@example.com', 'sts:RoleSessionName': 'dev-session' },
      }),
    );
    const claims = { amr: ['pwd', 'mfa'], email: 'dev@example.com' };
    await world.assume({ RoleArn: arn, WebIdentityToken: await world.token(claims), RoleSessionName: 'dev-session' });
    await rejectsWith(world.assume({ RoleArn: arn, WebIdentityToken: await world.token(claims), RoleSessionName: 'other' }), 'AccessDenied', DENIED);
    await rejectsWith(
      world.assume({ RoleArn: arn, WebIdentityToken: await world.token({ ...claims, amr: ['pwd'] }), RoleSessionName: 'dev-session' }),
      'AccessDenied',
      DENIED,
    );
  });

  test('session tags in the token need sts:TagSession in the trust policy and are aws:RequestTag keys (id_session-tags.html#id_session-tags_adding-assume-role-idp)', async () => {
    const tagsClaim = { 'https://aws.amazon.com/tags': { principal_tags: { team: ['payments'], env: ['prod'] }, transitive_tag_keys: ['team'] } };
    const withoutTagSession = await world.createRole('NoTagSession');
    await rejectsWith(world.assume({ RoleArn: withoutTagSession, WebIdentityToken: await world.token(tagsClaim) }), 'AccessDenied', DENIED);

    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Federated: world.providerArn }, Action: 'sts:AssumeRoleWithWebIdentity' },
        {
          Effect: 'Allow',
          Principal: { Federated: world.providerArn },
          Action: 'sts:TagSession',
          Condition: { StringEquals: { 'aws:RequestTag/team': 'payments' }, 'ForAllValues:StringEquals': { 'sts:TransitiveTagKeys': ['team'] } },
        },
      ],
    });
    const tagged = await world.createRole('TaggedSessions', trust);
    const output = await world.assume({ RoleArn: tagged, WebIdentityToken: await world.token(tagsClaim) });
    assert.equal(typeof output.PackedPolicySize, 'number');
    const otherTeam = { 'https://aws.amazon.com/tags': { principal_tags: { team: ['billing'] } } };
    await rejectsWith(world.assume({ RoleArn: tagged, WebIdentityToken: await world.token(otherTeam) }), 'AccessDenied', DENIED);
  });

  test('multivalued session tags in the token are refused (id_session-tags.html: "You must pass a single value for each session tag")', async () => {
    const arn = await world.createRole('MultiValued', world.irsaTrustPolicy({}, ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession']));
    await rejectsWith(
      world.assume({ RoleArn: arn, WebIdentityToken: await world.token({ 'https://aws.amazon.com/tags': { principal_tags: { dept: ['a', 'b'] } } }) }),
      'InvalidIdentityToken',
      /principal_tags with one string value per key/,
    );
  });

  test('a source identity claim needs sts:SetSourceIdentity and is returned (id_credentials_temp_control-access_monitor.html)', async () => {
    const claim = { 'https://aws.amazon.com/source_identity': 'Saanvi' };
    const plain = await world.createRole('NoSourceIdentity');
    await rejectsWith(world.assume({ RoleArn: plain, WebIdentityToken: await world.token(claim) }), 'AccessDenied', DENIED);
    const arn = await world.createRole(
      'SourceIdentity',
      world.irsaTrustPolicy({ StringLike: { 'sts:SourceIdentity': ['Saanvi', 'Diego'] } }, ['sts:AssumeRoleWithWebIdentity', 'sts:SetSourceIdentity']),
    );
    const output = await world.assume({ RoleArn: arn, WebIdentityToken: await world.token(claim) });
    assert.equal(output.SourceIdentity, 'Saanvi');
    await rejectsWith(
      world.assume({ RoleArn: arn, WebIdentityToken: await world.token({ 'https://aws.amazon.com/source_identity': 'Mallory' }) }),
      'AccessDenied',
      DENIED,
    );
  });
});

describe('AssumeRoleWithWebIdentity across accounts (seed 002: the provider registered in the target account)', () => {
  const TARGET = '222222222222';
  let world: WebIdentityWorld;
  before(async () => {
    world = await WebIdentityWorld.start();
  });
  after(() => world.close());

  test('a role in an account without the provider is refused: the provider must be in the role\'s account (id_roles_providers_create_oidc.html)', async () => {
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: world.providerArn }, Action: 'sts:AssumeRoleWithWebIdentity' }],
    });
    const arn = await world.createRole('CauselyAccess', trust, {}, TARGET);
    await rejectsWith(world.assume({ RoleArn: arn, WebIdentityToken: await world.token() }), 'InvalidIdentityToken', PROVIDER_NOT_FOUND(world.issuer.url));
  });

  test('with the same issuer registered in the target account, its role trusting that registration is assumed directly', async () => {
    const registered = await call(world.admin(TARGET), 'CreateOpenIDConnectProvider', { Url: world.issuer.providerUrl, ClientIDList: [AUDIENCE] });
    const targetProvider = registered.OpenIDConnectProviderArn as string;
    assert.equal(targetProvider, `arn:aws:iam::${TARGET}:oidc-provider/${world.issuer.hostPath}`);
    const hostPath = world.issuer.hostPath;
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: targetProvider },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${hostPath}:sub`]: 'system:serviceaccount:causely:causely-mediator', [`${hostPath}:aud`]: AUDIENCE } },
        },
      ],
    });
    const arn = await world.createRole('CauselyTarget', trust, {}, TARGET);
    const output = await world.assume({ RoleArn: arn, WebIdentityToken: await world.token({ sub: 'system:serviceaccount:causely:causely-mediator' }) });
    assert.equal(output.Provider, targetProvider);
    assert.equal(output.AssumedRoleUser.Arn, `arn:aws:sts::${TARGET}:assumed-role/CauselyTarget/payments-api`);
  });
});

test(`the operation is unsigned: it asks nothing of a caller's policies (${PAGE}: "does not require the use of AWS security credentials")`, async () => {
  const world = await WebIdentityWorld.start();
  try {
    assert.deepEqual(await world.operation.authorize(world.unsigned(), { RoleArn: 'arn:aws:iam::123456789012:role/x', RoleSessionName: 'any-session', WebIdentityToken: 'any-token' }), []);
    assert.equal(world.operation.name, 'AssumeRoleWithWebIdentity');
  } finally {
    await world.close();
  }
});


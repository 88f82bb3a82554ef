// STS AssumeRoleWithSAML (API_AssumeRoleWithSAML.html, id_roles_providers_create_saml_assertions.html,
// reference_policies_iam-condition-keys.html#condition-keys-saml) against SAML responses an openssl-backed
// test IdP signs (saml-idp.ts): signature against the provider's metadata certificates only, audience,
// recipient, validity times, the Role and RoleSessionName attributes, SessionDuration, session tags, the
// saml:* keys in the trust policy, AWS's errors; and the attacks on XML signatures — wrapping, a second
// assertion, an unsigned one, a certificate not in the metadata, a comment inside NameID.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_A, NOW, World, policy, rejects } from './fixtures.js';
import { AWS_ATTRIBUTE, assertionXml, encodeResponse, idpMetadata, newSigningKey, responseXml, signedAssertion, type AssertionOptions } from './saml-idp.js';

const ISSUER = 'https://idp.example.test/metadata';
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT_A}:saml-provider/ExampleIdP`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT_A}:role/SamlRole`;
const KEY = newSigningKey();
const OTHER_KEY = newSigningKey('attacker.example.test');

function trust(condition?: object, actions: string | string[] = 'sts:AssumeRoleWithSAML'): string {
  return policy({ Effect: 'Allow', Principal: { Federated: PROVIDER_ARN }, Action: actions, ...(condition ? { Condition: condition } : {}) });
}

async function setUp(trustPolicy = trust({ StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } }), maxSession = 3600) {
  const world = new World();
  const root = world.root();
  await world.iam(root, 'CreateSAMLProvider', { Name: 'ExampleIdP', SAMLMetadataDocument: idpMetadata(ISSUER, [KEY.certBase64]) });
  await world.createRole('SamlRole', trustPolicy, { more: { MaxSessionDuration: maxSession } });
  return world;
}

function options(overrides: Partial<AssertionOptions> = {}, attributes: Record<string, string[]> = {}): AssertionOptions {
  return {
    issuer: ISSUER,
    subject: 'alice@example.test',
    notBefore: new Date(NOW.getTime() - 60_000),
    notOnOrAfter: new Date(NOW.getTime() + 300_000),
    attributes: {
      [`${AWS_ATTRIBUTE}Role`]: [`${ROLE_ARN},${PROVIDER_ARN}`],
      [`${AWS_ATTRIBUTE}RoleSessionName`]: ['alice'],
      ...attributes,
    },
    ...overrides,
  };
}

const signedResponse = (assertion: AssertionOptions) => encodeResponse(responseXml(ISSUER, signedAssertion(assertion, KEY)));

async function assume(world: World, samlAssertion: string, extra: Record<string, unknown> = {}) {
  return world.sts(world.contextOf({ accountId: '', arn: '', kind: 'anonymous', userId: '', accessKeyId: '' }), 'AssumeRoleWithSAML', {
    RoleArn: ROLE_ARN,
    PrincipalArn: PROVIDER_ARN,
    SAMLAssertion: samlAssertion,
    ...extra,
  });
}

test('a signed assertion for AWS gives a role session: Subject, SubjectType, Issuer, Audience, NameQualifier = BASE64(SHA1(issuer + account + "/" + name))', async () => {
  const world = await setUp();
  const out = await assume(world, signedResponse(options()));
  assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT_A}:assumed-role/SamlRole/alice`);
  assert.equal(out.Subject, 'alice@example.test');
  assert.equal(out.SubjectType, 'persistent');
  assert.equal(out.Issuer, ISSUER);
  assert.equal(out.Audience, 'https://signin.aws.amazon.com/saml');
  const { createHash } = await import('node:crypto');
  assert.equal(out.NameQualifier, createHash('sha1').update(`${ISSUER}${ACCOUNT_A}/ExampleIdP`).digest('base64'));
  assert.equal(out.Credentials.Expiration, '2025-03-04T06:06:07Z', 'one hour by default');
  const session = await world.signIn(out.Credentials);
  assert.equal(session.caller.session?.issuedBy, 'AssumeRoleWithSAML');
});

test('the Role attribute pairs role and provider ARNs "in either order"; a role it does not name: "Not authorized to perform sts:AssumeRoleWithSAML"', async () => {
  const world = await setUp();
  const reversed = options({}, { [`${AWS_ATTRIBUTE}Role`]: [`arn:aws:iam::${ACCOUNT_A}:role/Other,${PROVIDER_ARN}`, `${PROVIDER_ARN},${ROLE_ARN}`] });
  assert.equal((await assume(world, signedResponse(reversed))).AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT_A}:assumed-role/SamlRole/alice`);
  const otherRole = options({}, { [`${AWS_ATTRIBUTE}Role`]: [`arn:aws:iam::${ACCOUNT_A}:role/Other,${PROVIDER_ARN}`] });
  await rejects(assume(world, signedResponse(otherRole)), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML');
});

test('a signature on the Response covers its assertion', async () => {
  const world = await setUp();
  const response = responseXml(ISSUER, assertionXml(options()), { signWith: KEY });
  assert.equal((await assume(world, encodeResponse(response))).Subject, 'alice@example.test');
});

test('attack: an unsigned assertion is refused ("Response signature invalid")', async () => {
  const world = await setUp();
  await rejects(assume(world, encodeResponse(responseXml(ISSUER, assertionXml(options())))), 'InvalidIdentityToken', 'Response signature invalid');
});

test('attack: a signature by a certificate not in the metadata is refused, whatever KeyInfo carries', async () => {
  const world = await setUp();
  const forged = responseXml(ISSUER, signedAssertion(options(), OTHER_KEY));
  await rejects(assume(world, encodeResponse(forged)), 'InvalidIdentityToken', 'Response signature invalid');
  // KeyInfo naming the provider's own certificate does not make the attacker's signature valid.
  const disguised = responseXml(ISSUER, signedAssertion(options(), OTHER_KEY, KEY.certBase64));
  await rejects(assume(world, encodeResponse(disguised)), 'InvalidIdentityToken', 'Response signature invalid');
});

test('attack: an assertion changed after signing is refused', async () => {
  const world = await setUp();
  const tampered = responseXml(ISSUER, signedAssertion(options(), KEY).replace('alice@example.test', 'admin@example.test'));
  await rejects(assume(world, encodeResponse(tampered)), 'InvalidIdentityToken', 'Response signature invalid');
});

const ONE_ASSERTION = 'Invalid SAML response: the response must hold exactly one Assertion, as a child of the Response';

test('attack: signature wrapping — the signed assertion moved aside and an unsigned one evaluated in its place — is refused', async () => {
  const world = await setUp();
  const genuine = signedAssertion(options(), KEY);
  const evil = assertionXml(options({ id: '_evil', subject: 'admin@example.test' }));
  const wrapped = responseXml(ISSUER, `<samlp:Extensions>${genuine}</samlp:Extensions>${evil}`);
  await rejects(assume(world, encodeResponse(wrapped)), 'InvalidIdentityToken', ONE_ASSERTION);
  // The same ID on the evil assertion (so a lookup by ID could find either) changes nothing.
  const sameId = responseXml(ISSUER, `${assertionXml(options({ subject: 'admin@example.test' }))}<samlp:Extensions>${genuine}</samlp:Extensions>`);
  await rejects(assume(world, encodeResponse(sameId)), 'InvalidIdentityToken', ONE_ASSERTION);
  // A signed Response whose assertion is then swapped fails its signature.
  const signedWhole = responseXml(ISSUER, assertionXml(options()), { signWith: KEY });
  await rejects(assume(world, encodeResponse(signedWhole.replace('alice@example.test', 'admin@example.test'))), 'InvalidIdentityToken', 'Response signature invalid');
});

test('attack: a second assertion, even one validly signed, is refused', async () => {
  const world = await setUp();
  const first = signedAssertion(options(), KEY);
  const second = signedAssertion(options({ id: '_assertion2', subject: 'admin@example.test' }), KEY);
  await rejects(assume(world, encodeResponse(responseXml(ISSUER, first + second))), 'InvalidIdentityToken', ONE_ASSERTION);
});

test('attack: a comment inside NameID does not truncate the signed subject (the canonicalization attack)', async () => {
  const world = await setUp(trust({ StringEquals: { 'saml:sub': 'admin@example.test' } }));
  const signedFor = options({ subject: 'admin@example.test.attacker.test' });
  const { signatureFor } = await import('./saml-idp.js');
  const signature = signatureFor(assertionXml(signedFor), '_assertion1', KEY);
  // Comments are not signed content, so the signature still verifies with the comment added.
  const withComment = assertionXml({ ...signedFor, subjectXml: 'admin@example.test<!---->.attacker.test' }, signature);
  await rejects(assume(world, encodeResponse(responseXml(ISSUER, withComment))), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML');
  const open = await setUp(trust());
  assert.equal((await assume(open, encodeResponse(responseXml(ISSUER, withComment)))).Subject, 'admin@example.test.attacker.test');
});

test('a document type declaration, or text that is not XML, is refused', async () => {
  const world = await setUp();
  const doctype = `<!DOCTYPE r [<!ENTITY e "x">]>${responseXml(ISSUER, signedAssertion(options(), KEY))}`;
  await rejects(assume(world, encodeResponse(doctype)), 'InvalidIdentityToken', 'Invalid SAML response: the SAMLAssertion is not well-formed XML');
  await rejects(assume(world, 'bm90IHhtbA=='), 'InvalidIdentityToken', 'Invalid SAML response: the SAMLAssertion is not well-formed XML');
  await rejects(assume(world, 'not base64!'), 'InvalidIdentityToken', 'Invalid SAML response: the SAMLAssertion is not base64');
});

test('NotOnOrAfter passed: ExpiredTokenException; NotBefore ahead: InvalidIdentityToken', async () => {
  const world = await setUp();
  const expired = options({ notBefore: new Date(NOW.getTime() - 900_000), notOnOrAfter: new Date(NOW.getTime() - 600_000) });
  const nowSeconds = Math.floor(NOW.getTime() / 1000);
  await rejects(assume(world, signedResponse(expired)), 'ExpiredTokenException', `Token expired: current date/time ${nowSeconds} must be before the expiration date/time ${nowSeconds - 600}`);
  const early = options({ notBefore: new Date(NOW.getTime() + 600_000), notOnOrAfter: new Date(NOW.getTime() + 900_000) });
  await rejects(assume(world, signedResponse(early)), 'InvalidIdentityToken', 'Invalid SAML response: the assertion is not valid before 2025-03-04T05:16:07.000Z');
});

test('audience and recipient must be AWS sign-in (https://signin.aws.amazon.com/saml or a regional one); urn:amazon:webservices is an audience', async () => {
  const world = await setUp(trust());
  await rejects(
    assume(world, signedResponse(options({ audience: 'https://other.example.test/saml' }))),
    'InvalidIdentityToken',
    'Invalid SAML response: the AudienceRestriction does not name https://signin.aws.amazon.com/saml',
  );
  await rejects(
    assume(world, signedResponse(options({ recipient: 'https://other.example.test/acs' }))),
    'InvalidIdentityToken',
    'Invalid SAML response: no bearer SubjectConfirmationData has the Recipient https://signin.aws.amazon.com/saml',
  );
  const regional = await assume(world, signedResponse(options({ audience: 'urn:amazon:webservices', recipient: 'https://eu-west-1.signin.aws.amazon.com/saml' })));
  assert.equal(regional.Audience, 'https://eu-west-1.signin.aws.amazon.com/saml');
});

test('saml:aud, saml:iss, saml:sub, saml:sub_type, saml:doc, saml:namequalifier and eduPerson attributes are condition keys of the trust policy', async () => {
  const { createHash } = await import('node:crypto');
  const qualifier = createHash('sha1').update(`${ISSUER}${ACCOUNT_A}/ExampleIdP`).digest('base64');
  const world = await setUp(
    trust({
      StringEquals: {
        'saml:aud': 'https://signin.aws.amazon.com/saml',
        'saml:iss': ISSUER,
        'saml:sub': 'alice@example.test',
        'saml:sub_type': 'persistent',
        'saml:doc': `${ACCOUNT_A}/ExampleIdP`,
        'saml:namequalifier': qualifier,
      },
      'ForAnyValue:StringEquals': { 'saml:edupersonaffiliation': 'staff' },
    }),
  );
  const affiliation = { 'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': ['member', 'staff'] };
  assert.equal((await assume(world, signedResponse(options({}, affiliation)))).Subject, 'alice@example.test');
  await rejects(assume(world, signedResponse(options({}, { 'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': ['student'] }))), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML');
  await rejects(assume(world, signedResponse(options({ subject: 'bob@example.test' }, affiliation))), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML');
  const transient = options({ subjectFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient' }, affiliation);
  await rejects(assume(world, signedResponse(transient)), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML');
});

test('RoleSessionName is required and "must match [a-zA-Z_0-9+=,.@-]{2,64}"', async () => {
  const world = await setUp();
  await rejects(
    assume(world, signedResponse(options({}, { [`${AWS_ATTRIBUTE}RoleSessionName`]: ['alice smith'] }))),
    'InvalidIdentityToken',
    'RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}',
  );
  const noName = options();
  delete (noName.attributes as Record<string, string[]>)[`${AWS_ATTRIBUTE}RoleSessionName`];
  await rejects(assume(world, signedResponse(noName)), 'InvalidIdentityToken', 'RoleSessionName is required in AuthnResponse');
});

test('duration: DurationSeconds up to the role maximum, never past SessionNotOnOrAfter; SessionDuration must be 900..43200', async () => {
  const world = await setUp(undefined, 7200);
  assert.equal((await assume(world, signedResponse(options()), { DurationSeconds: 7200 })).Credentials.Expiration, '2025-03-04T07:06:07Z');
  const capped = options({ sessionNotOnOrAfter: new Date(NOW.getTime() + 1800_000) });
  assert.equal((await assume(world, signedResponse(capped), { DurationSeconds: 7200 })).Credentials.Expiration, '2025-03-04T05:36:07Z');
  await rejects(
    assume(world, signedResponse(options()), { DurationSeconds: 10_800 }),
    'ValidationError',
    'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
  );
  await rejects(
    assume(world, signedResponse(options({}, { [`${AWS_ATTRIBUTE}SessionDuration`]: ['60'] }))),
    'InvalidIdentityToken',
    'SessionDuration in AuthnResponse must be a number of seconds from 900 to 43200',
  );
});

test('PrincipalTag and TransitiveTagKeys attributes are session tags: the trust policy must allow sts:TagSession', async () => {
  const tagged = options({}, { [`${AWS_ATTRIBUTE}PrincipalTag:team`]: ['payments'], [`${AWS_ATTRIBUTE}TransitiveTagKeys`]: ['team'] });
  const strict = await setUp(trust());
  await rejects(assume(strict, signedResponse(tagged)), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML');
  const world = await setUp(trust({ StringEquals: { 'aws:RequestTag/team': 'payments' } }, ['sts:AssumeRoleWithSAML', 'sts:TagSession']));
  const out = await assume(world, signedResponse(tagged));
  assert.equal(typeof out.PackedPolicySize, 'number');
  const session = await world.signIn(out.Credentials);
  assert.deepEqual(session.caller.session?.tags, [{ Key: 'team', Value: 'payments' }]);
  assert.deepEqual(session.caller.session?.transitiveTagKeys, ['team']);
});

test('a SourceIdentity attribute needs sts:SetSourceIdentity and is answered back', async () => {
  const withSource = options({}, { [`${AWS_ATTRIBUTE}SourceIdentity`]: ['alice'] });
  await rejects(assume(await setUp(trust()), signedResponse(withSource)), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML');
  const world = await setUp(trust(undefined, ['sts:AssumeRoleWithSAML', 'sts:SetSourceIdentity']));
  assert.equal((await assume(world, signedResponse(withSource))).SourceIdentity, 'alice');
});

test('the provider must exist in the role\'s account and the assertion come from its entity id', async () => {
  const world = await setUp();
  await rejects(
    assume(world, signedResponse(options()), { PrincipalArn: `arn:aws:iam::${ACCOUNT_A}:saml-provider/Missing` }),
    'InvalidIdentityToken',
    `No SAML provider arn:aws:iam::${ACCOUNT_A}:saml-provider/Missing in the role's account`,
  );
  await rejects(
    assume(world, signedResponse(options({ issuer: 'https://other-idp.example.test' }))),
    'InvalidIdentityToken',
    "Invalid SAML response: the Issuer https://other-idp.example.test is not the provider's entity id",
  );
});

test('an IdP failure status is IDPRejectedClaim; a session policy that is not valid is MalformedPolicyDocument', async () => {
  const world = await setUp();
  const failed = responseXml(ISSUER, signedAssertion(options(), KEY), { status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' });
  await rejects(assume(world, encodeResponse(failed)), 'IDPRejectedClaim', 'The identity provider reported a failure status: urn:oasis:names:tc:SAML:2.0:status:Responder');
  await rejects(assume(world, signedResponse(options()), { Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}' }), 'MalformedPolicyDocument', /.+/);
});

test('a session policy narrows the SAML session; aws:FederatedProvider is the SAML provider', async () => {
  const world = await setUp();
  await world.iam(world.root(), 'PutRolePolicy', { RoleName: 'SamlRole', PolicyName: 'all', PolicyDocument: policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) });
  const out = await assume(world, signedResponse(options()), { Policy: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) });
  const session = await world.signIn(out.Credentials);
  assert.equal(await world.allowed(session, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }), true);
  assert.equal(await world.allowed(session, { action: 's3:PutObject', resource: 'arn:aws:s3:::b/k' }), false);
  const byProvider = (provider: string) => ({
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::b/k',
    resourcePolicy: { name: 'bucket', document: policy({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:FederatedProvider': provider } } }) },
  });
  assert.equal(await world.allowed(session, byProvider(PROVIDER_ARN)), false);
  assert.equal(await world.allowed(session, byProvider('other')), true);
});

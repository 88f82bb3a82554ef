/**
 * SAML federation end to end (API_AssumeRoleWithSAML.html, API_CreateSAMLProvider.html): the real
 * `rolecall serve`, the AWS CLI v1 and v2 and boto3, against a local IdP whose responses openssl signs (saml-idp.ts;
 * xmlsec1 is not installed on this machine). The CLI registers the IdP's metadata and a role trusting it,
 * `aws sts assume-role-with-saml` (unsigned, as the CLI sends it) returns credentials that are the
 * role's session, and boto3 sees AWS's answers for a tampered response and a role the assertion does not grant.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_ID, cliError, cliJson, E2eServer } from '../e2e/harness.js';
import { AWS_ATTRIBUTE, encodeResponse, idpMetadata, newSigningKey, responseXml, signedAssertion } from './saml-idp.js';

const ISSUER = 'https://idp.example.test/metadata';
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT_ID}:saml-provider/ExampleIdP`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/SamlDevelopers`;
const KEY = newSigningKey();

let server: E2eServer;

before(async () => {
  server = await E2eServer.start();
});

after(async () => {
  await server?.stop();
});

/** A response the IdP signs now for `subject`, granting the role. */
function samlResponse(subject: string, extra: Record<string, string[]> = {}): string {
  const now = Date.now();
  const assertion = signedAssertion(
    {
      issuer: ISSUER,
      subject,
      notBefore: new Date(now - 30_000),
      notOnOrAfter: new Date(now + 300_000),
      attributes: {
        [`${AWS_ATTRIBUTE}Role`]: [`${PROVIDER_ARN},${ROLE_ARN}`],
        [`${AWS_ATTRIBUTE}RoleSessionName`]: [subject.split('@')[0]!],
        ...extra,
      },
    },
    KEY,
  );
  return encodeResponse(responseXml(ISSUER, assertion));
}

test('AWS CLI: create-saml-provider, a role trusting it, then assume-role-with-saml gives the role session', async () => {
  const metadata = await server.writeFile('metadata.xml', idpMetadata(ISSUER, [KEY.certBase64]));
  const created = cliJson<{ SAMLProviderArn: string }>(await server.awsV1(['iam', 'create-saml-provider', '--name', 'ExampleIdP', '--saml-metadata-document', `file://${metadata}`]));
  assert.equal(created.SAMLProviderArn, PROVIDER_ARN);
  const provider = cliJson<{ ValidUntil: string; SAMLProviderUUID: string }>(await server.awsV1(['iam', 'get-saml-provider', '--saml-provider-arn', PROVIDER_ARN]));
  assert.match(provider.SAMLProviderUUID, /^[A-Z0-9]{22,64}$/);
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: PROVIDER_ARN },
        Action: 'sts:AssumeRoleWithSAML',
        Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
      },
    ],
  });
  cliJson(await server.awsV1(['iam', 'create-role', '--role-name', 'SamlDevelopers', '--assume-role-policy-document', trust]));
  cliJson(await server.awsV1(['iam', 'put-role-policy', '--role-name', 'SamlDevelopers', '--policy-name', 'read', '--policy-document', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }] })]));

  const assertionFile = await server.writeFile('assertion.b64', samlResponse('alice@example.test'));
  const out = cliJson<{ Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string }; AssumedRoleUser: { Arn: string }; Subject: string; SubjectType: string; Issuer: string; Audience: string; NameQualifier: string }>(
    await server.awsV1(['sts', 'assume-role-with-saml', '--role-arn', ROLE_ARN, '--principal-arn', PROVIDER_ARN, '--saml-assertion', `file://${assertionFile}`]),
  );
  assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/SamlDevelopers/alice`);
  assert.deepEqual([out.Subject, out.SubjectType, out.Issuer, out.Audience], ['alice@example.test', 'persistent', ISSUER, 'https://signin.aws.amazon.com/saml']);
  const session = { accessKeyId: out.Credentials.AccessKeyId, secretAccessKey: out.Credentials.SecretAccessKey };
  const env = `export AWS_SESSION_TOKEN='${out.Credentials.SessionToken}'\n`;
  const identity = cliJson<{ Arn: string }>(await server.bash(`${env}aws sts get-caller-identity --output json`, 'v1', { credentials: session }));
  assert.equal(identity.Arn, out.AssumedRoleUser.Arn);
  const roles = cliJson<{ Roles: Array<{ RoleName: string }> }>(await server.bash(`${env}aws iam list-roles --output json`, 'v1', { credentials: session }));
  assert.ok(roles.Roles.some((role) => role.RoleName === 'SamlDevelopers'));

  const missing = cliError(await server.awsV1(['iam', 'get-saml-provider', '--saml-provider-arn', `arn:aws:iam::${ACCOUNT_ID}:saml-provider/Nope`]));
  assert.deepEqual(missing, { code: 'NoSuchEntity', operation: 'GetSAMLProvider', message: `Manifest not found for arn arn:aws:iam::${ACCOUNT_ID}:saml-provider/Nope` });
});

test('boto3: assume_role_with_saml answers AWS fields; a tampered response and an ungranted role get AWS errors', async () => {
  const genuine = samlResponse('bob@example.test');
  const tampered = Buffer.from(Buffer.from(genuine, 'base64').toString('utf8').replace('bob@example.test', 'root@example.test')).toString('base64');
  const out = (await server.boto3(
    String.raw`
unsigned = boto3.session.Session(region_name='us-east-1').client('sts', endpoint_url=os.environ['ROLECALL_URL'], config=_config.merge(Config(signature_version=botocore.UNSIGNED)))
answer = sts.assume_role_with_saml(RoleArn=inp['role'], PrincipalArn=inp['provider'], SAMLAssertion=inp['genuine'], DurationSeconds=900)
out = {
  'arn': answer['AssumedRoleUser']['Arn'],
  'subject': answer['Subject'],
  'nameQualifier': answer['NameQualifier'],
  'lifetime': int((answer['Credentials']['Expiration'] - datetime.datetime.now(datetime.timezone.utc)).total_seconds()),
  'tampered': client_error(unsigned.assume_role_with_saml, RoleArn=inp['role'], PrincipalArn=inp['provider'], SAMLAssertion=inp['tampered']),
  'otherRole': client_error(unsigned.assume_role_with_saml, RoleArn=inp['role'].replace('SamlDevelopers', 'Admins'), PrincipalArn=inp['provider'], SAMLAssertion=inp['genuine']),
}
`,
    { role: ROLE_ARN, provider: PROVIDER_ARN, genuine, tampered },
  )) as Record<string, unknown>;
  assert.equal(out.arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/SamlDevelopers/bob`);
  assert.equal(out.subject, 'bob@example.test');
  const { createHash } = await import('node:crypto');
  assert.equal(out.nameQualifier, createHash('sha1').update(`${ISSUER}${ACCOUNT_ID}/ExampleIdP`).digest('base64'));
  assert.ok((out.lifetime as number) > 800 && (out.lifetime as number) <= 900);
  assert.deepEqual(out.tampered, { code: 'InvalidIdentityToken', message: 'Response signature invalid', status: 400 });
  assert.deepEqual(out.otherRole, { code: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithSAML', status: 403 });
});

test('AWS CLI v2: list-saml-providers, then assume-role-with-saml; an expired response is ExpiredTokenException', async () => {
  const providers = cliJson<{ SAMLProviderList: Array<{ Arn: string; ValidUntil: string; CreateDate: string }> }>(await server.awsV2(['iam', 'list-saml-providers']));
  assert.deepEqual(providers.SAMLProviderList.map((provider) => provider.Arn), [PROVIDER_ARN]);
  const assertionFile = await server.writeFile('assertion-v2.b64', samlResponse('carol@example.test'));
  const out = cliJson<{ AssumedRoleUser: { Arn: string }; SubjectType: string }>(
    await server.awsV2(['sts', 'assume-role-with-saml', '--role-arn', ROLE_ARN, '--principal-arn', PROVIDER_ARN, '--saml-assertion', `file://${assertionFile}`]),
  );
  assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/SamlDevelopers/carol`);
  const past = Date.now() - 3_600_000;
  const expired = encodeResponse(
    responseXml(
      ISSUER,
      signedAssertion(
        {
          issuer: ISSUER,
          subject: 'carol@example.test',
          notBefore: new Date(past - 300_000),
          notOnOrAfter: new Date(past),
          attributes: { [`${AWS_ATTRIBUTE}Role`]: [`${ROLE_ARN},${PROVIDER_ARN}`], [`${AWS_ATTRIBUTE}RoleSessionName`]: ['carol'] },
        },
        KEY,
      ),
    ),
  );
  const expiredFile = await server.writeFile('expired.b64', expired);
  const refused = cliError(await server.awsV2(['sts', 'assume-role-with-saml', '--role-arn', ROLE_ARN, '--principal-arn', PROVIDER_ARN, '--saml-assertion', `file://${expiredFile}`]));
  assert.equal(refused.code, 'ExpiredTokenException');
  assert.match(refused.message, /^Token expired: current date\/time \d+ must be before the expiration date\/time \d+$/);
});

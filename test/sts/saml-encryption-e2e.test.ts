/**
 * Encrypted SAML assertions end to end (API_CreateSAMLProvider.html AssertionEncryptionMode and
 * AddPrivateKey; API_AssumeRoleWithSAML.html): the real `rolecall serve`, the AWS CLI v2 registering a
 * provider that requires encryption with its private key, then `aws sts assume-role-with-saml` with a
 * response the openssl IdP signed and encrypted (saml-idp.ts); boto3 meets the refusals of a plain
 * assertion, an assertion encrypted to another key, and an encrypted assertion nobody signed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_ID, cliError, cliJson, E2eServer } from '../e2e/harness.js';
import { ENCRYPTED_ASSERTION_INVALID } from '../../src/sts/saml-decryption.js';
import { PLAIN_ASSERTION_REFUSED } from '../../src/sts/saml-response.js';
import { AWS_ATTRIBUTE, assertionXml, encodeResponse, encryptedAssertion, idpMetadata, newSigningKey, responseXml, signedAssertion, type AssertionOptions } from './saml-idp.js';

const ISSUER = 'https://idp.example.test/metadata';
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT_ID}:saml-provider/EncryptingIdP`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/SamlEncrypted`;
const IDP_KEY = newSigningKey();
const PROVIDER_KEY = newSigningKey('sp.example.test');
const OTHER_KEY = newSigningKey('other.example.test');

let server: E2eServer;

before(async () => {
  server = await E2eServer.start();
});

after(async () => {
  await server?.stop();
});

function options(subject: string): AssertionOptions {
  const now = Date.now();
  return {
    issuer: ISSUER,
    subject,
    notBefore: new Date(now - 30_000),
    notOnOrAfter: new Date(now + 300_000),
    attributes: { [`${AWS_ATTRIBUTE}Role`]: [`${PROVIDER_ARN},${ROLE_ARN}`], [`${AWS_ATTRIBUTE}RoleSessionName`]: [subject.split('@')[0]!] },
  };
}

test('AWS CLI v2: a provider with AssertionEncryptionMode Required and a private key; assume-role-with-saml with a signed, encrypted response', async () => {
  const metadata = await server.writeFile('encrypting-metadata.xml', idpMetadata(ISSUER, [IDP_KEY.certBase64]));
  const keyFile = await server.writeFile('sp-key.pem', PROVIDER_KEY.keyPem);
  cliJson(
    await server.awsV2([
      'iam', 'create-saml-provider', '--name', 'EncryptingIdP', '--saml-metadata-document', `file://${metadata}`,
      '--assertion-encryption-mode', 'Required', '--add-private-key', `file://${keyFile}`,
    ]),
  );
  const provider = cliJson<{ AssertionEncryptionMode: string; PrivateKeyList: Array<{ KeyId: string; Timestamp: string }> }>(
    await server.awsV2(['iam', 'get-saml-provider', '--saml-provider-arn', PROVIDER_ARN]),
  );
  assert.equal(provider.AssertionEncryptionMode, 'Required');
  assert.equal(provider.PrivateKeyList.length, 1);
  assert.deepEqual(Object.keys(provider.PrivateKeyList[0]!).sort(), ['KeyId', 'Timestamp'], 'the key itself is never returned');
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER_ARN }, Action: 'sts:AssumeRoleWithSAML' }] });
  cliJson(await server.awsV2(['iam', 'create-role', '--role-name', 'SamlEncrypted', '--assume-role-policy-document', trust]));

  const encrypted = encodeResponse(responseXml(ISSUER, encryptedAssertion(signedAssertion(options('alice@example.test'), IDP_KEY), PROVIDER_KEY.certPem)));
  const assertionFile = await server.writeFile('encrypted.b64', encrypted);
  const out = cliJson<{ AssumedRoleUser: { Arn: string }; Subject: string }>(
    await server.awsV2(['sts', 'assume-role-with-saml', '--role-arn', ROLE_ARN, '--principal-arn', PROVIDER_ARN, '--saml-assertion', `file://${assertionFile}`]),
  );
  assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/SamlEncrypted/alice`);
  assert.equal(out.Subject, 'alice@example.test');

  const plainFile = await server.writeFile('plain.b64', encodeResponse(responseXml(ISSUER, signedAssertion(options('alice@example.test'), IDP_KEY))));
  const refused = cliError(await server.awsV2(['sts', 'assume-role-with-saml', '--role-arn', ROLE_ARN, '--principal-arn', PROVIDER_ARN, '--saml-assertion', `file://${plainFile}`]));
  assert.deepEqual(refused, { code: 'InvalidIdentityToken', operation: 'AssumeRoleWithSAML', message: PLAIN_ASSERTION_REFUSED });
});

test('boto3: an assertion encrypted to another key, and an encrypted assertion nobody signed, are refused', async () => {
  const wrongKey = encodeResponse(responseXml(ISSUER, encryptedAssertion(signedAssertion(options('bob@example.test'), IDP_KEY), OTHER_KEY.certPem)));
  const unsigned = encodeResponse(responseXml(ISSUER, encryptedAssertion(assertionXml(options('bob@example.test')), PROVIDER_KEY.certPem)));
  const out = (await server.boto3(
    String.raw`
unsigned_client = boto3.session.Session(region_name='us-east-1').client('sts', endpoint_url=os.environ['ROLECALL_URL'], config=_config.merge(Config(signature_version=botocore.UNSIGNED)))
out = {
  'wrongKey': client_error(unsigned_client.assume_role_with_saml, RoleArn=inp['role'], PrincipalArn=inp['provider'], SAMLAssertion=inp['wrongKey']),
  'unsigned': client_error(unsigned_client.assume_role_with_saml, RoleArn=inp['role'], PrincipalArn=inp['provider'], SAMLAssertion=inp['unsigned']),
}
`,
    { role: ROLE_ARN, provider: PROVIDER_ARN, wrongKey, unsigned },
  )) as Record<string, unknown>;
  const refusal = { code: 'InvalidIdentityToken', message: ENCRYPTED_ASSERTION_INVALID, status: 400 };
  assert.deepEqual(out.wrongKey, refusal);
  assert.deepEqual(out.unsigned, refusal);
});

// IAM SAML providers (API_CreateSAMLProvider.html, API_GetSAMLProvider.html, API_UpdateSAMLProvider.html,
// API_ListSAMLProviders.html, API_DeleteSAMLProvider.html, Tag/Untag/ListSAMLProviderTags): metadata that
// names an IdP and its signing certificates, ValidUntil, SAMLProviderUUID, AssertionEncryptionMode and
// private keys (ids and times only, never the keys), tags, and AWS's "Manifest not found for arn ...".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_A, NOW, World, rejects } from '../sts/fixtures.js';
import { idpMetadata, newSigningKey } from '../sts/saml-idp.js';
import { generateKeyPairSync } from 'node:crypto';

const KEY = newSigningKey();
const METADATA = idpMetadata('https://idp.example.test/metadata', [KEY.certBase64]);
const ARN = `arn:aws:iam::${ACCOUNT_A}:saml-provider/ExampleIdP`;
const PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

test('CreateSAMLProvider answers the ARN and tags; GetSAMLProvider the metadata, CreateDate, a 100-year ValidUntil and a SAMLProviderUUID', async () => {
  const world = new World();
  const root = world.root();
  const created = await world.iam(root, 'CreateSAMLProvider', { Name: 'ExampleIdP', SAMLMetadataDocument: METADATA, Tags: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: '1' }] });
  assert.deepEqual(created, { SAMLProviderArn: ARN, Tags: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: '1' }] });
  const got = await world.iam(root, 'GetSAMLProvider', { SAMLProviderArn: ARN });
  assert.equal(got.SAMLMetadataDocument, METADATA);
  assert.equal(got.CreateDate, NOW.toISOString());
  assert.equal(got.ValidUntil, '2125-03-04T05:06:07.000Z');
  assert.match(got.SAMLProviderUUID, /^[A-Z0-9]{22,64}$/);
  assert.deepEqual(got.Tags, [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }], '"The returned list of tags is sorted by tag key."');
  const listed = await world.iam(root, 'ListSAMLProviders', {});
  assert.deepEqual(listed.SAMLProviderList, [{ Arn: ARN, ValidUntil: got.ValidUntil, CreateDate: got.CreateDate }]);
});

test("ValidUntil is the metadata's validUntil when it has one", async () => {
  const world = new World();
  const root = world.root();
  await world.iam(root, 'CreateSAMLProvider', { Name: 'ExampleIdP', SAMLMetadataDocument: idpMetadata('https://idp.example.test/metadata', [KEY.certBase64], '2030-01-01T00:00:00Z') });
  assert.equal((await world.iam(root, 'GetSAMLProvider', { SAMLProviderArn: ARN })).ValidUntil, '2030-01-01T00:00:00.000Z');
});

test('metadata without an IdP signing certificate, or not XML: InvalidInput "Could not parse metadata"', async () => {
  const world = new World();
  const root = world.root();
  const noCertificate = METADATA.replace(/<md:KeyDescriptor[\s\S]*?<\/md:KeyDescriptor>/, '').padEnd(1200, ' ');
  await rejects(world.iam(root, 'CreateSAMLProvider', { Name: 'ExampleIdP', SAMLMetadataDocument: noCertificate }), 'InvalidInput', 'Could not parse metadata');
  await rejects(world.iam(root, 'CreateSAMLProvider', { Name: 'ExampleIdP', SAMLMetadataDocument: '<md:EntityDescriptor'.padEnd(1200, 'x') }), 'InvalidInput', 'Could not parse metadata');
  await rejects(
    world.iam(root, 'CreateSAMLProvider', { Name: 'ExampleIdP', SAMLMetadataDocument: 'x'.repeat(999) }),
    'ValidationError',
    /Member must have length greater than or equal to 1000/,
  );
});

test('a provider that does not exist: NoSuchEntity "Manifest not found for arn ..."', async () => {
  const world = new World();
  const root = world.root();
  for (const operation of ['GetSAMLProvider', 'DeleteSAMLProvider', 'ListSAMLProviderTags']) {
    await rejects(world.iam(root, operation, { SAMLProviderArn: ARN }), 'NoSuchEntity', `Manifest not found for arn ${ARN}`);
  }
  await rejects(world.iam(root, 'UpdateSAMLProvider', { SAMLProviderArn: ARN, SAMLMetadataDocument: METADATA }), 'NoSuchEntity', `Manifest not found for arn ${ARN}`);
  await rejects(world.iam(root, 'TagSAMLProvider', { SAMLProviderArn: ARN, Tags: [{ Key: 'a', Value: 'b' }] }), 'NoSuchEntity', `Manifest not found for arn ${ARN}`);
});

test('a name taken: EntityAlreadyExists; DeleteSAMLProvider removes the provider', async () => {
  const world = new World();
  const root = world.root();
  await world.iam(root, 'CreateSAMLProvider', { Name: 'ExampleIdP', SAMLMetadataDocument: METADATA });
  await rejects(world.iam(root, 'CreateSAMLProvider', { Name: 'ExampleIdP', SAMLMetadataDocument: METADATA }), 'EntityAlreadyExists', 'SAMLProvider ExampleIdP already exists.');
  await world.iam(root, 'DeleteSAMLProvider', { SAMLProviderArn: ARN });
  assert.deepEqual((await world.iam(root, 'ListSAMLProviders', {})).SAMLProviderList, []);
});

test('private keys: AddPrivateKey/RemovePrivateKey keep at most two, listed by KeyId and Timestamp only; AssertionEncryptionMode Required needs one', async () => {
  const world = new World();
  const root = world.root();
  await rejects(
    world.iam(root, 'CreateSAMLProvider', { Name: 'ExampleIdP', SAMLMetadataDocument: METADATA, AssertionEncryptionMode: 'Required' }),
    'InvalidInput',
    'AssertionEncryptionMode Required needs a private key to decrypt assertions: pass AddPrivateKey.',
  );
  await world.iam(root, 'CreateSAMLProvider', { Name: 'ExampleIdP', SAMLMetadataDocument: METADATA, AssertionEncryptionMode: 'Required', AddPrivateKey: PRIVATE_KEY });
  await world.iam(root, 'UpdateSAMLProvider', { SAMLProviderArn: ARN, AddPrivateKey: PRIVATE_KEY });
  const got = await world.iam(root, 'GetSAMLProvider', { SAMLProviderArn: ARN });
  assert.equal(got.AssertionEncryptionMode, 'Required');
  assert.equal(got.PrivateKeyList.length, 2);
  for (const key of got.PrivateKeyList) {
    assert.deepEqual(Object.keys(key).sort(), ['KeyId', 'Timestamp']);
    assert.match(key.KeyId, /^[A-Z0-9]{22,64}$/);
  }
  assert.ok(!JSON.stringify(got).includes('PRIVATE KEY'));
  await rejects(world.iam(root, 'UpdateSAMLProvider', { SAMLProviderArn: ARN, AddPrivateKey: PRIVATE_KEY }), 'LimitExceeded', 'Cannot exceed quota for PrivateKeysPerSAMLProvider: 2');
  await world.iam(root, 'UpdateSAMLProvider', { SAMLProviderArn: ARN, RemovePrivateKey: got.PrivateKeyList[0].KeyId });
  const [remaining] = (await world.iam(root, 'GetSAMLProvider', { SAMLProviderArn: ARN })).PrivateKeyList;
  assert.equal(remaining.KeyId, got.PrivateKeyList[1].KeyId);
  await rejects(
    world.iam(root, 'UpdateSAMLProvider', { SAMLProviderArn: ARN, RemovePrivateKey: remaining.KeyId }),
    'InvalidInput',
    'AssertionEncryptionMode Required needs a private key to decrypt assertions: pass AddPrivateKey.',
  );
  await rejects(
    world.iam(root, 'UpdateSAMLProvider', { SAMLProviderArn: ARN, AddPrivateKey: 'not a key' }),
    'InvalidInput',
    'The private key is not a valid PEM-encoded private key.',
  );
  await world.iam(root, 'UpdateSAMLProvider', { SAMLProviderArn: ARN, AssertionEncryptionMode: 'Allowed', RemovePrivateKey: remaining.KeyId });
  const allowed = await world.iam(root, 'GetSAMLProvider', { SAMLProviderArn: ARN });
  assert.equal(allowed.AssertionEncryptionMode, 'Allowed');
  assert.equal(allowed.PrivateKeyList, undefined);
});

test('UpdateSAMLProvider replaces the metadata; TagSAMLProvider, UntagSAMLProvider and ListSAMLProviderTags', async () => {
  const world = new World();
  const root = world.root();
  await world.iam(root, 'CreateSAMLProvider', { Name: 'ExampleIdP', SAMLMetadataDocument: METADATA });
  const rotated = idpMetadata('https://idp.example.test/metadata', [newSigningKey().certBase64]);
  assert.deepEqual(await world.iam(root, 'UpdateSAMLProvider', { SAMLProviderArn: ARN, SAMLMetadataDocument: rotated }), { SAMLProviderArn: ARN });
  assert.equal((await world.iam(root, 'GetSAMLProvider', { SAMLProviderArn: ARN })).SAMLMetadataDocument, rotated);
  await world.iam(root, 'TagSAMLProvider', { SAMLProviderArn: ARN, Tags: [{ Key: 'team', Value: 'id' }, { Key: 'env', Value: 'prod' }] });
  assert.deepEqual((await world.iam(root, 'ListSAMLProviderTags', { SAMLProviderArn: ARN })).Tags, [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'id' }]);
  await world.iam(root, 'UntagSAMLProvider', { SAMLProviderArn: ARN, TagKeys: ['env'] });
  assert.deepEqual((await world.iam(root, 'ListSAMLProviderTags', { SAMLProviderArn: ARN })).Tags, [{ Key: 'team', Value: 'id' }]);
});

test('the provider operations are authorized on the provider ARN with its tags (aws:ResourceTag)', async () => {
  const world = new World();
  const root = world.root();
  await world.iam(root, 'CreateSAMLProvider', { Name: 'ExampleIdP', SAMLMetadataDocument: METADATA, Tags: [{ Key: 'team', Value: 'id' }] });
  const user = await world.createUser('reader', {
    read: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetSAMLProvider', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'id' } } }] }),
  });
  const reader = await world.signIn(user.credentials);
  assert.equal((await world.iam(reader, 'GetSAMLProvider', { SAMLProviderArn: ARN })).SAMLMetadataDocument, METADATA);
  await rejects(
    world.iam(reader, 'DeleteSAMLProvider', { SAMLProviderArn: ARN }),
    'AccessDenied',
    `User: ${user.arn} is not authorized to perform: iam:DeleteSAMLProvider on resource: ${ARN} because no identity-based policy allows the iam:DeleteSAMLProvider action`,
  );
});

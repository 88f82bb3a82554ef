// OpenID Connect providers over a real (in-memory) SQLite store: the URL stored without its scheme as
// the ARN's suffix, client ids and thumbprints with AWS's limits, idempotent changes, tags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { SecretSealer, newSealingKey } from '../../src/auth/secrets.js';
import { secretSealing } from '../../src/auth/server-keys.js';
import { AwsError } from '../../src/model/errors.js';
import type { Caller, OperationContext } from '../../src/iam/operation.js';
import {
  addClientIDToOpenIDConnectProvider,
  CLIENT_IDS_PER_PROVIDER,
  createOpenIDConnectProvider,
  deleteOpenIDConnectProvider,
  getOpenIDConnectProvider,
  listOpenIDConnectProviders,
  listOpenIDConnectProviderTags,
  OIDC_PROVIDERS_PER_ACCOUNT,
  removeClientIDFromOpenIDConnectProvider,
  tagOpenIDConnectProvider,
  untagOpenIDConnectProvider,
  updateOpenIDConnectProviderThumbprint,
} from '../../src/iam/oidc-providers.js';

const ACCOUNT = '123456789012';
const NOW = new Date('2024-05-01T12:00:00.000Z');
const ROOT: Caller = { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, kind: 'root', userId: ACCOUNT, accessKeyId: 'AKIAROOTROOTROOTROOT' };
const SECRETS = secretSealing(new SecretSealer([newSealingKey('test')]));
const EKS_ISSUER = 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const EKS_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;
const THUMBPRINT = '9e99a48a9960b14926bb7f3b02e22da2b0ab7280';

function setup(): { store: SqliteStore; context: OperationContext } {
  const store = new SqliteStore(':memory:');
  return { store, context: { store, secrets: SECRETS, caller: ROOT, accountId: ACCOUNT, requestId: 'req-1', now: NOW, region: 'us-east-1', sourceIp: '192.0.2.10' } };
}

async function rejectsWith(promise: Promise<unknown>, code: string, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AwsError, `expected an AwsError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

test('CreateOpenIDConnectProvider names the provider by its URL without https:// (API_CreateOpenIDConnectProvider.html)', async () => {
  const { context } = setup();
  const created = await createOpenIDConnectProvider.execute(context, { Url: EKS_ISSUER, ClientIDList: ['sts.amazonaws.com'], ThumbprintList: [THUMBPRINT] });
  assert.deepEqual(created, { OpenIDConnectProviderArn: EKS_ARN });
  assert.deepEqual(await getOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN }), {
    Url: 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
    ClientIDList: ['sts.amazonaws.com'],
    ThumbprintList: [THUMBPRINT],
    CreateDate: NOW.toISOString(),
  });
});

test('Thumbprints are optional, as AWS now verifies the IdP through trusted CAs', async () => {
  const { context } = setup();
  const { OpenIDConnectProviderArn: arn } = await createOpenIDConnectProvider.execute(context, { Url: 'https://token.actions.githubusercontent.com' });
  assert.equal(arn, `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`);
  const provider = await getOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: arn });
  assert.deepEqual(provider.ThumbprintList, []);
  assert.deepEqual(provider.ClientIDList, []);
});

test('CreateOpenIDConnectProvider with tags returns them; a second provider for the URL is EntityAlreadyExists', async () => {
  const { context } = setup();
  const created = await createOpenIDConnectProvider.execute(context, { Url: EKS_ISSUER, Tags: [{ Key: 'cluster', Value: 'prod' }] });
  assert.deepEqual(created.Tags, [{ Key: 'cluster', Value: 'prod' }]);
  await rejectsWith(createOpenIDConnectProvider.execute(context, { Url: EKS_ISSUER }), 'EntityAlreadyExists', `Provider with url ${EKS_ISSUER} already exists.`);
});

test('Only https:// URLs without query are accepted', async () => {
  const { context, store } = setup();
  for (const url of ['http://example.com', 'example.com', 'https://', 'https://example.com/?a=b', 'https://example.com/#x']) {
    await rejectsWith(createOpenIDConnectProvider.execute(context, { Url: url }), 'ValidationError', 'Invalid Open ID Connect Provider URL');
  }
  assert.equal(await store.read((reader) => reader.count('oidcProvider', ACCOUNT)), 0);
});

test('Thumbprints are 40 characters and at most five; client ids at most 100 (reference_iam-quotas.html)', async () => {
  const { context } = setup();
  await rejectsWith(
    createOpenIDConnectProvider.execute(context, { Url: EKS_ISSUER, ThumbprintList: ['abc'] }),
    'ValidationError',
    "1 validation error detected: Value '[abc]' at 'thumbprintList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 40, Member must have length greater than or equal to 40]",
  );
  const six = Array.from({ length: 6 }, (_, i) => String(i).repeat(40));
  await rejectsWith(createOpenIDConnectProvider.execute(context, { Url: EKS_ISSUER, ThumbprintList: six }), 'InvalidInput', 'Thumbprint list must contain fewer than 5 entries.');
  const tooManyClients = Array.from({ length: CLIENT_IDS_PER_PROVIDER + 1 }, (_, i) => `client-${i}`);
  await rejectsWith(
    createOpenIDConnectProvider.execute(context, { Url: EKS_ISSUER, ClientIDList: tooManyClients }),
    'LimitExceeded',
    'Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100',
  );
  await createOpenIDConnectProvider.execute(context, { Url: EKS_ISSUER, ThumbprintList: six.slice(0, 5) });
});

test('An account holds at most 100 OIDC providers', async () => {
  const { context } = setup();
  for (let i = 0; i < OIDC_PROVIDERS_PER_ACCOUNT; i++) await createOpenIDConnectProvider.execute(context, { Url: `https://issuer-${i}.example.com` });
  await rejectsWith(
    createOpenIDConnectProvider.execute(context, { Url: 'https://one-more.example.com' }),
    'LimitExceeded',
    'Cannot exceed quota for OpenIdConnectProvidersPerAccount: 100',
  );
});

test('Get of a missing provider is NoSuchEntity; Delete of a missing provider succeeds (API_DeleteOpenIDConnectProvider.html)', async () => {
  const { context } = setup();
  await rejectsWith(getOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN }), 'NoSuchEntity', `OpenIDConnect Provider not found for arn ${EKS_ARN}`);
  await deleteOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN });
  await createOpenIDConnectProvider.execute(context, { Url: EKS_ISSUER });
  await deleteOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN });
  await rejectsWith(getOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN }), 'NoSuchEntity', `OpenIDConnect Provider not found for arn ${EKS_ARN}`);
  await rejectsWith(deleteOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: 'arn:aws:iam::123456789012:role/notaprovider' }), 'InvalidInput', /is not valid/);
});

test("Another account's provider ARN names no provider here", async () => {
  const { context } = setup();
  await createOpenIDConnectProvider.execute(context, { Url: EKS_ISSUER });
  const foreign = EKS_ARN.replace(ACCOUNT, '210987654321');
  await rejectsWith(getOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: foreign }), 'NoSuchEntity', `OpenIDConnect Provider not found for arn ${foreign}`);
});

test('ListOpenIDConnectProviders lists the ARNs (API_ListOpenIDConnectProviders.html)', async () => {
  const { context } = setup();
  assert.deepEqual(await listOpenIDConnectProviders.execute(context, {}), { OpenIDConnectProviderList: [] });
  await createOpenIDConnectProvider.execute(context, { Url: EKS_ISSUER });
  await createOpenIDConnectProvider.execute(context, { Url: 'https://accounts.example.org' });
  assert.deepEqual((await listOpenIDConnectProviders.execute(context, {})).OpenIDConnectProviderList, [
    { Arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/accounts.example.org` },
    { Arn: EKS_ARN },
  ]);
});

test('Client ids are added and removed idempotently, within the quota of 100 (API_AddClientIDToOpenIDConnectProvider.html)', async () => {
  const { context } = setup();
  await createOpenIDConnectProvider.execute(context, { Url: EKS_ISSUER, ClientIDList: ['sts.amazonaws.com'] });
  await addClientIDToOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN, ClientID: 'my-app' });
  await addClientIDToOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN, ClientID: 'my-app' });
  assert.deepEqual((await getOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN })).ClientIDList, ['sts.amazonaws.com', 'my-app']);
  await removeClientIDFromOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN, ClientID: 'sts.amazonaws.com' });
  await removeClientIDFromOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN, ClientID: 'never-added' });
  assert.deepEqual((await getOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN })).ClientIDList, ['my-app']);
  for (let i = 1; i < CLIENT_IDS_PER_PROVIDER; i++) await addClientIDToOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN, ClientID: `c${i}` });
  await rejectsWith(
    addClientIDToOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN, ClientID: 'c-last' }),
    'LimitExceeded',
    'Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100',
  );
  await rejectsWith(addClientIDToOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN.replace('EXAMPLE', 'OTHER'), ClientID: 'x' }), 'NoSuchEntity', /OpenIDConnect Provider not found/);
});

test('UpdateOpenIDConnectProviderThumbprint replaces the list (API_UpdateOpenIDConnectProviderThumbprint.html)', async () => {
  const { context } = setup();
  await createOpenIDConnectProvider.execute(context, { Url: EKS_ISSUER, ThumbprintList: [THUMBPRINT] });
  const replacement = ['a'.repeat(40), 'b'.repeat(40)];
  await updateOpenIDConnectProviderThumbprint.execute(context, { OpenIDConnectProviderArn: EKS_ARN, ThumbprintList: replacement });
  assert.deepEqual((await getOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN })).ThumbprintList, replacement);
  await rejectsWith(
    updateOpenIDConnectProviderThumbprint.execute(context, { OpenIDConnectProviderArn: EKS_ARN, ThumbprintList: Array.from({ length: 6 }, (_, i) => String(i).repeat(40)) }),
    'InvalidInput',
    'Thumbprint list must contain fewer than 5 entries.',
  );
  assert.deepEqual((await getOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN })).ThumbprintList, replacement);
});

test('Provider tags: add, overwrite ignoring case, remove, list with pages; duplicates refused', async () => {
  const { context } = setup();
  await createOpenIDConnectProvider.execute(context, { Url: EKS_ISSUER, Tags: [{ Key: 'Env', Value: 'dev' }] });
  await tagOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'owner', Value: 'platform' }] });
  const first = await listOpenIDConnectProviderTags.execute(context, { OpenIDConnectProviderArn: EKS_ARN, MaxItems: 1 });
  const rest = await listOpenIDConnectProviderTags.execute(context, { OpenIDConnectProviderArn: EKS_ARN, Marker: first.Marker! });
  assert.deepEqual([...first.Tags, ...rest.Tags].map((t) => `${t.Key}=${t.Value}`).sort(), ['env=prod', 'owner=platform']);
  await untagOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN, TagKeys: ['OWNER'] });
  assert.deepEqual((await getOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN })).Tags, [{ Key: 'env', Value: 'prod' }]);
  await rejectsWith(
    tagOpenIDConnectProvider.execute(context, { OpenIDConnectProviderArn: EKS_ARN, Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] }),
    'InvalidInput',
    'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
  );
});

test('Provider actions are authorized on the provider ARN with its tags; Create with the request tags; List on "*"', async () => {
  const { context } = setup();
  assert.deepEqual(await createOpenIDConnectProvider.authorize(context, { Url: EKS_ISSUER, Tags: [{ Key: 'cluster', Value: 'prod' }] }), [
    { action: 'iam:CreateOpenIDConnectProvider', resource: EKS_ARN, context: { 'aws:RequestTag/cluster': 'prod', 'aws:TagKeys': ['cluster'] } },
  ]);
  await createOpenIDConnectProvider.execute(context, { Url: EKS_ISSUER, Tags: [{ Key: 'cluster', Value: 'prod' }] });
  assert.deepEqual(await getOpenIDConnectProvider.authorize(context, { OpenIDConnectProviderArn: EKS_ARN }), [
    { action: 'iam:GetOpenIDConnectProvider', resource: EKS_ARN, context: { 'aws:ResourceTag/cluster': 'prod' } },
  ]);
  const [untag] = await untagOpenIDConnectProvider.authorize(context, { OpenIDConnectProviderArn: EKS_ARN, TagKeys: ['cluster'] });
  assert.deepEqual(untag!.context?.['aws:TagKeys'], ['cluster']);
  const [thumb] = await updateOpenIDConnectProviderThumbprint.authorize(context, { OpenIDConnectProviderArn: EKS_ARN, ThumbprintList: [] });
  assert.equal(thumb!.action, 'iam:UpdateOpenIDConnectProviderThumbprint');
  assert.deepEqual(await listOpenIDConnectProviders.authorize(context, {}), [{ action: 'iam:ListOpenIDConnectProviders', resource: '*' }]);
});

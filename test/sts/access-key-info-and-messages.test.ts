// STS GetAccessKeyInfo (API_GetAccessKeyInfo.html: the account of an AKIA or ASIA key, whatever its
// state) and DecodeAuthorizationMessage (API_DecodeAuthorizationMessage.html: needs
// sts:DecodeAuthorizationMessage; anything not sealed by this server is InvalidAuthorizationMessageException).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeAuthorizationMessage } from '../../src/sts/authorization-message.js';
import { ACCOUNT_A, ACCOUNT_B, World, policy, rejects } from './fixtures.js';

test('GetAccessKeyInfo: AKIA keys through the store, ASIA keys from the id alone, any state', async () => {
  const world = new World();
  const inB = await world.createUser('bob', {}, ACCOUNT_B);
  const role = await world.createRole('R', policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT_B }, Action: 'sts:AssumeRole' }), { account: ACCOUNT_B });
  const session = await world.sts(await world.admin(ACCOUNT_B), 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session' });
  const asker = world.root(ACCOUNT_A);
  assert.deepEqual(await world.sts(asker, 'GetAccessKeyInfo', { AccessKeyId: inB.credentials.AccessKeyId }), { Account: ACCOUNT_B });
  assert.deepEqual(await world.sts(asker, 'GetAccessKeyInfo', { AccessKeyId: session.Credentials.AccessKeyId }), { Account: ACCOUNT_B });
  await world.iam(world.root(ACCOUNT_B), 'UpdateAccessKey', { UserName: 'bob', AccessKeyId: inB.credentials.AccessKeyId, Status: 'Inactive' });
  assert.deepEqual(await world.sts(asker, 'GetAccessKeyInfo', { AccessKeyId: inB.credentials.AccessKeyId }), { Account: ACCOUNT_B }, 'an inactive key still answers');
  await rejects(world.sts(asker, 'GetAccessKeyInfo', { AccessKeyId: 'AKIAI44QH8DHBEXAMPLE' }), 'NoSuchEntity', 'The Access Key with id AKIAI44QH8DHBEXAMPLE cannot be found.');
  await rejects(world.sts(asker, 'GetAccessKeyInfo', { AccessKeyId: inB.credentials.AccessKeyId.toLowerCase() }), 'NoSuchEntity', /cannot be found/);
});

test('GetAccessKeyInfo needs sts:GetAccessKeyInfo', async () => {
  const world = new World();
  const user = await world.createUser('alice');
  const alice = await world.signIn(user.credentials);
  await rejects(
    world.sts(alice, 'GetAccessKeyInfo', { AccessKeyId: user.credentials.AccessKeyId }),
    'AccessDenied',
    `User: ${user.arn} is not authorized to perform: sts:GetAccessKeyInfo on resource: * because no identity-based policy allows the sts:GetAccessKeyInfo action`,
  );
});

const DETAILS = {
  allowed: false,
  explicitDeny: true,
  matchedStatements: [{ policyType: 'identity', policyName: 'deny-ec2', statementIndex: 0, effect: 'Deny' }],
  principal: { id: 'AIDAEXAMPLEEXAMPLE1234', arn: `arn:aws:iam::${ACCOUNT_A}:user/alice` },
  action: 'ec2:RunInstances',
  resource: `arn:aws:ec2:us-east-1:${ACCOUNT_A}:instance/*`,
  conditions: { 'aws:username': 'alice', 'aws:TagKeys': ['team', 'env'] },
};

test('DecodeAuthorizationMessage decodes what Rolecall encoded, in AWS decoded-message form', async () => {
  const world = new World();
  const encoded = encodeAuthorizationMessage(world.secrets, ACCOUNT_A, DETAILS);
  assert.ok(!encoded.includes('alice'), 'the encoded form hides the details');
  const user = await world.createUser('auditor', { decode: policy({ Effect: 'Allow', Action: 'sts:DecodeAuthorizationMessage', Resource: '*' }) });
  const out = await world.sts(await world.signIn(user.credentials), 'DecodeAuthorizationMessage', { EncodedMessage: encoded });
  assert.deepEqual(JSON.parse(out.DecodedMessage), {
    allowed: false,
    explicitDeny: true,
    matchedStatements: { items: DETAILS.matchedStatements },
    failures: { items: [] },
    context: {
      principal: DETAILS.principal,
      action: 'ec2:RunInstances',
      resource: DETAILS.resource,
      conditions: {
        items: [
          { key: 'aws:username', values: { items: [{ value: 'alice' }] } },
          { key: 'aws:TagKeys', values: { items: [{ value: 'team' }, { value: 'env' }] } },
        ],
      },
    },
  });
});

test('DecodeAuthorizationMessage: needs the permission; foreign, tampered or other-account messages are InvalidAuthorizationMessageException', async () => {
  const world = new World();
  const encoded = encodeAuthorizationMessage(world.secrets, ACCOUNT_A, DETAILS);
  const user = await world.createUser('nobody');
  await rejects(world.sts(await world.signIn(user.credentials), 'DecodeAuthorizationMessage', { EncodedMessage: encoded }), 'AccessDenied', /sts:DecodeAuthorizationMessage on resource: \*/);
  const invalid = 'The encoded authorization message is invalid.';
  const root = world.root();
  const foreign = encodeAuthorizationMessage(new World().secrets, ACCOUNT_A, DETAILS);
  const tampered = `${encoded.slice(0, 30)}${encoded[30] === 'A' ? 'B' : 'A'}${encoded.slice(31)}`;
  for (const EncodedMessage of [foreign, tampered, 'garbage', 'bm90IGEgbWVzc2FnZQ==']) {
    await rejects(world.sts(root, 'DecodeAuthorizationMessage', { EncodedMessage }), 'InvalidAuthorizationMessageException', invalid);
  }
  await rejects(world.sts(world.root(ACCOUNT_B), 'DecodeAuthorizationMessage', { EncodedMessage: encoded }), 'InvalidAuthorizationMessageException', invalid);
  assert.ok(await world.sts(root, 'DecodeAuthorizationMessage', { EncodedMessage: encoded }));
});

// STS GetFederationToken (API_GetFederationToken.html; id_credentials_temp_control-access_getfederationtoken.html):
// federated-user sessions `arn:aws:sts::ACCOUNT:federated-user/NAME` from long-term user (or root)
// credentials, whose permissions are the user's policies ∩ the passed session policies (none passed ⇒ no
// permissions, but a resource-based policy naming the session still grants), with no IAM API and no STS
// API but GetCallerIdentity, 900..129,600 s (root: one hour at most), the packed-size limit and session tags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ACCOUNT_A, World, policy, rejects } from './fixtures.js';

const USER_POLICY = policy(
  { Effect: 'Allow', Action: 'sts:GetFederationToken', Resource: `arn:aws:sts::${ACCOUNT_A}:federated-user/*` },
  { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 'iam:ListRoles'], Resource: '*' },
);
const READ_ONLY = policy({ Effect: 'Allow', Action: ['s3:GetObject', 'ec2:DescribeInstances'], Resource: '*' });
const OBJECT = { action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/key' };

async function broker(world: World) {
  const user = await world.createUser('broker', { broker: USER_POLICY });
  return { user, context: await world.signIn(user.credentials) };
}

test('GetFederationToken answers FederatedUser {FederatedUserId ACCOUNT:NAME, Arn arn:aws:sts::ACCOUNT:federated-user/NAME}, 12 hours by default', async () => {
  const world = new World();
  const { context } = await broker(world);
  const out = await world.sts(context, 'GetFederationToken', { Name: 'Bob', Policy: READ_ONLY });
  assert.deepEqual(out.FederatedUser, { FederatedUserId: `${ACCOUNT_A}:Bob`, Arn: `arn:aws:sts::${ACCOUNT_A}:federated-user/Bob` });
  assert.match(out.Credentials.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.equal(out.Credentials.Expiration, '2025-03-04T17:06:07Z');
  assert.equal(typeof out.PackedPolicySize, 'number');
  const session = await world.signIn(out.Credentials);
  assert.equal(session.caller.kind, 'federated-user');
  assert.deepEqual(await world.sts(session, 'GetCallerIdentity'), { UserId: `${ACCOUNT_A}:Bob`, Account: ACCOUNT_A, Arn: `arn:aws:sts::${ACCOUNT_A}:federated-user/Bob` });
});

test('"the session permissions are the intersection of the IAM user policies and the session policies that you pass"', async () => {
  const world = new World();
  const { context } = await broker(world);
  const session = await world.signIn((await world.sts(context, 'GetFederationToken', { Name: 'Bob', Policy: READ_ONLY })).Credentials);
  assert.equal(await world.allowed(session, OBJECT), true, 'in both');
  assert.equal(await world.allowed(session, { action: 's3:PutObject', resource: 'arn:aws:s3:::bucket/key' }), false, "the user's only");
  assert.equal(await world.allowed(session, { action: 'ec2:DescribeInstances', resource: '*' }), false, "the session policy's only: it can't grant more");
});

test('managed session policies (PolicyArns) narrow the session too, and must exist in the user\'s account', async () => {
  const world = new World();
  const { context } = await broker(world);
  const root = world.root();
  const { Policy } = await world.iam(root, 'CreatePolicy', { PolicyName: 'read', PolicyDocument: READ_ONLY });
  const out = await world.sts(context, 'GetFederationToken', { Name: 'Bob', PolicyArns: [{ arn: Policy.Arn }] });
  assert.equal(await world.allowed(await world.signIn(out.Credentials), OBJECT), true);
  await rejects(
    world.sts(context, 'GetFederationToken', { Name: 'Bob', PolicyArns: [{ arn: 'arn:aws:iam::222222222222:policy/read' }] }),
    'InvalidParameterValue',
    'Policy arn:aws:iam::222222222222:policy/read does not exist or is not attachable.',
  );
});

test('"if you do not pass a policy, then the resulting federated user session has no permissions"', async () => {
  const world = new World();
  const { context } = await broker(world);
  const out = await world.sts(context, 'GetFederationToken', { Name: 'Bob' });
  assert.equal(out.PackedPolicySize, undefined);
  const session = await world.signIn(out.Credentials);
  assert.equal(await world.allowed(session, OBJECT), false);
});

test('"If that policy specifically references the federated user session in the Principal element of the policy, the session has the permissions allowed by the policy"', async () => {
  const world = new World();
  const { context } = await broker(world);
  const session = await world.signIn((await world.sts(context, 'GetFederationToken', { Name: 'Bob' })).Credentials);
  const bucketPolicy = (principal: string) => ({
    name: 'bucket policy',
    document: policy({ Effect: 'Allow', Principal: { AWS: principal }, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::bucket' }),
  });
  const listBucket = (principal: string) => ({ action: 's3:ListBucket', resource: 'arn:aws:s3:::bucket', resourcePolicy: bucketPolicy(principal) });
  assert.equal(await world.allowed(session, listBucket(`arn:aws:sts::${ACCOUNT_A}:federated-user/Bob`)), true, 'names the session');
  assert.equal(await world.allowed(session, listBucket(`arn:aws:sts::${ACCOUNT_A}:federated-user/Alice`)), false, 'names another session');
});

test('"You must call the GetFederationToken operation using the long-term security credentials of an IAM user": session credentials are refused', async () => {
  const world = new World();
  const { context } = await broker(world);
  const fromSessionToken = await world.signIn((await world.sts(context, 'GetSessionToken')).Credentials);
  await rejects(world.sts(fromSessionToken, 'GetFederationToken', { Name: 'Bob' }), 'AccessDenied', 'Cannot call GetFederationToken with session credentials');
  const role = await world.createRole('R', policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT_A }, Action: 'sts:AssumeRole' }));
  const roleSession = await world.signIn((await world.sts(await world.admin(), 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session' })).Credentials);
  await rejects(world.sts(roleSession, 'GetFederationToken', { Name: 'Bob' }), 'AccessDenied', 'Cannot call GetFederationToken with session credentials');
  const federated = await world.signIn((await world.sts(context, 'GetFederationToken', { Name: 'Bob', Policy: READ_ONLY })).Credentials);
  await rejects(world.sts(federated, 'GetFederationToken', { Name: 'Eve' }), 'AccessDenied', 'Cannot call GetFederationToken with session credentials');
});

test('the user needs sts:GetFederationToken on arn:aws:sts::ACCOUNT:federated-user/NAME', async () => {
  const world = new World();
  const user = await world.createUser('plain', { some: policy({ Effect: 'Allow', Action: 'sts:GetFederationToken', Resource: `arn:aws:sts::${ACCOUNT_A}:federated-user/Bob` }) });
  const context = await world.signIn(user.credentials);
  await world.sts(context, 'GetFederationToken', { Name: 'Bob' });
  await rejects(
    world.sts(context, 'GetFederationToken', { Name: 'Alice' }),
    'AccessDenied',
    `User: ${user.arn} is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::${ACCOUNT_A}:federated-user/Alice because no identity-based policy allows the sts:GetFederationToken action`,
  );
});

test('"You cannot call any IAM operations using the CLI or the AWS API" and "You cannot call any STS operations except GetCallerIdentity"', async () => {
  const world = new World();
  const { context } = await broker(world);
  const session = await world.signIn((await world.sts(context, 'GetFederationToken', { Name: 'Bob', Policy: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) })).Credentials);
  // The user's policy allows iam:ListRoles and the session policy allows everything: still refused.
  await rejects(world.iam(session, 'ListRoles', {}), 'InvalidClientTokenId', 'The security token included in the request is invalid');
  await rejects(world.sts(session, 'GetSessionToken'), 'AccessDenied', 'Cannot call GetSessionToken with session credentials');
  const role = await world.createRole('R', policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT_A }, Action: 'sts:AssumeRole' }));
  await rejects(world.sts(session, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session' }), 'AccessDenied', 'Cannot call AssumeRole with session credentials');
  assert.equal((await world.sts(session, 'GetCallerIdentity')).Arn, `arn:aws:sts::${ACCOUNT_A}:federated-user/Bob`);
});

test('"Acceptable durations for federation sessions range from 900 seconds (15 minutes) to 129,600 seconds (36 hours)"', async () => {
  const world = new World();
  const { context } = await broker(world);
  assert.equal((await world.sts(context, 'GetFederationToken', { Name: 'Bob', DurationSeconds: 900 })).Credentials.Expiration, '2025-03-04T05:21:07Z');
  assert.equal((await world.sts(context, 'GetFederationToken', { Name: 'Bob', DurationSeconds: 129_600 })).Credentials.Expiration, '2025-03-05T17:06:07Z');
  await rejects(
    world.sts(context, 'GetFederationToken', { Name: 'Bob', DurationSeconds: 129_601 }),
    'ValidationError',
    "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600",
  );
  await rejects(
    world.sts(context, 'GetFederationToken', { Name: 'B' }),
    'ValidationError',
    "1 validation error detected: Value 'B' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2",
  );
});

test('"Sessions obtained using root user credentials are restricted to a maximum of 3,600 seconds (one hour)": a longer one gets one hour', async () => {
  const world = new World();
  const root = world.root();
  const out = await world.sts(root, 'GetFederationToken', { Name: 'Ops', DurationSeconds: 129_600, Policy: READ_ONLY });
  assert.equal(out.Credentials.Expiration, '2025-03-04T06:06:07Z');
  const session = await world.signIn(out.Credentials);
  // Root is limited by no policy: the session has what its session policy allows.
  assert.equal(await world.allowed(session, OBJECT), true);
  assert.equal(await world.allowed(session, { action: 's3:PutObject', resource: 'arn:aws:s3:::bucket/key' }), false);
});

test('the federated user\'s permissions follow the user: a user deleted (or replaced) leaves the session without any', async () => {
  const world = new World();
  const { user, context } = await broker(world);
  const session = await world.signIn((await world.sts(context, 'GetFederationToken', { Name: 'Bob', Policy: READ_ONLY })).Credentials);
  const root = world.root();
  await world.iam(root, 'DeleteUserPolicy', { UserName: 'broker', PolicyName: 'broker' });
  assert.equal(await world.allowed(session, OBJECT), false, 'the user lost the permission');
  await world.iam(root, 'PutUserPolicy', { UserName: 'broker', PolicyName: 'broker', PolicyDocument: USER_POLICY });
  assert.equal(await world.allowed(session, OBJECT), true);
  await world.iam(root, 'DeleteAccessKey', { UserName: 'broker', AccessKeyId: user.credentials.AccessKeyId });
  await world.iam(root, 'DeleteUserPolicy', { UserName: 'broker', PolicyName: 'broker' });
  await world.iam(root, 'DeleteUser', { UserName: 'broker' });
  await world.iam(root, 'CreateUser', { UserName: 'broker' });
  await world.iam(root, 'PutUserPolicy', { UserName: 'broker', PolicyName: 'broker', PolicyDocument: USER_POLICY });
  assert.equal(await world.allowed(session, OBJECT), false, 'a same-named successor is another user');
});

test('session tags: need sts:TagSession, "session tags override a user tag with the same key", aws:userid is ACCOUNT:NAME and there is no aws:username', async () => {
  const world = new World();
  const root = world.root();
  const { user, context } = await broker(world);
  await world.iam(root, 'TagUser', { UserName: 'broker', Tags: [{ Key: 'Department', Value: 'Marketing' }, { Key: 'team', Value: 'red' }] });
  const tags = [{ Key: 'department', Value: 'engineering' }];
  await rejects(
    world.sts(context, 'GetFederationToken', { Name: 'Bob', Tags: tags }),
    'AccessDenied',
    `User: ${user.arn} is not authorized to perform: sts:TagSession on resource: arn:aws:sts::${ACCOUNT_A}:federated-user/Bob because no identity-based policy allows the sts:TagSession action`,
  );
  await world.iam(root, 'PutUserPolicy', { UserName: 'broker', PolicyName: 'tag', PolicyDocument: policy({ Effect: 'Allow', Action: 'sts:TagSession', Resource: '*' }) });
  const out = await world.sts(context, 'GetFederationToken', { Name: 'Bob', Tags: tags, Policy: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) });
  assert.equal(typeof out.PackedPolicySize, 'number');
  const session = await world.signIn(out.Credentials);
  const condition = (key: string, value: string) => ({
    ...OBJECT,
    resourcePolicy: {
      name: 'bucket policy',
      document: policy({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { [key]: value } } }),
    },
  });
  assert.equal(await world.allowed(session, condition('aws:PrincipalTag/Department', 'engineering')), false, 'the session tag overrides');
  assert.equal(await world.allowed(session, condition('aws:PrincipalTag/team', 'red')), false, "the user's other tags stay");
  assert.equal(await world.allowed(session, condition('aws:userid', `${ACCOUNT_A}:Bob`)), false);
  assert.equal(await world.allowed(session, condition('aws:PrincipalArn', `arn:aws:sts::${ACCOUNT_A}:federated-user/Bob`)), false);
  const noUsername = { ...OBJECT, resourcePolicy: { name: 'p', document: policy({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { Null: { 'aws:username': 'false' } } }) } };
  assert.equal(await world.allowed(session, noUsername), true, 'aws:username is absent');
});

test('the packed-size limit: "Packed policy consumes N% of allotted space, please use smaller policy."', async () => {
  const world = new World();
  const { context } = await broker(world);
  // Under the 2,048-character plaintext limit, but of little redundancy: it packs too large.
  const random = Array.from({ length: 28 }, (_, i) => `arn:aws:s3:::${createHash('sha256').update(String(i)).digest('base64url').slice(0, 50)}`);
  const big = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: random });
  await rejects(world.sts(context, 'GetFederationToken', { Name: 'Bob', Policy: big }), 'PackedPolicyTooLarge', /^Packed policy consumes \d+% of allotted space, please use smaller policy\.$/);
  await rejects(world.sts(context, 'GetFederationToken', { Name: 'Bob', Policy: '{"Version":"2012-10-17"' }), 'MalformedPolicyDocument', /.+/);
});

// STS AssumeRole as AWS documents it (API_AssumeRole.html; id_roles_use.html; id_roles_create_for-user_
// externalid.html; reference_policies_evaluation-logic-cross-account.html; id_session-tags.html;
// id_credentials_temp_control-access_monitor.html), over a real in-memory store: the trust decision, the
// request's STS condition keys, durations and the chaining cap, session policies, session tags and source
// identity — and how the resulting session is authorized afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_A, ACCOUNT_B, NOW, World, policy, rejects } from './fixtures.js';

const ALLOW_ALL_STS = policy({ Effect: 'Allow', Action: 'sts:*', Resource: '*' });
const trustAccount = (account: string, actions: string[] = ['sts:AssumeRole'], condition?: object) =>
  policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: actions, ...(condition ? { Condition: condition } : {}) });
const trustPrincipal = (arn: string, actions: string[] = ['sts:AssumeRole'], condition?: object) =>
  policy({ Effect: 'Allow', Principal: { AWS: arn }, Action: actions, ...(condition ? { Condition: condition } : {}) });
/** Deterministic pseudo-random lower-case names (a linear congruential generator): text that packs poorly. */
let seed = 20250304;
function randomName(length: number): string {
  let name = '';
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    name += 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(seed / 65536) % 36];
  }
  return name;
}
const denied = (caller: string, action: string, role: string) => `User: ${caller} is not authorized to perform: ${action} on resource: ${role}`;

async function userAndRole(world: World, trust: (userArn: string) => string, userPolicies: Record<string, string> = {}, roleInline: Record<string, string> = {}) {
  const user = await world.createUser('alice', userPolicies);
  const role = await world.createRole('Deploy', trust(user.arn), { inline: roleInline });
  return { user, role, alice: await world.signIn(user.credentials) };
}

test('same account: a trust policy naming the user suffices, without any identity policy (API_AssumeRole.html)', async () => {
  const world = new World();
  const { role, alice } = await userAndRole(world, (arn) => trustPrincipal(arn));
  const out = await world.sts(alice, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'ci' });
  assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT_A}:assumed-role/Deploy/ci`);
  assert.equal(out.AssumedRoleUser.AssumedRoleId, `${role.RoleId}:ci`);
  assert.match(out.Credentials.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.equal(out.Credentials.Expiration, '2025-03-04T06:06:07Z', 'DurationSeconds defaults to 3600');
  assert.equal(out.PackedPolicySize, undefined, 'no packed size without session policies or tags');
  const session = await world.signIn(out.Credentials);
  const identity = await world.sts(session, 'GetCallerIdentity');
  assert.deepEqual(identity, { UserId: `${role.RoleId}:ci`, Account: ACCOUNT_A, Arn: `arn:aws:sts::${ACCOUNT_A}:assumed-role/Deploy/ci` });
});

test("same account: a trust policy naming the account delegates to the caller's identity policies", async () => {
  const world = new World();
  const { role, alice, user } = await userAndRole(world, () => trustAccount(ACCOUNT_A));
  await rejects(world.sts(alice, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'ci' }), 'AccessDenied', denied(user.arn, 'sts:AssumeRole', role.Arn));
  await world.iam(world.root(), 'PutUserPolicy', { UserName: 'alice', PolicyName: 'assume', PolicyDocument: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: role.Arn }) });
  const out = await world.sts(alice, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'ci' });
  assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT_A}:assumed-role/Deploy/ci`);
});

test('an identity allow alone never assumes a role the trust policy does not trust', async () => {
  const world = new World();
  // The trusted user must exist: IAM refuses a trust policy naming a missing one (Invalid principal in policy).
  const someoneElse = await world.createUser('someone-else');
  const { role, alice, user } = await userAndRole(world, () => trustPrincipal(someoneElse.arn), { all: ALLOW_ALL_STS });
  await rejects(world.sts(alice, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'ci' }), 'AccessDenied', denied(user.arn, 'sts:AssumeRole', role.Arn));
});

test('a missing role is the same AccessDenied as an untrusting one (nothing about the role leaks)', async () => {
  const world = new World();
  const user = await world.createUser('alice', { all: ALLOW_ALL_STS });
  const alice = await world.signIn(user.credentials);
  const arn = `arn:aws:iam::${ACCOUNT_A}:role/Nope`;
  await rejects(world.sts(alice, 'AssumeRole', { RoleArn: arn, RoleSessionName: 'ci' }), 'AccessDenied', denied(user.arn, 'sts:AssumeRole', arn));
  // A role's ARN includes its path: the right name under a wrong path is no role.
  await world.createRole('Pathed', trustAccount(ACCOUNT_A), { more: { Path: '/team/' } });
  const wrongPath = `arn:aws:iam::${ACCOUNT_A}:role/Pathed`;
  await rejects(world.sts(alice, 'AssumeRole', { RoleArn: wrongPath, RoleSessionName: 'ci' }), 'AccessDenied', denied(user.arn, 'sts:AssumeRole', wrongPath));
  const out = await world.sts(alice, 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT_A}:role/team/Pathed`, RoleSessionName: 'ci' });
  assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT_A}:assumed-role/Pathed/ci`, 'the session ARN has no path');
});

test('sts:ExternalId: the right ExternalId assumes, a wrong or missing one is denied (id_roles_create_for-user_externalid.html)', async () => {
  const world = new World();
  const condition = { StringEquals: { 'sts:ExternalId': 'unique-external-id-12345' } };
  const { role, alice, user } = await userAndRole(world, (arn) => trustPrincipal(arn, ['sts:AssumeRole'], condition));
  for (const ExternalId of [undefined, 'wrong-id-0000']) {
    await rejects(
      world.sts(alice, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'ci', ...(ExternalId ? { ExternalId } : {}) }),
      'AccessDenied',
      denied(user.arn, 'sts:AssumeRole', role.Arn),
    );
  }
  const out = await world.sts(alice, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'ci', ExternalId: 'unique-external-id-12345' });
  assert.ok(out.Credentials.SessionToken);
});

test('sts:RoleSessionName is in the request context of the trust decision', async () => {
  const world = new World();
  const { role, alice, user } = await userAndRole(world, (arn) => trustPrincipal(arn, ['sts:AssumeRole'], { StringEquals: { 'sts:RoleSessionName': '${aws:username}' } }));
  await rejects(world.sts(alice, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'bob' }), 'AccessDenied', denied(user.arn, 'sts:AssumeRole', role.Arn));
  assert.ok(await world.sts(alice, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'alice' }));
});

test('cross account (seed 003): the trust policy names the role in account A, and that role must also be allowed', async () => {
  const world = new World();
  const deployment = await world.createRole('DeploymentRole', trustAccount(ACCOUNT_A), { account: ACCOUNT_A });
  const target = await world.createRole('CrossAccountRole', trustPrincipal(deployment.Arn, ['sts:AssumeRole'], { StringEquals: { 'sts:ExternalId': 'unique-external-id-for-this-relationship' } }), {
    account: ACCOUNT_B,
  });
  const first = await world.sts(await world.admin(ACCOUNT_A), 'AssumeRole', { RoleArn: deployment.Arn, RoleSessionName: 'deploy' });
  const session = await world.signIn(first.Credentials);
  const sessionArn = `arn:aws:sts::${ACCOUNT_A}:assumed-role/DeploymentRole/deploy`;
  const input = { RoleArn: target.Arn, RoleSessionName: 'cross', ExternalId: 'unique-external-id-for-this-relationship' };
  // Trusted by account B, but DeploymentRole's own policies don't allow sts:AssumeRole: denied.
  await rejects(world.sts(session, 'AssumeRole', input), 'AccessDenied', denied(sessionArn, 'sts:AssumeRole', target.Arn));
  await world.iam(world.root(ACCOUNT_A), 'PutRolePolicy', {
    RoleName: 'DeploymentRole',
    PolicyName: 'assume-cross',
    PolicyDocument: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${ACCOUNT_B}:role/CrossAccountRole` }),
  });
  await rejects(world.sts(session, 'AssumeRole', { ...input, ExternalId: 'guess' }), 'AccessDenied', denied(sessionArn, 'sts:AssumeRole', target.Arn));
  const out = await world.sts(session, 'AssumeRole', input);
  assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT_B}:assumed-role/CrossAccountRole/cross`);
  const crossed = await world.signIn(out.Credentials);
  assert.equal(crossed.caller.accountId, ACCOUNT_B, 'the session acts in the role account');
});

test('cross account: a user of another account, allowed by its own policy but not trusted, is denied', async () => {
  const world = new World();
  const user = await world.createUser('mallory', { all: ALLOW_ALL_STS }, ACCOUNT_B);
  const role = await world.createRole('Deploy', trustAccount(ACCOUNT_A));
  const mallory = await world.signIn(user.credentials);
  await rejects(world.sts(mallory, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'denied' }), 'AccessDenied', denied(user.arn, 'sts:AssumeRole', role.Arn));
});

test("DurationSeconds: up to the role's MaxSessionDuration, with AWS's ValidationError above it", async () => {
  const world = new World();
  const user = await world.createUser('alice');
  const role = await world.createRole('Long', trustPrincipal(user.arn), { more: { MaxSessionDuration: 7200 } });
  const alice = await world.signIn(user.credentials);
  const out = await world.sts(alice, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'ci', DurationSeconds: 7200 });
  assert.equal(out.Credentials.Expiration, '2025-03-04T07:06:07Z');
  const minimum = await world.sts(alice, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'ci', DurationSeconds: 900 });
  assert.equal(minimum.Credentials.Expiration, '2025-03-04T05:21:07Z');
  await rejects(
    world.sts(alice, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'ci', DurationSeconds: 7201 }),
    'ValidationError',
    'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
  );
});

test('role chaining: a role session may assume a role for at most one hour (id_roles_terms-and-concepts.html)', async () => {
  const world = new World();
  const first = await world.createRole('First', trustAccount(ACCOUNT_A), { inline: { chain: ALLOW_ALL_STS } });
  const second = await world.createRole('Second', trustPrincipal(first.Arn), { more: { MaxSessionDuration: 43200 } });
  const outer = await world.sts(await world.admin(), 'AssumeRole', { RoleArn: first.Arn, RoleSessionName: 'outer' });
  const session = await world.signIn(outer.Credentials);
  await rejects(
    world.sts(session, 'AssumeRole', { RoleArn: second.Arn, RoleSessionName: 'inner', DurationSeconds: 3601 }),
    'ValidationError',
    'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
  );
  const inner = await world.sts(session, 'AssumeRole', { RoleArn: second.Arn, RoleSessionName: 'inner', DurationSeconds: 3600 });
  assert.equal(inner.Credentials.Expiration, '2025-03-04T06:06:07Z');
  // The root user's own session of a role is no chain: up to the role's 12 hours.
  const long = await world.createRole('Long', trustAccount(ACCOUNT_A), { more: { MaxSessionDuration: 43200 } });
  const direct = await world.sts(await world.admin(), 'AssumeRole', { RoleArn: long.Arn, RoleSessionName: 'direct', DurationSeconds: 43200 });
  assert.equal(direct.Credentials.Expiration, '2025-03-04T17:06:07Z');
});

test('a session policy narrows the session to the intersection with the role policies (access_policies.html#policies_session)', async () => {
  const world = new World();
  const role = await world.createRole('Admin', trustAccount(ACCOUNT_A), { inline: { all: policy({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }) } });
  const narrow = policy({ Effect: 'Allow', Action: ['iam:ListRoles', 'iam:GetRole', 's3:*'], Resource: '*' });
  const out = await world.sts(await world.admin(), 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'narrow', Policy: narrow });
  assert.ok(out.PackedPolicySize > 0 && out.PackedPolicySize <= 100, `PackedPolicySize ${out.PackedPolicySize}`);
  const session = await world.signIn(out.Credentials);
  const listed = await world.iam(session, 'ListRoles', {});
  assert.equal(listed.Roles.length, 1);
  await rejects(
    world.iam(session, 'CreateUser', { UserName: 'x' }),
    'AccessDenied',
    `User: arn:aws:sts::${ACCOUNT_A}:assumed-role/Admin/narrow is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT_A}:user/x because no session policy allows the iam:CreateUser action`,
  );
  // s3:* in the session policy grants nothing the role lacks.
  assert.equal(await world.allowed(session, { action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/key' }), false);
});

test('managed session policies (PolicyArns): must exist in the role account; the union of session policies caps the session', async () => {
  const world = new World();
  const root = await world.admin();
  const role = await world.createRole('Admin', trustAccount(ACCOUNT_A), { inline: { all: policy({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }) } });
  const { Policy } = await world.iam(root, 'CreatePolicy', { PolicyName: 'ListOnly', PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:List*', Resource: '*' }) });
  const out = await world.sts(root, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'managed', PolicyArns: [{ arn: Policy.Arn }, { arn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }] });
  const session = await world.signIn(out.Credentials);
  assert.equal(await world.allowed(session, { action: 'iam:ListUsers', resource: '*' }), true);
  assert.equal(await world.allowed(session, { action: 'iam:GetRole', resource: role.Arn }), true, 'IAMReadOnlyAccess allows iam:Get*');
  assert.equal(await world.allowed(session, { action: 'iam:DeleteRole', resource: role.Arn }), false);
  const missing = `arn:aws:iam::${ACCOUNT_A}:policy/Nope`;
  await rejects(world.sts(root, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'managed', PolicyArns: [{ arn: missing }] }), 'InvalidParameterValue', `Policy ${missing} does not exist or is not attachable.`);
  const otherAccount = `arn:aws:iam::${ACCOUNT_B}:policy/ListOnly`;
  await rejects(world.sts(root, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'managed', PolicyArns: [{ arn: otherAccount }] }), 'InvalidParameterValue', `Policy ${otherAccount} does not exist or is not attachable.`);
  const eleven = Array.from({ length: 11 }, () => ({ arn: Policy.Arn }));
  await rejects(world.sts(root, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'managed', PolicyArns: eleven }), 'ValidationError', /at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10$/);
  // A managed session policy deleted after the session began allows nothing any more.
  const only = await world.signIn((await world.sts(root, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'only', PolicyArns: [{ arn: Policy.Arn }] })).Credentials);
  assert.equal(await world.allowed(only, { action: 'iam:ListUsers', resource: '*' }), true);
  await world.iam(root, 'DeletePolicy', { PolicyArn: Policy.Arn });
  assert.equal(await world.allowed(only, { action: 'iam:ListUsers', resource: '*' }), false);
});

test('the inline session policy is validated as a session policy: MalformedPolicyDocument, and 2,048 characters at most', async () => {
  const world = new World();
  const role = await world.createRole('R', trustAccount(ACCOUNT_A));
  const root = await world.admin();
  await rejects(world.sts(root, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session', Policy: '{"Version":"2012-10-17"' }), 'MalformedPolicyDocument', /.+/);
  await rejects(
    world.sts(root, 'AssumeRole', {
      RoleArn: role.Arn,
      RoleSessionName: 'session',
      Policy: policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }),
    }),
    'MalformedPolicyDocument',
    'Policy document should not specify a principal.',
  );
  const long = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'b'.repeat(2000)}/*` });
  await rejects(world.sts(root, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session', Policy: long }), 'ValidationError', /at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048$/);
});

test('PackedPolicyTooLarge: policies and tags that pack beyond the budget fail with the percentage (iam-role-aws-sts-error)', async () => {
  const world = new World();
  const role = await world.createRole('R', trustAccount(ACCOUNT_A, ['sts:AssumeRole', 'sts:TagSession']));
  const root = await world.admin();
  // Little redundancy: distinct pseudo-random bucket names, under the 2,048-character limit.
  const resources = Array.from({ length: 22 }, () => `arn:aws:s3:::${randomName(64)}`);
  const dense = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: resources });
  assert.ok(dense.length <= 2048, `policy of ${dense.length} characters`);
  await rejects(world.sts(root, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session', Policy: dense }), 'PackedPolicyTooLarge', /^Packed policy consumes (1\d\d)% of allotted space, please use smaller policy\.$/);
  const tags = Array.from({ length: 50 }, () => ({ Key: randomName(40), Value: randomName(60) }));
  await rejects(world.sts(root, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session', Tags: tags }), 'PackedPolicyTooLarge', /^Packed size of session tags consumes (1\d\d|[2-9]\d\d)% of allotted space\.$/);
  const small = await world.sts(root, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session', Tags: [{ Key: 'team', Value: 'a' }] });
  assert.ok(small.PackedPolicySize >= 1 && small.PackedPolicySize < 10, `PackedPolicySize ${small.PackedPolicySize}`);
});

test('session tags need sts:TagSession; they become aws:PrincipalTag over the role tags, regardless of case (id_session-tags.html)', async () => {
  const world = new World();
  const user = await world.createUser('alice');
  const alice = await world.signIn(user.credentials);
  const abac = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/Department': 'engineering' } } });
  const untagged = await world.createRole('NoTagSession', trustPrincipal(user.arn), { inline: { abac } });
  await rejects(
    world.sts(alice, 'AssumeRole', { RoleArn: untagged.Arn, RoleSessionName: 'session', Tags: [{ Key: 'department', Value: 'engineering' }] }),
    'AccessDenied',
    denied(user.arn, 'sts:TagSession', untagged.Arn),
  );
  const role = await world.createRole('Tagged', trustPrincipal(user.arn, ['sts:AssumeRole', 'sts:TagSession']), { inline: { abac }, more: { Tags: [{ Key: 'Department', Value: 'Marketing' }] } });
  const plain = await world.signIn((await world.sts(alice, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'plain' })).Credentials);
  assert.equal(await world.allowed(plain, { action: 's3:GetObject', resource: '*' }), false, 'the role tag says Marketing');
  const out = await world.sts(alice, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session', Tags: [{ Key: 'department', Value: 'engineering' }] });
  assert.ok(out.PackedPolicySize > 0);
  const tagged = await world.signIn(out.Credentials);
  assert.equal(await world.allowed(tagged, { action: 's3:GetObject', resource: '*' }), true, 'the session tag overrides the role tag');
});

test('session tags: duplicate keys ignoring case, and the aws: prefix, are refused', async () => {
  const world = new World();
  const role = await world.createRole('R', trustAccount(ACCOUNT_A, ['sts:AssumeRole', 'sts:TagSession']));
  const root = await world.admin();
  await rejects(
    world.sts(root, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session', Tags: [{ Key: 'Team', Value: 'a' }, { Key: 'team', Value: 'b' }] }),
    'InvalidParameterValue',
    'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
  );
  await rejects(world.sts(root, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session', Tags: [{ Key: 'aws:team', Value: 'a' }] }), 'InvalidParameterValue', /reserved for AWS use/);
});

test('aws:RequestTag, aws:TagKeys and sts:TransitiveTagKeys decide sts:TagSession in the trust policy', async () => {
  const world = new World();
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_A}:root` }, Action: 'sts:AssumeRole' },
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT_A}:root` },
        Action: 'sts:TagSession',
        Condition: {
          StringEquals: { 'aws:RequestTag/Department': ['Engineering', 'Marketing'] },
          'ForAllValues:StringEquals': { 'sts:TransitiveTagKeys': ['Department'], 'aws:TagKeys': ['Department', 'Project'] },
        },
      },
    ],
  });
  const role = await world.createRole('R', trust);
  const root = await world.admin();
  const call = (Tags: object[], TransitiveTagKeys?: string[]) =>
    world.sts(root, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session', Tags, ...(TransitiveTagKeys ? { TransitiveTagKeys } : {}) });
  assert.ok(await call([{ Key: 'Department', Value: 'Engineering' }, { Key: 'Project', Value: 'x' }], ['Department']));
  await rejects(call([{ Key: 'Department', Value: 'Sales' }]), 'AccessDenied', /sts:TagSession/);
  await rejects(call([{ Key: 'Department', Value: 'Engineering' }, { Key: 'Project', Value: 'x' }], ['Project']), 'AccessDenied', /sts:TagSession/);
  await rejects(call([{ Key: 'Department', Value: 'Engineering' }, { Key: 'Cost', Value: '1' }]), 'AccessDenied', /sts:TagSession/);
});

test('transitive tags persist through a role chain and cannot be overridden there (id_session-tags.html#id_session-tags_role-chaining)', async () => {
  const world = new World();
  const chain = policy({ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' });
  const role1 = await world.createRole('Role1', trustAccount(ACCOUNT_A, ['sts:AssumeRole', 'sts:TagSession']), { inline: { chain } });
  const role2 = await world.createRole('Role2', trustPrincipal(`arn:aws:iam::${ACCOUNT_A}:role/Role1`, ['sts:AssumeRole', 'sts:TagSession']), {
    inline: { chain },
    more: { Tags: [{ Key: 'Sun', Value: '2' }] },
  });
  const role3 = await world.createRole('Role3', trustPrincipal(`arn:aws:iam::${ACCOUNT_A}:role/Role2`, ['sts:AssumeRole', 'sts:TagSession']), {
    inline: {
      check: policy({ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/Star': '1', 'aws:PrincipalTag/Heart': '1', 'aws:PrincipalTag/Lightning': '3' } } }),
    },
    more: { Tags: [{ Key: 'Star', Value: '3' }, { Key: 'Lightning', Value: '3' }] },
  });
  const first = await world.sts(await world.admin(), 'AssumeRole', {
    RoleArn: role1.Arn,
    RoleSessionName: 'Session1',
    Tags: [{ Key: 'Star', Value: '1' }, { Key: 'Heart', Value: '1' }, { Key: 'Moon', Value: '1' }],
    TransitiveTagKeys: ['Star', 'Heart'],
  });
  const session1 = await world.signIn(first.Credentials);
  const second = await world.sts(session1, 'AssumeRole', { RoleArn: role2.Arn, RoleSessionName: 'Session2' });
  const session2 = await world.signIn(second.Credentials);
  assert.deepEqual(session2.caller.session?.tags, [{ Key: 'Star', Value: '1' }, { Key: 'Heart', Value: '1' }], 'Moon was not transitive');
  await rejects(world.sts(session2, 'AssumeRole', { RoleArn: role3.Arn, RoleSessionName: 'Session3', Tags: [{ Key: 'heart', Value: '3' }] }), 'InvalidParameterValue', /Heart|heart/);
  const third = await world.sts(session2, 'AssumeRole', { RoleArn: role3.Arn, RoleSessionName: 'Session3' });
  const session3 = await world.signIn(third.Credentials);
  // Star = 1 (inherited) overrides the role's Star = 3; the role's Lightning tag applies.
  assert.equal(await world.allowed(session3, { action: 's3:ListBucket', resource: '*' }), true);
});

test('inherited transitive tags are tags set on the chained session: the next trust policy must allow sts:TagSession', async () => {
  const world = new World();
  const first = await world.createRole('First', trustAccount(ACCOUNT_A, ['sts:AssumeRole', 'sts:TagSession']), { inline: { chain: ALLOW_ALL_STS } });
  const second = await world.createRole('Second', trustPrincipal(first.Arn));
  const outer = await world.sts(await world.admin(), 'AssumeRole', { RoleArn: first.Arn, RoleSessionName: 'pod', Tags: [{ Key: 'cluster', Value: 'prod' }], TransitiveTagKeys: ['cluster'] });
  const session = await world.signIn(outer.Credentials);
  await rejects(
    world.sts(session, 'AssumeRole', { RoleArn: second.Arn, RoleSessionName: 'next' }),
    'AccessDenied',
    denied(`arn:aws:sts::${ACCOUNT_A}:assumed-role/First/pod`, 'sts:TagSession', second.Arn),
  );
});

test('SourceIdentity: needs sts:SetSourceIdentity, is aws:SourceIdentity afterwards, and is fixed for the chain', async () => {
  const world = new World();
  const user = await world.createUser('DevUser', { all: ALLOW_ALL_STS });
  const dev = await world.signIn(user.credentials);
  const noSet = await world.createRole('NoSet', trustPrincipal(user.arn));
  await rejects(world.sts(dev, 'AssumeRole', { RoleArn: noSet.Arn, RoleSessionName: 'session', SourceIdentity: 'DevUser' }), 'AccessDenied', denied(user.arn, 'sts:SetSourceIdentity', noSet.Arn));
  const role = await world.createRole('Developer_Role', trustPrincipal(user.arn, ['sts:AssumeRole', 'sts:SetSourceIdentity'], { StringEquals: { 'sts:SourceIdentity': '${aws:username}' } }), {
    inline: { chain: ALLOW_ALL_STS, audited: policy({ Effect: 'Allow', Action: 's3:PutObject', Resource: '*', Condition: { StringEquals: { 'aws:SourceIdentity': 'DevUser' } } }) },
  });
  await rejects(world.sts(dev, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session', SourceIdentity: 'Someone' }), 'AccessDenied', denied(user.arn, 'sts:AssumeRole', role.Arn));
  const out = await world.sts(dev, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session', SourceIdentity: 'DevUser' });
  assert.equal(out.SourceIdentity, 'DevUser');
  const session = await world.signIn(out.Credentials);
  assert.equal(await world.allowed(session, { action: 's3:PutObject', resource: '*' }), true);

  const next = await world.createRole('Next', trustPrincipal(role.Arn, ['sts:AssumeRole', 'sts:SetSourceIdentity']));
  await rejects(world.sts(session, 'AssumeRole', { RoleArn: next.Arn, RoleSessionName: 'next', SourceIdentity: 'Other' }), 'InvalidParameterValue', /source identity/);
  const same = await world.sts(session, 'AssumeRole', { RoleArn: next.Arn, RoleSessionName: 'next', SourceIdentity: 'DevUser' });
  assert.equal(same.SourceIdentity, 'DevUser');
  const inherited = await world.sts(session, 'AssumeRole', { RoleArn: next.Arn, RoleSessionName: 'next' });
  assert.equal(inherited.SourceIdentity, 'DevUser', 'omitted: the chain keeps it');
  assert.equal((await world.signIn(inherited.Credentials)).caller.session?.sourceIdentity, 'DevUser');
});

test("a role session's request context: aws:PrincipalArn is the role ARN with its path, aws:userid, aws:TokenIssueTime, aws:MultiFactorAuthPresent false (reference_policies_condition-keys.html)", async () => {
  const world = new World();
  const role = await world.createRole('Ops', trustAccount(ACCOUNT_A), {
    more: { Path: '/platform/' },
    inline: {
      keyed: policy({
        Effect: 'Allow',
        Action: 'iam:ListRoles',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT_A}:role/platform/Ops`, 'aws:PrincipalType': 'AssumedRole' },
          StringLike: { 'aws:userid': 'AROA*:on-call' },
          DateGreaterThanEquals: { 'aws:TokenIssueTime': '2025-03-04T05:06:07Z' },
          // Temporary credentials that MFA did not authenticate carry aws:MultiFactorAuthPresent "false".
          Bool: { 'aws:MultiFactorAuthPresent': 'false' },
          Null: { 'aws:MultiFactorAuthAge': 'true', 'aws:username': 'true' },
        },
      }),
    },
  });
  const out = await world.sts(await world.admin(), 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'on-call' });
  const session = await world.signIn(out.Credentials);
  assert.ok(await world.iam(session, 'ListRoles', {}));
  assert.equal(session.caller.session?.issuedAt, '2025-03-04T05:06:07Z');
});

test('a deleted role, or a new role with the same name, leaves its sessions without permissions', async () => {
  const world = new World();
  const inline = { list: policy({ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }) };
  const role = await world.createRole('Temp', trustAccount(ACCOUNT_A), { inline });
  const session = await world.signIn((await world.sts(await world.admin(), 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session' })).Credentials);
  assert.equal(await world.allowed(session, { action: 'iam:ListRoles', resource: '*' }), true);
  const root = world.root();
  await world.iam(root, 'DeleteRolePolicy', { RoleName: 'Temp', PolicyName: 'list' });
  await world.iam(root, 'DeleteRole', { RoleName: 'Temp' });
  assert.equal(await world.allowed(session, { action: 'iam:ListRoles', resource: '*' }), false);
  // GetCallerIdentity needs no permission: the session still says who it is.
  assert.equal((await world.sts(session, 'GetCallerIdentity')).Arn, `arn:aws:sts::${ACCOUNT_A}:assumed-role/Temp/session`);
  await world.createRole('Temp', trustAccount(ACCOUNT_A), { inline });
  assert.equal(await world.allowed(session, { action: 'iam:ListRoles', resource: '*' }), false, 'the successor role has another id');
});

test('session credentials expire: ExpiredToken once the session is over', async () => {
  const world = new World();
  const role = await world.createRole('R', trustAccount(ACCOUNT_A));
  const out = await world.sts(await world.admin(), 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session', DurationSeconds: 900 });
  world.now = new Date(NOW.getTime() + 899_000);
  assert.ok(await world.signIn(out.Credentials));
  world.now = new Date(NOW.getTime() + 900_000);
  await rejects(world.signIn(out.Credentials), 'ExpiredToken', 'The security token included in the request is expired');
});

test('MFA: a trust policy requiring MFA denies a caller without it; a serial number that is not the caller\'s device is AccessDenied (more in mfa-sessions.test.ts)', async () => {
  const world = new World();
  const role = await world.createRole('Mfa', trustAccount(ACCOUNT_A, ['sts:AssumeRole'], { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }));
  const admin = await world.admin();
  await rejects(world.sts(admin, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session' }), 'AccessDenied', denied(admin.caller.arn, 'sts:AssumeRole', role.Arn));
  const open = await world.createRole('Open', trustAccount(ACCOUNT_A));
  await rejects(
    world.sts(admin, 'AssumeRole', { RoleArn: open.Arn, RoleSessionName: 'session', SerialNumber: `arn:aws:iam::${ACCOUNT_A}:mfa/admin`, TokenCode: '123456' }),
    'AccessDenied',
    'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.',
  );
});

test('the root user may not assume roles, even ones that trust it, nor may its GetSessionToken sessions', async () => {
  const world = new World();
  const role = await world.createRole('TrustsRoot', trustPrincipal(`arn:aws:iam::${ACCOUNT_A}:root`));
  const root = world.root();
  await rejects(world.sts(root, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session' }), 'AccessDenied', 'Roles may not be assumed by root accounts.');
  const session = await world.signIn((await world.sts(root, 'GetSessionToken')).Credentials);
  await rejects(world.sts(session, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session' }), 'AccessDenied', 'Roles may not be assumed by root accounts.');
  // A user of the account, trusted through the account, may.
  assert.ok(await world.sts(await world.admin(), 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session' }));
});

test("the caller's own session policies apply to its AssumeRole call", async () => {
  const world = new World();
  const first = await world.createRole('First', trustAccount(ACCOUNT_A), { inline: { chain: ALLOW_ALL_STS } });
  const second = await world.createRole('Second', trustAccount(ACCOUNT_A));
  const out = await world.sts(await world.admin(), 'AssumeRole', { RoleArn: first.Arn, RoleSessionName: 'narrow', Policy: policy({ Effect: 'Allow', Action: 'iam:List*', Resource: '*' }) });
  const session = await world.signIn(out.Credentials);
  await rejects(
    world.sts(session, 'AssumeRole', { RoleArn: second.Arn, RoleSessionName: 'denied' }),
    'AccessDenied',
    denied(`arn:aws:sts::${ACCOUNT_A}:assumed-role/First/narrow`, 'sts:AssumeRole', second.Arn),
  );
});

// Instance profiles as IAM documents them (API_CreateInstanceProfile.html, API_AddRoleToInstanceProfile.html,
// API_DeleteInstanceProfile.html, API_ListInstanceProfilesForRole.html, id_roles_use_switch-role-ec2.html;
// reference_iam-quotas.html: one role per instance profile), driven through the operations over a real
// in-memory SQLite store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, NOW, call, newContext, operation, rejects } from './fixtures.js';






const EC2_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

test('seed 001 EC2 pattern: a profile for EC2-AppServer-Role, visible from both sides', async () => {
  const context = newContext();
  await call(context, 'CreateRole', { RoleName: 'EC2-AppServer-Role', Path: '/app/', Description: 'Role for EC2 application servers', AssumeRolePolicyDocument: EC2_TRUST });
  const created = (await call(context, 'CreateInstanceProfile', { InstanceProfileName: 'EC2-AppServer-Profile', Path: '/app/' })).InstanceProfile;
  assert.match(created.InstanceProfileId, /^AIPA[A-Z2-7]{17}$/);
  assert.equal(created.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/app/EC2-AppServer-Profile`);
  assert.equal(created.CreateDate, NOW.toISOString());
  assert.deepEqual(created.Roles, []);

  await call(context, 'AddRoleToInstanceProfile', { InstanceProfileName: 'ec2-appserver-profile', RoleName: 'ec2-appserver-role' });
  const profile = (await call(context, 'GetInstanceProfile', { InstanceProfileName: 'EC2-AppServer-Profile' })).InstanceProfile;
  assert.equal(profile.Roles.length, 1);
  assert.equal(profile.Roles[0].RoleName, 'EC2-AppServer-Role');
  assert.equal(profile.Roles[0].Arn, `arn:aws:iam::${ACCOUNT}:role/app/EC2-AppServer-Role`);
  assert.equal(profile.Roles[0].AssumeRolePolicyDocument, EC2_TRUST);
  const forRole = await call(context, 'ListInstanceProfilesForRole', { RoleName: 'EC2-AppServer-Role' });
  assert.deepEqual(
    forRole.InstanceProfiles.map((item: { InstanceProfileName: string }) => item.InstanceProfileName),
    ['EC2-AppServer-Profile'],
  );
  assert.equal(forRole.IsTruncated, false);
});

test('AddRoleToInstanceProfile: one role per profile (InstanceSessionsPerInstanceProfile: 1, AWS-recorded responses, issue 11); missing entities', async () => {
  const context = newContext();
  await call(context, 'CreateRole', { RoleName: 'first', AssumeRolePolicyDocument: EC2_TRUST });
  await call(context, 'CreateRole', { RoleName: 'second', AssumeRolePolicyDocument: EC2_TRUST });
  await call(context, 'CreateInstanceProfile', { InstanceProfileName: 'web' });
  await call(context, 'AddRoleToInstanceProfile', { InstanceProfileName: 'web', RoleName: 'first' });
  await rejects(
    call(context, 'AddRoleToInstanceProfile', { InstanceProfileName: 'web', RoleName: 'second' }),
    'LimitExceeded',
    'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1',
  );
  await rejects(
    call(context, 'AddRoleToInstanceProfile', { InstanceProfileName: 'web', RoleName: 'first' }),
    'LimitExceeded',
    'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1',
  );
  await rejects(call(context, 'AddRoleToInstanceProfile', { InstanceProfileName: 'nope', RoleName: 'first' }), 'NoSuchEntity', 'Instance Profile nope cannot be found.');
  await rejects(call(context, 'AddRoleToInstanceProfile', { InstanceProfileName: 'web', RoleName: 'ghost' }), 'NoSuchEntity', 'The role with name ghost cannot be found.');
  // A role may sit in several profiles.
  await call(context, 'CreateInstanceProfile', { InstanceProfileName: 'batch' });
  await call(context, 'AddRoleToInstanceProfile', { InstanceProfileName: 'batch', RoleName: 'first' });
  const profiles = (await call(context, 'ListInstanceProfilesForRole', { RoleName: 'FIRST' })).InstanceProfiles;
  assert.deepEqual(
    profiles.map((item: { InstanceProfileName: string }) => item.InstanceProfileName),
    ['batch', 'web'],
  );
  assert.deepEqual((await call(context, 'ListInstanceProfilesForRole', { RoleName: 'second' })).InstanceProfiles, []);
  await rejects(call(context, 'ListInstanceProfilesForRole', { RoleName: 'ghost' }), 'NoSuchEntity', 'The role with name ghost cannot be found.');
});

test('DeleteInstanceProfile: DeleteConflict while it holds a role; RemoveRoleFromInstanceProfile empties it', async () => {
  const context = newContext();
  await call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: EC2_TRUST });
  await call(context, 'CreateInstanceProfile', { InstanceProfileName: 'app' });
  await call(context, 'AddRoleToInstanceProfile', { InstanceProfileName: 'app', RoleName: 'app' });
  await rejects(call(context, 'DeleteInstanceProfile', { InstanceProfileName: 'app' }), 'DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.');
  await call(context, 'RemoveRoleFromInstanceProfile', { InstanceProfileName: 'app', RoleName: 'APP' });
  assert.deepEqual((await call(context, 'GetInstanceProfile', { InstanceProfileName: 'app' })).InstanceProfile.Roles, []);
  await rejects(call(context, 'RemoveRoleFromInstanceProfile', { InstanceProfileName: 'app', RoleName: 'app' }), 'NoSuchEntity', 'The role with name app cannot be found.');
  await call(context, 'DeleteInstanceProfile', { InstanceProfileName: 'APP' });
  await rejects(call(context, 'GetInstanceProfile', { InstanceProfileName: 'app' }), 'NoSuchEntity', 'Instance Profile app cannot be found.');
  await rejects(call(context, 'DeleteInstanceProfile', { InstanceProfileName: 'app' }), 'NoSuchEntity', 'Instance Profile app cannot be found.');
  await call(context, 'DeleteRole', { RoleName: 'app' });
});

test('CreateInstanceProfile: names unique ignoring case; name and path follow the model', async () => {
  const context = newContext();
  await call(context, 'CreateInstanceProfile', { InstanceProfileName: 'Web' });
  await rejects(call(context, 'CreateInstanceProfile', { InstanceProfileName: 'web' }), 'EntityAlreadyExists', 'Instance Profile web already exists.');
  await rejects(
    call(context, 'CreateInstanceProfile', { InstanceProfileName: 'bad/name' }),
    'ValidationError',
    "1 validation error detected: Value 'bad/name' at 'instanceProfileName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
  );
  await rejects(
    call(context, 'CreateInstanceProfile', { InstanceProfileName: 'ok', Path: '/unterminated' }),
    'ValidationError',
    'The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.',
  );
});

test('ListInstanceProfiles: PathPrefix, pagination, no tags in the listing', async () => {
  const context = newContext();
  for (const [name, path] of [
    ['d', '/'],
    ['a', '/web/'],
    ['c', '/web/'],
    ['b', '/batch/'],
  ]) {
    await call(context, 'CreateInstanceProfile', { InstanceProfileName: name, Path: path, Tags: [{ Key: 'k', Value: name! }] });
  }
  const names = (page: { InstanceProfiles: Array<{ InstanceProfileName: string }> }) => page.InstanceProfiles.map((item) => item.InstanceProfileName);
  const all = await call(context, 'ListInstanceProfiles', {});
  assert.deepEqual(names(all), ['a', 'b', 'c', 'd']);
  assert.ok(all.InstanceProfiles.every((item: { Tags?: unknown }) => item.Tags === undefined));
  assert.deepEqual(names(await call(context, 'ListInstanceProfiles', { PathPrefix: '/web/' })), ['a', 'c']);
  const first = await call(context, 'ListInstanceProfiles', { MaxItems: 3 });
  assert.deepEqual(names(first), ['a', 'b', 'c']);
  assert.equal(first.IsTruncated, true);
  const second = await call(context, 'ListInstanceProfiles', { MaxItems: 3, Marker: first.Marker });
  assert.deepEqual(names(second), ['d']);
  assert.equal(second.IsTruncated, false);
});

test('instance profile tags: create with tags, tag, untag, list; GetInstanceProfile returns them', async () => {
  const context = newContext();
  await call(context, 'CreateInstanceProfile', { InstanceProfileName: 'web', Tags: [{ Key: 'env', Value: 'dev' }] });
  await call(context, 'TagInstanceProfile', { InstanceProfileName: 'web', Tags: [{ Key: 'ENV', Value: 'prod' }, { Key: 'team', Value: 'web' }] });
  assert.deepEqual((await call(context, 'ListInstanceProfileTags', { InstanceProfileName: 'web' })).Tags, [
    { Key: 'ENV', Value: 'prod' },
    { Key: 'team', Value: 'web' },
  ]);
  await call(context, 'UntagInstanceProfile', { InstanceProfileName: 'web', TagKeys: ['env'] });
  assert.deepEqual((await call(context, 'GetInstanceProfile', { InstanceProfileName: 'web' })).InstanceProfile.Tags, [{ Key: 'team', Value: 'web' }]);
  await rejects(
    call(context, 'TagInstanceProfile', { InstanceProfileName: 'web', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '1' }] }),
    'InvalidInput',
    'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
  );
  await rejects(call(context, 'ListInstanceProfileTags', { InstanceProfileName: 'nope' }), 'NoSuchEntity', 'Instance Profile nope cannot be found.');
});

test('authorize: AddRoleToInstanceProfile also needs iam:PassRole on the role, passed to ec2.amazonaws.com', async () => {
  const context = newContext();
  await call(context, 'CreateRole', { RoleName: 'app', Path: '/svc/', AssumeRolePolicyDocument: EC2_TRUST, Tags: [{ Key: 'team', Value: 'blue' }] });
  await call(context, 'CreateInstanceProfile', { InstanceProfileName: 'web', Path: '/edge/', Tags: [{ Key: 'tier', Value: 'front' }] });
  assert.deepEqual(await operation('AddRoleToInstanceProfile').authorize(context, { InstanceProfileName: 'web', RoleName: 'app' }), [
    { action: 'iam:AddRoleToInstanceProfile', resource: `arn:aws:iam::${ACCOUNT}:instance-profile/edge/web`, context: { 'aws:ResourceTag/tier': 'front' } },
    {
      action: 'iam:PassRole',
      resource: `arn:aws:iam::${ACCOUNT}:role/svc/app`,
      context: { 'aws:ResourceTag/team': 'blue', 'iam:ResourceTag/team': 'blue', 'iam:PassedToService': 'ec2.amazonaws.com' },
    },
  ]);
  assert.deepEqual(await operation('CreateInstanceProfile').authorize(context, { InstanceProfileName: 'new', Tags: [{ Key: 'a', Value: 'b' }] }), [
    { action: 'iam:CreateInstanceProfile', resource: `arn:aws:iam::${ACCOUNT}:instance-profile/new`, context: { 'aws:RequestTag/a': 'b', 'aws:TagKeys': ['a'] } },
  ]);
  assert.deepEqual(await operation('ListInstanceProfiles').authorize(context, {}), [
    { action: 'iam:ListInstanceProfiles', resource: `arn:aws:iam::${ACCOUNT}:instance-profile/` },
  ]);
});

// DeleteServiceLinkedRole and GetServiceLinkedRoleDeletionStatus over a real SQLite store (in memory, and a
// file reopened to show the task outlives the process); each test names the AWS page whose behaviour it
// checks (API_DeleteServiceLinkedRole.html, API_GetServiceLinkedRoleDeletionStatus.html,
// using-service-linked-roles.html) or the Rolecall decision it pins (docs/iam-api.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { ACCOUNT, call, newContext, operation, rejects } from './fixtures.js';

const EKS_ROLE = 'AWSServiceRoleForAmazonEKS';
const EKS_POLICY = 'arn:aws:iam::aws:policy/aws-service-role/AmazonEKSServiceRolePolicy';
const TASK_ID = /^task\/aws-service-role\/eks\.amazonaws\.com\/AWSServiceRoleForAmazonEKS\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

test('API_DeleteServiceLinkedRole.html: the task id is task/aws-service-role/<service>/<role>/<uuid>; the role and its policy attachment are gone', async () => {
  const context = newContext();
  await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'eks.amazonaws.com' });
  const { DeletionTaskId } = await call(context, 'DeleteServiceLinkedRole', { RoleName: EKS_ROLE });
  assert.match(DeletionTaskId, TASK_ID);
  await rejects(call(context, 'GetRole', { RoleName: EKS_ROLE }), 'NoSuchEntity', `The role with name ${EKS_ROLE} cannot be found.`);
  assert.equal((await call(context, 'GetPolicy', { PolicyArn: EKS_POLICY })).Policy.AttachmentCount, 0);
  // The service may create its role again once the old one is gone.
  assert.equal((await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'eks.amazonaws.com' })).Role.RoleName, EKS_ROLE);
});

test('API_GetServiceLinkedRoleDeletionStatus.html: the task Rolecall completed answers SUCCEEDED, without a Reason', async () => {
  const context = newContext();
  await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'fleet' });
  const { DeletionTaskId } = await call(context, 'DeleteServiceLinkedRole', { RoleName: 'AWSServiceRoleForAutoScaling_fleet' });
  assert.match(DeletionTaskId, /^task\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling_fleet\/[0-9a-f-]{36}$/);
  assert.deepEqual(await call(context, 'GetServiceLinkedRoleDeletionStatus', { DeletionTaskId }), { Status: 'SUCCEEDED' });
});

test('docs/iam-api.md: the deletion task is kept in the store, so its status survives a restart', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'rolecall-slr-'));
  try {
    const file = join(directory, 'rolecall.db');
    const first = new SqliteStore(file);
    const context = newContext(ACCOUNT, first);
    await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'eks.amazonaws.com' });
    const { DeletionTaskId } = await call(context, 'DeleteServiceLinkedRole', { RoleName: EKS_ROLE });
    await first.close();
    const reopened = new SqliteStore(file);
    try {
      assert.deepEqual(await call(newContext(ACCOUNT, reopened), 'GetServiceLinkedRoleDeletionStatus', { DeletionTaskId }), { Status: 'SUCCEEDED' });
    } finally {
      await reopened.close();
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});

test('API_GetServiceLinkedRoleDeletionStatus.html: NoSuchEntity for a task it does not know (another account, a superseded task); InvalidInput for an id not in the task format', async () => {
  const store = new SqliteStore(':memory:');
  const context = newContext(ACCOUNT, store);
  await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'eks.amazonaws.com' });
  const first = (await call(context, 'DeleteServiceLinkedRole', { RoleName: EKS_ROLE })).DeletionTaskId;
  const other = newContext('210987654321', store);
  await rejects(call(other, 'GetServiceLinkedRoleDeletionStatus', { DeletionTaskId: first }), 'NoSuchEntity', `The deletion task with id ${first} cannot be found.`);
  // Only the latest task of a role name is kept, as AWS purges completed tasks.
  await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'eks.amazonaws.com' });
  const second = (await call(context, 'DeleteServiceLinkedRole', { RoleName: EKS_ROLE })).DeletionTaskId;
  assert.notEqual(second, first);
  await rejects(call(context, 'GetServiceLinkedRoleDeletionStatus', { DeletionTaskId: first }), 'NoSuchEntity', `The deletion task with id ${first} cannot be found.`);
  assert.deepEqual(await call(context, 'GetServiceLinkedRoleDeletionStatus', { DeletionTaskId: second }), { Status: 'SUCCEEDED' });
  const unknown = 'task/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS/00000000-0000-4000-8000-000000000000';
  await rejects(call(context, 'GetServiceLinkedRoleDeletionStatus', { DeletionTaskId: unknown }), 'NoSuchEntity', `The deletion task with id ${unknown} cannot be found.`);
  await rejects(
    call(context, 'GetServiceLinkedRoleDeletionStatus', { DeletionTaskId: 'not-a-task' }),
    'InvalidInput',
    'Invalid deletion task id not-a-task: expected task/aws-service-role/<service-principal-name>/<role-name>/<task-uuid>.',
  );
});

test('API_DeleteServiceLinkedRole.html: a role that is not service-linked is NoSuchEntity (the model\'s error) and stays; a missing role is NoSuchEntity', async () => {
  const context = newContext();
  await call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST });
  await rejects(call(context, 'DeleteServiceLinkedRole', { RoleName: 'app' }), 'NoSuchEntity', 'The role with name app is not a service-linked role.');
  assert.equal((await call(context, 'GetRole', { RoleName: 'app' })).Role.RoleName, 'app');
  await rejects(call(context, 'DeleteServiceLinkedRole', { RoleName: 'ghost' }), 'NoSuchEntity', 'The role with name ghost cannot be found.');
});

test('Service Authorization Reference: both actions are authorized on the service-linked role, with its path', async () => {
  const context = newContext();
  await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'eks.amazonaws.com' });
  const arn = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/eks.amazonaws.com/${EKS_ROLE}`;
  assert.deepEqual(await operation('DeleteServiceLinkedRole').authorize(context, { RoleName: EKS_ROLE }), [
    { action: 'iam:DeleteServiceLinkedRole', resource: arn, context: {} },
  ]);
  const { DeletionTaskId } = await call(context, 'DeleteServiceLinkedRole', { RoleName: EKS_ROLE });
  assert.deepEqual(await operation('GetServiceLinkedRoleDeletionStatus').authorize(context, { DeletionTaskId }), [
    { action: 'iam:GetServiceLinkedRoleDeletionStatus', resource: arn },
  ]);
  assert.deepEqual(await operation('GetServiceLinkedRoleDeletionStatus').authorize(context, { DeletionTaskId: 'not-a-task' }), [
    { action: 'iam:GetServiceLinkedRoleDeletionStatus', resource: '*' },
  ]);
});

/**
 * `rolecall operator` against the Kubernetes API test double and the real Rolecall server (issue 10:
 * "Operator tests against the Kubernetes API test double: create, update, delete with finalizer,
 * status conditions, drift repair"), plus RoleBlueprints reconciled into IAMRoles.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetRoleCommand, ListRolePoliciesCommand, ListRoleTagsCommand, PutRolePolicyCommand, UntagRoleCommand } from '@aws-sdk/client-iam';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { Operator } from '../../../src/k8s/operator/operator.js';
import { FINALIZER } from '../../../src/k8s/operator/cluster-writes.js';
import { waitUntil } from '../../k8s-api/wait-until.js';
import { EXAMPLE_PATH } from '../../declare/blueprint/example-blueprint.js';
import { GROUP, SEED_GROUP, VERSION, eventsOf, iamRole, readObject, startFixture, stopFixture, type OperatorFixture } from './operator-fixture.js';

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

describe('rolecall operator: IAMRole, AWSProvider and RoleBlueprint reconciled from the Kubernetes API', () => {
  let fixture: OperatorFixture;
  let operator: Operator;
  const roleExists = async (roleName: string) =>
    fixture.rolecall
      .iam()
      .send(new GetRoleCommand({ RoleName: roleName }))
      .then(() => true, () => false);

  before(async () => {
    fixture = await startFixture();
    operator = new Operator({
      kubeConfig: fixture.api.kubeConfig(),
      identity: 'operator-0',
      lease: { namespace: 'default', name: 'rolecall-operator', durationSeconds: 5, renewDeadlineMs: 3500, retryPeriodMs: 300 },
      driftPeriodMs: 1000,
      backoff: { baseDelayMs: 200, maxDelayMs: 2000 },
      log: (line) => process.stderr.write(`operator: ${line}\n`),
    });
    operator.start();
  });
  after(async () => {
    await operator.stop();
    await stopFixture(fixture);
  });

  test('AWSProvider: status Ready with the caller identity (AuthenticationSucceeded), in both API groups', async () => {
    for (const group of [GROUP, SEED_GROUP]) {
      const provider = await waitUntil(`AWSProvider of ${group} Ready`, async () => {
        const object = (await readObject(fixture, group, 'awsproviders', 'rolecall')) as { status?: { ready?: boolean; accountID?: string } } | undefined;
        return object?.status?.ready ? object : undefined;
      });
      assert.equal(provider.status!.accountID, '123456789012');
    }
  });

  test('create: finalizer added, the role created in IAM, status Ready/Synced with ARN and observedGeneration, Event Created', async () => {
    await fixture.custom.createNamespacedCustomObject({
      group: SEED_GROUP,
      version: VERSION,
      namespace: 'default',
      plural: 'iamroles',
      body: iamRole(SEED_GROUP, 'op-create', { description: 'created by the operator', tags: { team: 'a' } }),
    });
    const ready = await waitUntil('op-create Ready', async () => {
      const object = await readObject(fixture, SEED_GROUP, 'iamroles', 'op-create');
      return object?.status?.ready ? object : undefined;
    });
    assert.deepEqual(ready.metadata.finalizers, [FINALIZER]);
    assert.equal(ready.status!.roleArn, 'arn:aws:iam::123456789012:role/op-create');
    assert.equal(ready.status!.observedGeneration, 1);
    assert.deepEqual(
      ready.status!.conditions!.map((c) => `${c.type}=${c.status}`),
      ['Ready=True', 'Synced=True'],
    );
    const tags = await fixture.rolecall.iam().send(new ListRoleTagsCommand({ RoleName: 'op-create' }));
    assert.deepEqual(Object.fromEntries(tags.Tags!.map((t) => [t.Key, t.Value])), { 'managed-by': 'rolecall-operator', team: 'a', 'rolecall.dev/owner': 'default/op-create' });
    // The Event follows the status write: wait for it rather than race it.
    const events = await waitUntil('the Created event', async () => {
      const recorded = await eventsOf(fixture, 'op-create');
      return recorded.length > 0 ? recorded : undefined;
    });
    assert.equal(events[0]!.reason, 'Created');
    assert.equal(events[0]!.type, 'Normal');
    assert.equal(events[0]!.reportingInstance, 'operator-0');
  });

  test('update: a spec change (generation 2) converges the role and is reported as Updated', async () => {
    await fixture.custom.patchNamespacedCustomObject(
      {
        group: SEED_GROUP, version: VERSION, namespace: 'default', plural: 'iamroles', name: 'op-create',
        body: { spec: { tags: { team: 'b' }, inlinePolicies: [{ policyName: 'read', policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}' }] } },
      },
      MERGE,
    );
    await waitUntil('observedGeneration 2', async () => (await readObject(fixture, SEED_GROUP, 'iamroles', 'op-create'))?.status?.observedGeneration === 2);
    const policies = await fixture.rolecall.iam().send(new ListRolePoliciesCommand({ RoleName: 'op-create' }));
    assert.deepEqual(policies.PolicyNames, ['read']);
    const tags = await fixture.rolecall.iam().send(new ListRoleTagsCommand({ RoleName: 'op-create' }));
    assert.equal(tags.Tags!.find((t) => t.Key === 'team')!.Value, 'b');
    const updated = await waitUntil('the Updated event', async () => (await eventsOf(fixture, 'op-create')).find((e) => e.reason === 'Updated'));
    assert.match(updated!.message!, /put inline policy read|read/);
  });

  test('drift: a role changed behind the operator\'s back is restored within the drift period and the restoration recorded (DriftRepaired)', async () => {
    const iam = fixture.rolecall.iam();
    await iam.send(new PutRolePolicyCommand({ RoleName: 'op-create', PolicyName: 'backdoor', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' }));
    await iam.send(new UntagRoleCommand({ RoleName: 'op-create', TagKeys: ['team'] }));
    // A drift pass may fall between the two changes and repair them in two passes: each pass's event
    // says what it restored, so the repairs are read from every DriftRepaired event together.
    const driftRepaired = async () => (await eventsOf(fixture, 'op-create')).filter((e) => e.reason === 'DriftRepaired');
    const repairs = await waitUntil('DriftRepaired events naming both changes', async () => {
      const recorded = await driftRepaired();
      const messages = recorded.map((e) => e.message ?? '').join('\n');
      return /backdoor/.test(messages) && /team/.test(messages) ? recorded : undefined;
    });
    for (const repaired of repairs) {
      assert.equal(repaired.type, 'Warning');
      assert.match(repaired.message!, /^role op-create was changed outside rolecall; restored: /);
    }
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'op-create' }))).PolicyNames, ['read']);
    assert.equal((await iam.send(new ListRoleTagsCommand({ RoleName: 'op-create' }))).Tags!.find((t) => t.Key === 'team')!.Value, 'b');
  });

  test('status conditions: a malformed policy is Ready=False/Synced=False with AWS\'s MalformedPolicyDocument text, not a crash loop', async () => {
    await fixture.custom.createNamespacedCustomObject({
      group: GROUP, version: VERSION, namespace: 'default', plural: 'iamroles',
      body: iamRole(GROUP, 'op-malformed', { inlinePolicies: [{ policyName: 'bad', policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3 GetObject","Resource":"*"}]}' }] }),
    });
    const failed = await waitUntil('op-malformed conditions', async () => {
      const object = await readObject(fixture, GROUP, 'iamroles', 'op-malformed');
      return object?.status?.conditions?.length ? object : undefined;
    });
    assert.equal(failed.status!.ready, false);
    const synced = failed.status!.conditions!.find((c) => c.type === 'Synced')!;
    assert.equal(synced.status, 'False');
    assert.equal(synced.reason, 'InvalidSpec');
    assert.match(synced.message, /spec\.inlinePolicies\[0\]\.policyDocument: MalformedPolicyDocument: /);
    assert.equal(await roleExists('op-malformed'), false);
    const warnings = await waitUntil('the InvalidSpec event', async () => {
      const found = (await eventsOf(fixture, 'op-malformed')).filter((e) => e.reason === 'InvalidSpec');
      return found.length > 0 ? found : undefined;
    });
    assert.equal(warnings.length, 1, 'an invalid spec is reported once, not retried in a loop');
  });

  test('delete with finalizer: the role is deleted from IAM first, then the object goes; Retain keeps the role', async () => {
    await fixture.custom.deleteNamespacedCustomObject({ group: SEED_GROUP, version: VERSION, namespace: 'default', plural: 'iamroles', name: 'op-create' });
    await waitUntil('op-create gone', async () => (await readObject(fixture, SEED_GROUP, 'iamroles', 'op-create')) === undefined);
    assert.equal(await roleExists('op-create'), false);
    await waitUntil('the Deleted event', async () => (await eventsOf(fixture, 'op-create')).some((e) => e.reason === 'Deleted'));

    await fixture.custom.createNamespacedCustomObject({
      group: GROUP, version: VERSION, namespace: 'default', plural: 'iamroles', body: iamRole(GROUP, 'op-retained', { deletionPolicy: 'Retain' }),
    });
    await waitUntil('op-retained Ready', async () => (await readObject(fixture, GROUP, 'iamroles', 'op-retained'))?.status?.ready);
    await fixture.custom.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: 'default', plural: 'iamroles', name: 'op-retained' });
    await waitUntil('op-retained object gone', async () => (await readObject(fixture, GROUP, 'iamroles', 'op-retained')) === undefined);
    assert.equal(await roleExists('op-retained'), true);
  });

  test('RoleBlueprint: seed 000\'s example with spec.values renders 14 child IAMRoles, all synced to IAM, and 7 child PodIdentityAssociations; deleting it deletes them and their roles', async () => {
    const blueprint = parseAllDocuments(await readFile(EXAMPLE_PATH, 'utf8')).map((d) => d.toJS() as Record<string, unknown>).find((o) => o.kind === 'RoleBlueprint')!;
    const spec = blueprint.spec as Record<string, unknown>;
    await fixture.custom.createNamespacedCustomObject({
      group: GROUP, version: VERSION, namespace: 'default', plural: 'roleblueprints',
      body: { ...blueprint, spec: { ...spec, values: { project: 'op', env: 'test' } } },
    });
    const rendered = await waitUntil('blueprint rendered', async () => {
      const object = await readObject(fixture, GROUP, 'roleblueprints', 'aoscloud');
      return object?.status?.renderedRoles?.length ? object : undefined;
    });
    assert.equal(rendered.status!.renderedRoles!.length, 14);
    assert.equal(rendered.status!.conditions![0]!.reason, 'Rendered');
    await waitUntil('every child role Ready', async () => {
      const children = (await fixture.custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: 'default', plural: 'iamroles', labelSelector: 'rolecall.dev/blueprint=aoscloud' })) as { items: { status?: { ready?: boolean } }[] };
      return children.items.length === 14 && children.items.every((child) => child.status?.ready === true);
    }, 60_000);
    assert.equal(await roleExists('op-test-base'), true);
    assert.equal(await roleExists('op-test-node-role'), true);
    // The rendered Pod Identity associations are children too; cluster op-test does not exist in EKS, so
    // each reports EKS's ResourceNotFoundException in its status instead of crashing.
    const associations = await waitUntil('7 association children with a Synced condition', async () => {
      const children = (await fixture.custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: 'default', plural: 'podidentityassociations', labelSelector: 'rolecall.dev/blueprint=aoscloud' })) as {
        items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string; reason: string }[] } }[];
      };
      return children.items.length === 7 && children.items.every((child) => child.status?.conditions?.length) ? children.items : undefined;
    }, 30_000);
    assert.ok(associations.some((child) => child.metadata.name === 'test.sa-app'));
    assert.deepEqual([...new Set(associations.map((child) => child.status!.conditions!.find((c) => c.type === 'Synced')!.reason))], ['ResourceNotFoundException']);

    // A child deleted by hand is restored from the blueprint.
    await fixture.custom.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: 'default', plural: 'iamroles', name: 'op-test-sd' });
    await waitUntil('op-test-sd restored', async () => {
      const child = await readObject(fixture, GROUP, 'iamroles', 'op-test-sd');
      return child && !child.metadata.deletionTimestamp && child.status?.ready;
    }, 30_000);

    await fixture.custom.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: 'default', plural: 'roleblueprints', name: 'aoscloud' });
    await waitUntil('blueprint and children gone', async () => (await readObject(fixture, GROUP, 'roleblueprints', 'aoscloud')) === undefined, 60_000);
    assert.equal(await roleExists('op-test-base'), false);
    assert.equal(await roleExists('op-test-app'), false);
    assert.equal(await readObject(fixture, GROUP, 'podidentityassociations', 'test.sa-app'), undefined);
  });
});

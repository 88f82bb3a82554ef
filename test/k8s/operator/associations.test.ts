/**
 * `rolecall operator` reconciling PodIdentityAssociation objects (issue 10: the rendered associations
 * are reconciled by the operator with the same core as `rolecall apply`) against the Kubernetes API test
 * double and the real Rolecall server's EKS API: an association created together with its role (it
 * retries until the role exists), a service-account change replacing it, drift restored, delete with
 * the finalizer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribePodIdentityAssociationCommand, ListPodIdentityAssociationsCommand, UpdatePodIdentityAssociationCommand } from '@aws-sdk/client-eks';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { Operator } from '../../../src/k8s/operator/operator.js';
import { FINALIZER } from '../../../src/k8s/operator/cluster-writes.js';
import { waitUntil } from '../../k8s-api/wait-until.js';
import { GROUP, VERSION, eventsOf, iamRole, readObject, startFixture, stopFixture, type OperatorFixture } from './operator-fixture.js';

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const CLUSTER = 'op-cluster';
const POD_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] });

interface AssociationObject {
  metadata: { finalizers?: string[] };
  status?: { ready?: boolean; associationId?: string; roleArn?: string; observedGeneration?: number; conditions?: { type: string; status: string }[] };
}

describe('rolecall operator: PodIdentityAssociation reconciled through the EKS API', () => {
  let fixture: OperatorFixture;
  let operator: Operator;
  const listed = async () => (await fixture.rolecall.eks().send(new ListPodIdentityAssociationsCommand({ clusterName: CLUSTER }))).associations ?? [];
  const read = async () => (await readObject(fixture, GROUP, 'podidentityassociations', 'web')) as unknown as AssociationObject | undefined;

  before(async () => {
    fixture = await startFixture();
    const cluster = await fixture.rolecall.rolecallClient(['cluster', 'create', CLUSTER]);
    assert.equal(cluster.status, 0, cluster.stderr);
    operator = new Operator({
      kubeConfig: fixture.api.kubeConfig(),
      identity: 'operator-0',
      lease: { namespace: 'default', name: 'rolecall-operator', durationSeconds: 5, renewDeadlineMs: 3500, retryPeriodMs: 300 },
      driftPeriodMs: 1000,
      backoff: { baseDelayMs: 200, maxDelayMs: 1000 },
      log: (line) => process.stderr.write(`operator: ${line}\n`),
    });
    operator.start();
  });
  after(async () => {
    await operator?.stop();
    await stopFixture(fixture);
  });

  test('create: the association (role by name) waits for its role, then exists in EKS with the ownership tag; status Ready with the association id', async () => {
    const association = {
      apiVersion: `${GROUP}/${VERSION}`,
      kind: 'PodIdentityAssociation',
      metadata: { name: 'web' },
      spec: { providerRef: { name: 'rolecall' }, clusterName: CLUSTER, namespace: 'apps', serviceAccount: 'web', roleName: 'op-web', tags: { team: 'a' } },
    };
    await fixture.custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: 'default', plural: 'podidentityassociations', body: association });
    await fixture.custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: 'default', plural: 'iamroles', body: iamRole(GROUP, 'op-web', { assumeRolePolicyDocument: POD_TRUST }) });
    const ready = await waitUntil('web Ready', async () => {
      const object = await read();
      return object?.status?.ready ? object : undefined;
    });
    assert.deepEqual(ready.metadata.finalizers, [FINALIZER]);
    assert.equal(ready.status!.roleArn, 'arn:aws:iam::123456789012:role/op-web');
    assert.match(ready.status!.associationId!, /^a-[a-z0-9]{17}$/);
    const [summary] = await listed();
    assert.equal(summary!.associationId, ready.status!.associationId);
    const described = await fixture.rolecall.eks().send(new DescribePodIdentityAssociationCommand({ clusterName: CLUSTER, associationId: summary!.associationId! }));
    assert.deepEqual(described.association!.tags, { team: 'a', 'rolecall.dev/owner': 'default/web' });
    await waitUntil('the Created event', async () => (await eventsOf(fixture, 'web')).some((event) => event.reason === 'Created'));
  });

  test('drift: session tags switched off behind the operator\'s back are restored (DriftRepaired)', async () => {
    const id = (await read())!.status!.associationId!;
    await fixture.rolecall.eks().send(new UpdatePodIdentityAssociationCommand({ clusterName: CLUSTER, associationId: id, disableSessionTags: true }));
    const repaired = await waitUntil('a DriftRepaired event', async () => (await eventsOf(fixture, 'web')).find((event) => event.reason === 'DriftRepaired'));
    assert.match(repaired.message!, /disableSessionTags false/);
    const described = await fixture.rolecall.eks().send(new DescribePodIdentityAssociationCommand({ clusterName: CLUSTER, associationId: id }));
    assert.equal(described.association!.disableSessionTags, false);
  });

  test('API_UpdatePodIdentityAssociation: a service-account change replaces the association (the earlier one found from the status), never orphans it', async () => {
    const before = (await read())!.status!.associationId!;
    await fixture.custom.patchNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: 'default', plural: 'podidentityassociations', name: 'web', body: { spec: { serviceAccount: 'web-v2' } } }, MERGE);
    await waitUntil('observedGeneration 2 and Ready', async () => {
      const object = await read();
      return object?.status?.observedGeneration === 2 && object.status.ready;
    });
    const associations = await listed();
    assert.deepEqual(associations.map((a) => `${a.namespace}/${a.serviceAccount}`), ['apps/web-v2']);
    assert.notEqual(associations[0]!.associationId, before);
    const replaced = await waitUntil('the Replaced event', async () => (await eventsOf(fixture, 'web')).find((event) => event.reason === 'Replaced'));
    assert.match(replaced.message!, new RegExp(`${before} deleted`));
  });

  test('delete with finalizer: the association is deleted from EKS first, then the object goes', async () => {
    await fixture.custom.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: 'default', plural: 'podidentityassociations', name: 'web' });
    await waitUntil('web gone', async () => (await read()) === undefined);
    assert.deepEqual(await listed(), []);
  });
});

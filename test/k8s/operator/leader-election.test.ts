/**
 * Two `rolecall operator` processes against the same cluster (issue 10: "two replicas with one
 * leader"): exactly one holds the Lease and acts, the other only watches the Lease; when the leader is
 * killed (SIGKILL: no release) the other takes over once the Lease expires and reconciles what follows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CoordinationV1Api } from '@kubernetes/client-node';
import { REPO_ROOT } from '../../e2e/harness.js';
import { waitUntil } from '../../k8s-api/wait-until.js';
import { allowed, grantsOf, requestAttributes } from './rbac-rules.js';
import { GROUP, VERSION, eventsOf, iamRole, readObject, startFixture, stopFixture, type OperatorFixture } from './operator-fixture.js';

const REPLICAS = ['replica-a', 'replica-b'];

describe('rolecall operator: two replicas, one leader', () => {
  let fixture: OperatorFixture;
  const processes = new Map<string, ChildProcess>();
  const logs = new Map<string, string[]>();

  before(async () => {
    fixture = await startFixture(REPLICAS.map((name) => `${name}-token`));
    // The namespace deploy/operator/operator.yaml runs the operator (and keeps its Lease) in.
    await fixture.core.createNamespace({ body: { metadata: { name: 'rolecall' } } });
    for (const name of REPLICAS) {
      const kubeconfig = await fixture.rolecall.writeFile(`${name}.kubeconfig`, fixture.api.kubeconfigYaml('default', `${name}-token`));
      const child = spawn(
        process.execPath,
        [
          join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'), 'operator',
          '--identity', name, '--lease-namespace', 'rolecall', '--lease-name', 'rolecall-operator',
          '--lease-duration', '6s', '--renew-deadline', '4s', '--retry-period', '500ms', '--drift-period', '1m',
        ],
        { env: { ...process.env, KUBECONFIG: kubeconfig }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      const lines: string[] = [];
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => lines.push(chunk));
      logs.set(name, lines);
      processes.set(name, child);
    }
  });
  after(async () => {
    for (const child of processes.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await stopFixture(fixture);
  });

  const holder = async () => {
    const lease = await fixture.api.kubeConfig().makeApiClient(CoordinationV1Api).readNamespacedLease({ name: 'rolecall-operator', namespace: 'rolecall' });
    return lease.spec?.holderIdentity;
  };
  const writesBy = (name: string) => fixture.api.requests.filter((request) => request.token === `${name}-token` && request.method !== 'GET');

  test('one replica holds the Lease and reconciles; the other writes nothing but its attempts on the Lease', async () => {
    const leader = await waitUntil('a leader', async () => (await holder().catch(() => undefined)) || undefined, 90_000);
    assert.ok(REPLICAS.includes(leader));
    const standby = REPLICAS.find((name) => name !== leader)!;
    await fixture.custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: 'default', plural: 'iamroles', body: iamRole(GROUP, 'le-first', {}) });
    await waitUntil('le-first Ready', async () => (await readObject(fixture, GROUP, 'iamroles', 'le-first'))?.status?.ready, 60_000);
    // The Event follows the status write: wait for it rather than race it.
    const created = await waitUntil('the Created event', async () => (await eventsOf(fixture, 'le-first')).find((event) => event.reason === 'Created'));
    assert.equal(created.reportingInstance, leader);
    assert.deepEqual(
      writesBy(standby).filter((request) => !request.path.endsWith('/leases') && !request.path.endsWith('/leases/rolecall-operator')),
      [],
      'the standby made no write outside the Lease',
    );
    assert.ok(writesBy(leader).some((request) => request.path.includes('/iamroles/le-first')));
  });

  test('SIGKILL of the leader: the standby takes the Lease after it expires and reconciles from then on', async () => {
    const leader = (await holder())!;
    const standby = REPLICAS.find((name) => name !== leader)!;
    processes.get(leader)!.kill('SIGKILL');
    await waitUntil('the standby to take over', async () => (await holder()) === standby, 60_000);
    const lease = await fixture.api.kubeConfig().makeApiClient(CoordinationV1Api).readNamespacedLease({ name: 'rolecall-operator', namespace: 'rolecall' });
    assert.ok((lease.spec!.leaseTransitions ?? 0) >= 1);
    await fixture.custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: 'default', plural: 'iamroles', body: iamRole(GROUP, 'le-second', {}) });
    await waitUntil('le-second Ready', async () => (await readObject(fixture, GROUP, 'iamroles', 'le-second'))?.status?.ready, 60_000);
    const created = await waitUntil('the Created event', async () => (await eventsOf(fixture, 'le-second')).find((event) => event.reason === 'Created'));
    assert.equal(created.reportingInstance, standby);
    assert.match(logs.get(standby)!.join(''), new RegExp(`${standby}: leading; starting controllers`));
  });

  test('deploy/operator/operator.yaml RBAC grants every request the replicas made, and nothing is listed that they did not need', () => {
    const grants = grantsOf(join(REPO_ROOT, 'deploy', 'operator', 'operator.yaml'));
    const made = fixture.api.requests.filter((request) => REPLICAS.some((name) => request.token === `${name}-token`));
    assert.ok(made.length > 0);
    const denied = made.filter((request) => !allowed(grants, request)).map((request) => `${request.method} ${request.path}`);
    assert.deepEqual([...new Set(denied)], []);
    assert.ok(!made.some((request) => requestAttributes(request).resource === 'secrets' && requestAttributes(request).verb !== 'get'), 'Secrets are only read one by one');
  });

  test('SIGTERM of the last replica releases the Lease (holderIdentity cleared) and exits 0', async () => {
    const leader = (await holder())!;
    const child = processes.get(leader)!;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.equal(await holder(), '');
  });
});

// The manifests under deploy/ say what docs/kubernetes.md promises (reference/irsa.md §1.10,
// pod-identity.md §3): a webhook that can never block pods, the skip label honoured, and an agent on the
// node's network at the link-local address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../e2e/harness.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Manifest = any;

function manifests(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(join(REPO_ROOT, 'deploy', file), 'utf8')).map((document) => {
    assert.deepEqual(document.errors, [], file);
    return document.toJS();
  });
}

test('irsa.md §1.10: the MutatingWebhookConfiguration is failurePolicy Ignore, CREATE pods, /mutate, skip-label objectSelector', () => {
  const configuration = manifests('webhook.yaml').find((m) => m.kind === 'MutatingWebhookConfiguration');
  const [webhook] = configuration.webhooks;
  assert.equal(webhook.failurePolicy, 'Ignore');
  assert.equal(webhook.sideEffects, 'None');
  assert.deepEqual(webhook.rules, [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }]);
  assert.equal(webhook.clientConfig.service.path, '/mutate');
  assert.deepEqual(webhook.objectSelector, { matchExpressions: [{ key: 'eks.amazonaws.com/skip-pod-identity-webhook', operator: 'DoesNotExist' }] });
  const role = manifests('webhook.yaml').find((m) => m.kind === 'ClusterRole');
  assert.deepEqual(role.rules, [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get', 'list', 'watch'] }]);
});

test('every Rolecall pod carries the skip label, so the webhook never mutates Rolecall itself', () => {
  for (const file of ['server.yaml', 'webhook.yaml', 'agent.yaml']) {
    for (const workload of manifests(file).filter((m) => m.kind === 'Deployment' || m.kind === 'DaemonSet')) {
      assert.ok('eks.amazonaws.com/skip-pod-identity-webhook' in workload.spec.template.metadata.labels, `${file} ${workload.metadata.name}`);
    }
  }
});

test('pod-identity.md §3: the agent DaemonSet runs on the host network, port 80, with the link-local addresses added first', () => {
  const daemonSet = manifests('agent.yaml').find((m) => m.kind === 'DaemonSet');
  const spec = daemonSet.spec.template.spec;
  assert.equal(spec.hostNetwork, true);
  assert.equal(spec.automountServiceAccountToken, false);
  assert.match(spec.initContainers[0].command.join(' '), /169\.254\.170\.23\/32/);
  assert.match(spec.initContainers[0].command.join(' '), /fd00:ec2::23\/128/);
  const [agent] = spec.containers;
  assert.deepEqual(agent.args.slice(0, 1), ['agent']);
  assert.ok(agent.args.includes('--port=80'));
  assert.deepEqual(agent.securityContext.capabilities.add, ['NET_BIND_SERVICE']);
});

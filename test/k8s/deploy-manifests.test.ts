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

test('irsa.md §1.8 --watch-config-map: the webhook may read the one ConfigMap pod-identity-webhook of its --namespace (resourceNames, authorized for list/watch by the field selector it sends)', () => {
  const documents = manifests('webhook.yaml');
  const deployment = documents.find((m) => m.kind === 'Deployment');
  const args: string[] = deployment.spec.template.spec.containers[0].args;
  const namespace = deployment.metadata.namespace;
  assert.ok(args.includes(`--namespace=${namespace}`), 'the ConfigMap is looked for in the webhook\'s own namespace');
  const role = documents.find((m) => m.kind === 'Role');
  assert.equal(role.metadata.namespace, namespace);
  assert.deepEqual(role.rules, [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['pod-identity-webhook'], verbs: ['get', 'list', 'watch'] }]);
  const binding = documents.find((m) => m.kind === 'RoleBinding');
  assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
  assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: deployment.spec.template.spec.serviceAccountName, namespace }]);
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

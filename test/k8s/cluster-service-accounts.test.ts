// ServiceAccounts from the Kubernetes API through the real @kubernetes/client-node, against the API test
// double (test/k8s-api/, real REST and watch wire format): the informer's cache answers, a ServiceAccount
// created a moment ago is read directly on a cache miss (the Go webhook's #174), a missing one is
// undefined, and the webhook mutates a pod created right after its ServiceAccount.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterServiceAccounts } from '../../src/k8s/cluster-service-accounts.js';
import { applyJsonPatch, type JsonObject, type JsonPatchOperation } from '../../src/k8s/json-patch.js';
import { KubeApiServer } from '../k8s-api/api-server.js';
import { appPod, podCreateReview } from './admission-reviews.js';
import { startLocalWebhook } from './local-webhook.js';

const ROLE = 'arn:aws:iam::123456789012:role/aos-dev-app';
let api: KubeApiServer;
let serviceAccounts: ClusterServiceAccounts;

function serviceAccount(namespace: string, name: string, annotations: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { namespace, name, annotations } };
}

before(async () => {
  api = await KubeApiServer.start();
  api.createFromManifests(['dev', 'jobs'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
  api.createFromManifests([serviceAccount('dev', 'sa-app', { 'eks.amazonaws.com/role-arn': ROLE, 'kubectl.kubernetes.io/last-applied-configuration': '{}' })]);
  serviceAccounts = await ClusterServiceAccounts.start({ config: api.kubeConfig() });
});

after(async () => {
  await serviceAccounts?.close();
  await api?.stop();
});

const directReads = (namespace: string, name: string) => api.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/namespaces/${namespace}/serviceaccounts/${name}`).length;

test('irsa.md §1.7: the informer lists and watches ServiceAccounts cluster-wide; a cached one is answered without a read', async () => {
  assert.ok(api.requests.some((r) => r.path === '/api/v1/serviceaccounts' && r.query['watch'] !== 'true'), 'listed');
  assert.deepEqual(await serviceAccounts.annotations('dev', 'sa-app'), { 'eks.amazonaws.com/role-arn': ROLE, 'kubectl.kubernetes.io/last-applied-configuration': '{}' });
  assert.equal(directReads('dev', 'sa-app'), 0);
});

test('webhook #174: a ServiceAccount created a moment ago, not yet in the cache, is read directly; a missing one is undefined', async () => {
  api.createFromManifests([serviceAccount('dev', 'sa-new', { 'eks.amazonaws.com/role-arn': `${ROLE}-new` })]);
  // Asked in the same turn as the create: the watch cannot have delivered it yet.
  assert.deepEqual(await serviceAccounts.annotations('dev', 'sa-new'), { 'eks.amazonaws.com/role-arn': `${ROLE}-new` });
  assert.equal(directReads('dev', 'sa-new'), 1);
  assert.equal(await serviceAccounts.annotations('dev', 'missing'), undefined);
  assert.equal(directReads('dev', 'missing'), 1);
});

test('the webhook mutates a pod created right after its ServiceAccount', async (t) => {
  const webhook = await startLocalWebhook(serviceAccounts);
  t.after(() => webhook.close());
  api.createFromManifests([serviceAccount('jobs', 'worker', { 'eks.amazonaws.com/role-arn': `${ROLE}-worker` })]);
  const pod = appPod({ spec: { serviceAccountName: 'worker', containers: [{ name: 'w', image: 'w' }] } });
  const answer = (await (await fetch(`${webhook.url}/mutate`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(podCreateReview(pod, 'jobs')) })).json()) as JsonObject;
  const response = answer['response'] as JsonObject;
  assert.equal(response['patchType'], 'JSONPatch');
  const patch = JSON.parse(Buffer.from(response['patch'] as string, 'base64').toString()) as JsonPatchOperation[];
  const mutated = applyJsonPatch(pod, patch) as JsonObject;
  const env = (((mutated['spec'] as JsonObject)['containers'] as JsonObject[])[0]!['env'] as JsonObject[]).map((e) => [e['name'], e['value']]);
  assert.deepEqual(env[0], ['AWS_ROLE_ARN', `${ROLE}-worker`]);
});

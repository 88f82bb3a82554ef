// The webhook's ConfigMap mode and --compose-role-arn (reference/irsa.md §1.1, §1.7, §1.8): the lookup
// order over a ServiceAccount's annotations and the ConfigMap's entries, the ConfigMap watched through the
// real @kubernetes/client-node against the API test double (test/k8s-api/: real REST and watch wire
// format), and `rolecall webhook --watch-config-map --compose-role-arn` as a process whose account comes
// from GetCallerIdentity against a real Rolecall server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { CoreV1Api } from '@kubernetes/client-node';
import { ClusterRoleMappings } from '../../src/k8s/cluster-role-mappings.js';
import { ClusterServiceAccounts } from '../../src/k8s/cluster-service-accounts.js';
import { applyJsonPatch, type JsonObject, type JsonPatchOperation } from '../../src/k8s/json-patch.js';
import { composeRoleArn, MappedServiceAccounts, parseRoleMappings, partitionOfRegion, type RoleMapping } from '../../src/k8s/role-mappings.js';
import { ManifestServiceAccounts } from '../../src/k8s/service-accounts.js';
import { ACCOUNT_ID, E2eServer, REPO_ROOT } from '../e2e/harness.js';
import { KubeApiServer } from '../k8s-api/api-server.js';
import { waitUntil } from '../k8s-api/wait-until.js';
import { appPod, podCreateReview } from './admission-reviews.js';
import { startLocalWebhook } from './local-webhook.js';

const ROLE = 'arn:aws:iam::123456789012:role';
const PREFIX = 'eks.amazonaws.com';

const fixedMappings = (entries: Record<string, RoleMapping>) => ({ current: () => new Map(Object.entries(entries)), close: async () => {} });

test('irsa.md §1.8: the ConfigMap config is a JSON object of "<ns>/<sa>" entries with RoleARN, Audience, UseRegionalSTS, TokenExpiration; anything else is refused', () => {
  const parsed = parseRoleMappings(JSON.stringify({ 'dev/app': { RoleARN: `${ROLE}/app`, Audience: 'sts.amazonaws.com', UseRegionalSTS: true, TokenExpiration: 3600 }, '*/worker': { RoleARN: 'worker' } }));
  assert.deepEqual(Object.fromEntries(parsed), { 'dev/app': { RoleARN: `${ROLE}/app`, Audience: 'sts.amazonaws.com', UseRegionalSTS: true, TokenExpiration: 3600 }, '*/worker': { RoleARN: 'worker' } });
  assert.throws(() => parseRoleMappings('[]'), /JSON object/);
  assert.throws(() => parseRoleMappings('{"dev/app": {"Audience": "x"}}'), /needs a RoleARN/);
  assert.throws(() => parseRoleMappings('{"dev/app": {"RoleARN": "r", "UseRegionalSTS": "yes"}}'), /UseRegionalSTS/);
  assert.throws(() => parseRoleMappings('{"dev/app": {"RoleARN": "r", "TokenExpiration": 1.5}}'), /TokenExpiration/);
  assert.throws(() => parseRoleMappings('{'));
});

test('irsa.md §1.7 lookup order: annotations naming a role > ConfigMap <ns>/<sa> > ConfigMap */<sa> (a literal *, not a glob); a ServiceAccount without a role falls through', async () => {
  const manifests = ManifestServiceAccounts.parse(
    [
      `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: annotated\n  namespace: dev\n  annotations:\n    ${PREFIX}/role-arn: ${ROLE}/own`,
      `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: plain\n  namespace: dev\n  annotations:\n    ${PREFIX}/audience: ignored`,
    ].join('\n---\n'),
    'sa.yaml',
  );
  const source = new MappedServiceAccounts(manifests, {
    prefix: PREFIX,
    mappings: fixedMappings({
      'dev/annotated': { RoleARN: `${ROLE}/from-config-map` },
      'dev/plain': { RoleARN: `${ROLE}/plain`, Audience: 'aud', UseRegionalSTS: false, TokenExpiration: 7200 },
      '*/plain': { RoleARN: `${ROLE}/any-plain` },
      '*/worker': { RoleARN: `${ROLE}/worker`, TokenExpiration: 0 },
      'test-*/batch': { RoleARN: `${ROLE}/batch` },
    }),
  });
  assert.deepEqual(await source.annotations('dev', 'annotated'), { [`${PREFIX}/role-arn`]: `${ROLE}/own` });
  assert.deepEqual(await source.annotations('dev', 'plain'), {
    [`${PREFIX}/role-arn`]: `${ROLE}/plain`,
    [`${PREFIX}/audience`]: 'aud',
    [`${PREFIX}/sts-regional-endpoints`]: 'false',
    [`${PREFIX}/token-expiration`]: '7200',
  });
  assert.deepEqual(await source.annotations('prod', 'plain'), { [`${PREFIX}/role-arn`]: `${ROLE}/any-plain` });
  // No ServiceAccount object at all: the entry still applies; TokenExpiration 0 leaves the flag's default.
  assert.deepEqual(await source.annotations('jobs', 'worker'), { [`${PREFIX}/role-arn`]: `${ROLE}/worker` });
  assert.equal(await source.annotations('test-a', 'batch'), undefined);
  assert.equal(await source.annotations('dev', 'missing'), undefined);
});

test('--compose-role-arn: a role-arn that is not an ARN becomes arn:<partition>:iam::<account>:role/<value>, the partition by the region prefix', async () => {
  assert.equal(composeRoleArn('app', { partition: 'aws', accountId: ACCOUNT_ID }), `arn:aws:iam::${ACCOUNT_ID}:role/app`);
  assert.equal(composeRoleArn('team/app', { partition: 'aws', accountId: ACCOUNT_ID }), `arn:aws:iam::${ACCOUNT_ID}:role/team/app`);
  assert.equal(composeRoleArn(`${ROLE}/app`, { partition: 'aws-cn', accountId: '210987654321' }), `${ROLE}/app`);
  assert.deepEqual(['us-east-1', 'eu-west-3', 'cn-north-1', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1'].map(partitionOfRegion), [
    'aws', 'aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f',
  ]);
  const manifests = ManifestServiceAccounts.parse(`apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: dev\n  annotations:\n    ${PREFIX}/role-arn: app-role\n    ${PREFIX}/audience: aud`, 'sa.yaml');
  const source = new MappedServiceAccounts(manifests, { prefix: PREFIX, composition: { partition: 'aws-cn', accountId: '210987654321' }, mappings: fixedMappings({ '*/mapped': { RoleARN: 'mapped-role' } }) });
  assert.deepEqual(await source.annotations('dev', 'app'), { [`${PREFIX}/role-arn`]: 'arn:aws-cn:iam::210987654321:role/app-role', [`${PREFIX}/audience`]: 'aud' });
  assert.deepEqual(await source.annotations('dev', 'mapped'), { [`${PREFIX}/role-arn`]: 'arn:aws-cn:iam::210987654321:role/mapped-role' });
});

// The ConfigMap watched through client-node against the API test double, then the webhook process.
let api: KubeApiServer;
let core: CoreV1Api;
let mappings: ClusterRoleMappings;
const reports: string[] = [];
const configMap = (config: string, name = 'pod-identity-webhook') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'eks' }, data: { config } });

before(async () => {
  api = await KubeApiServer.start();
  api.createFromManifests(['eks', 'dev'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
  core = api.kubeConfig().makeApiClient(CoreV1Api);
  mappings = await ClusterRoleMappings.start({ config: api.kubeConfig(), namespace: 'eks', onError: (message) => reports.push(message) });
});

after(async () => {
  await mappings?.close();
  await api?.stop();
});

test('--watch-config-map: the ConfigMap pod-identity-webhook of the namespace is listed and watched; changes replace the entries, bad text keeps them, deletion clears them, other ConfigMaps are not even listed or watched (a field selector on its name)', async () => {
  const configMapRequests = api.requests.filter((r) => r.path === '/api/v1/namespaces/eks/configmaps');
  assert.ok(configMapRequests.some((r) => r.query['watch'] !== 'true'), 'listed');
  assert.ok(configMapRequests.some((r) => r.query['watch'] === 'true'), 'watched');
  // Only the one ConfigMap is asked for, so an RBAC rule with resourceNames: [pod-identity-webhook] suffices.
  for (const request of configMapRequests) assert.equal(request.query['fieldSelector'], 'metadata.name=pod-identity-webhook');
  assert.equal(mappings.current().size, 0);
  await core.createNamespacedConfigMap({ namespace: 'eks', body: configMap(JSON.stringify({ 'dev/app': { RoleARN: `${ROLE}/app` } })) });
  await waitUntil('the created ConfigMap', () => mappings.current().get('dev/app'));
  await core.createNamespacedConfigMap({ namespace: 'eks', body: configMap(JSON.stringify({ 'dev/app': { RoleARN: `${ROLE}/other` } }), 'unrelated') });
  await core.replaceNamespacedConfigMap({ name: 'pod-identity-webhook', namespace: 'eks', body: configMap(JSON.stringify({ 'dev/app': { RoleARN: `${ROLE}/app-v2` }, '*/worker': { RoleARN: `${ROLE}/worker` } })) });
  await waitUntil('the updated ConfigMap', () => mappings.current().get('*/worker'));
  assert.equal(mappings.current().get('dev/app')?.RoleARN, `${ROLE}/app-v2`);
  await core.replaceNamespacedConfigMap({ name: 'pod-identity-webhook', namespace: 'eks', body: configMap('{not json') });
  await waitUntil('the report of the bad text', () => reports.find((line) => line.includes('keeping the previous entries')));
  assert.equal(mappings.current().get('dev/app')?.RoleARN, `${ROLE}/app-v2`);
  await core.deleteNamespacedConfigMap({ name: 'pod-identity-webhook', namespace: 'eks' });
  await waitUntil('the deletion', () => mappings.current().size === 0);
});

test('the webhook mutates a pod by the ConfigMap entry of its ServiceAccount, the ServiceAccount\'s own role-arn winning', async (t) => {
  await core.createNamespacedConfigMap({
    namespace: 'eks',
    body: configMap(JSON.stringify({ 'dev/mapped': { RoleARN: `${ROLE}/mapped`, Audience: 'sts.amazonaws.com', UseRegionalSTS: true }, 'dev/annotated': { RoleARN: `${ROLE}/loses` } })),
  });
  api.createFromManifests([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { namespace: 'dev', name: 'annotated', annotations: { [`${PREFIX}/role-arn`]: `${ROLE}/wins` } } }]);
  await waitUntil('the ConfigMap', () => mappings.current().get('dev/mapped'));
  const serviceAccounts = new MappedServiceAccounts(await ClusterServiceAccounts.start({ config: api.kubeConfig() }), { prefix: PREFIX, mappings });
  t.after(() => serviceAccounts.close());
  const webhook = await startLocalWebhook(serviceAccounts);
  t.after(() => webhook.close());
  const mapped = await mutatedEnv(webhook.url, 'mapped');
  assert.deepEqual(mapped, [['AWS_STS_REGIONAL_ENDPOINTS', 'regional'], ['AWS_ROLE_ARN', `${ROLE}/mapped`], ['AWS_WEB_IDENTITY_TOKEN_FILE', '/var/run/secrets/eks.amazonaws.com/serviceaccount/token']]);
  assert.deepEqual((await mutatedEnv(webhook.url, 'annotated'))[0], ['AWS_ROLE_ARN', `${ROLE}/wins`]);
});

test('rolecall webhook --watch-config-map --compose-role-arn: a bare role name in the ConfigMap becomes a role of the caller\'s account, found by GetCallerIdentity against Rolecall', async (t) => {
  const server = await E2eServer.start();
  t.after(() => server.stop());
  const kubeconfig = await server.writeFile('kubeconfig', api.kubeconfigYaml());
  await core.replaceNamespacedConfigMap({ name: 'pod-identity-webhook', namespace: 'eks', body: configMap(JSON.stringify({ '*/composed': { RoleARN: 'payments-reader' } })) });
  const child = spawn(process.execPath, [`${REPO_ROOT}dist/src/cli/main.js`, 'webhook', '--port', '0', '--metrics-port', '0', '--watch-config-map', '--compose-role-arn'], {
    env: { ...server.cliEnv(), KUBECONFIG: kubeconfig },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  t.after(() => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')))));
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (\S+?),/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`webhook exited ${code}: ${stderr}`)));
  });
  const env = await waitUntil('the composed role', async () => {
    const found = await mutatedEnv(url, 'composed', 'prod');
    return found.length > 0 ? found : undefined;
  });
  assert.deepEqual(env[0], ['AWS_ROLE_ARN', `arn:aws:iam::${ACCOUNT_ID}:role/payments-reader`]);
});

/** The env a container of a pod using `serviceAccount` gets from the webhook at `url` (empty when not mutated). */
async function mutatedEnv(url: string, serviceAccount: string, namespace = 'dev'): Promise<Array<[unknown, unknown]>> {
  const pod = appPod({ spec: { serviceAccountName: serviceAccount, containers: [{ name: 'c', image: 'c' }] } });
  const answer = (await (await fetch(`${url}/mutate`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(podCreateReview(pod, namespace)) })).json()) as JsonObject;
  const response = answer['response'] as JsonObject;
  if (response['patch'] === undefined) return [];
  const patch = JSON.parse(Buffer.from(response['patch'] as string, 'base64').toString()) as JsonPatchOperation[];
  const mutated = applyJsonPatch(pod, patch) as JsonObject;
  return ((((mutated['spec'] as JsonObject)['containers'] as JsonObject[])[0]!['env'] ?? []) as JsonObject[]).map((e) => [e['name'], e['value']]);
}

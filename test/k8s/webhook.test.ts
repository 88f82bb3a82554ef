// `rolecall webhook` over real HTTP(S) on loopback (reference/irsa.md §1.6, §1.11): AdmissionReview in and
// out, the patch applied to the pod, TLS from --tls-cert/--tls-key, metrics under the Go webhook's names,
// and pods admitted unchanged when the webhook's own lookups fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyJsonPatch, type JsonObject, type JsonPatchOperation } from '../../src/k8s/json-patch.js';
import { DEFAULT_MUTATION_SETTINGS } from '../../src/k8s/pod-mutation.js';
import { ManifestServiceAccounts, type ServiceAccountSource } from '../../src/k8s/service-accounts.js';
import { WebhookMetrics } from '../../src/k8s/webhook-metrics.js';
import { startWebhookServer } from '../../src/k8s/webhook-server.js';
import { REPO_ROOT } from '../e2e/harness.js';
import { appPod, podCreateReview } from './admission-reviews.js';

const MAIN = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
const ROLE = 'arn:aws:iam::111122223333:role/sa_app';
const MANIFESTS = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: default
  annotations:
    eks.amazonaws.com/role-arn: ${ROLE}
    eks.amazonaws.com/sts-regional-endpoints: "true"
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: plain
  namespace: default
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ignored
`;

/** Starts `rolecall webhook` with `args` and resolves its URLs from the "listening on" line. */
async function startWebhookProcess(args: string[]): Promise<{ url: string; metricsUrl: string; child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, [MAIN, 'webhook', '--port', '0', '--metrics-port', '0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const urls = await new Promise<{ url: string; metricsUrl: string }>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (\S+), metrics on (\S+?)[\s(]/.exec(stderr);
      if (match) resolve({ url: match[1]!.replace(/,$/, ''), metricsUrl: match[2]! });
    });
    child.once('exit', (code) => reject(new Error(`webhook exited ${code}: ${stderr}`)));
  });
  return { ...urls, child, stderr: () => stderr };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function postReview(url: string, review: unknown, contentType = 'application/json'): Promise<{ status: number; body: JsonObject }> {
  const response = await fetch(`${url}/mutate`, { method: 'POST', headers: { 'Content-Type': contentType }, body: typeof review === 'string' ? review : JSON.stringify(review) });
  const text = await response.text();
  return { status: response.status, body: response.headers.get('content-type') === 'application/json' ? JSON.parse(text) : { text } };
}

function decodedPatch(response: JsonObject): JsonPatchOperation[] {
  return JSON.parse(Buffer.from(response['patch'] as string, 'base64').toString('utf8'));
}

test('irsa.md §1.6: POST /mutate answers an admission.k8s.io/v1 review with uid, TypeMeta echoed and a base64 JSONPatch that gives the pod its token', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'rolecall-webhook-'));
  await writeFile(join(dir, 'sa.yaml'), MANIFESTS);
  const webhook = await startWebhookProcess(['--manifests', join(dir, 'sa.yaml'), '--aws-default-region', 'eu-west-1']);
  t.after(() => stop(webhook.child));

  const pod = appPod();
  const { status, body } = await postReview(webhook.url, podCreateReview(pod, 'default', 'uid-1'));
  assert.equal(status, 200);
  assert.equal(body['apiVersion'], 'admission.k8s.io/v1');
  assert.equal(body['kind'], 'AdmissionReview');
  const response = body['response'] as JsonObject;
  assert.equal(response['uid'], 'uid-1');
  assert.equal(response['allowed'], true);
  assert.equal(response['patchType'], 'JSONPatch');
  const mutated = applyJsonPatch(pod, decodedPatch(response)) as JsonObject;
  const container = ((mutated['spec'] as JsonObject)['containers'] as JsonObject[])[0]!;
  assert.deepEqual(container['env'], [
    { name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' },
    { name: 'AWS_DEFAULT_REGION', value: 'eu-west-1' },
    { name: 'AWS_REGION', value: 'eu-west-1' },
    { name: 'AWS_ROLE_ARN', value: ROLE },
    { name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token' },
  ]);

  // admission.k8s.io/v1beta1 requests get their own apiVersion back (non-EKS API servers insist; webhook #225).
  const beta = podCreateReview(appPod(), 'default', 'uid-2');
  beta['apiVersion'] = 'admission.k8s.io/v1beta1';
  const betaAnswer = await postReview(webhook.url, beta);
  assert.equal(betaAnswer.body['apiVersion'], 'admission.k8s.io/v1beta1');
  assert.equal((betaAnswer.body['response'] as JsonObject)['uid'], 'uid-2');

  // Nothing applies: a ServiceAccount without role-arn, and one that does not exist.
  for (const serviceAccountName of ['plain', 'missing']) {
    const other = appPod({ spec: { serviceAccountName, containers: [{ name: 'c', image: 'i' }] } });
    const answer = await postReview(webhook.url, podCreateReview(other, 'default', `uid-${serviceAccountName}`));
    assert.deepEqual(answer.body['response'], { uid: `uid-${serviceAccountName}`, allowed: true }, serviceAccountName);
  }
  // The same name in another namespace is another ServiceAccount.
  const elsewhere = await postReview(webhook.url, podCreateReview(appPod(), 'payments', 'uid-ns'));
  assert.deepEqual(elsewhere.body['response'], { uid: 'uid-ns', allowed: true });

  assert.equal((await postReview(webhook.url, podCreateReview(pod), 'text/plain')).status, 415);
  const undecodable = await postReview(webhook.url, '{"not": "a review"');
  assert.equal(undecodable.status, 200);
  assert.equal((undecodable.body['response'] as JsonObject)['allowed'], false);

  assert.equal(await (await fetch(`${webhook.url}/healthz`)).text(), 'ok');
  const metrics = await (await fetch(`${webhook.metricsUrl}/metrics`)).text();
  assert.match(metrics, /^pod_identity_webhook_pod_count\{method="sts_web_identity"\} 2$/m);
  assert.match(metrics, /^pod_identity_webhook_missing_sa_count 2$/m);
  assert.match(metrics, /^pod_identity_webhook_used 1$/m);
  assert.match(metrics, /^http_request_count\{code="200",path="\/mutate",verb="POST"\} 6$/m);
  assert.match(metrics, /^http_request_count\{code="415",path="\/mutate",verb="POST"\} 1$/m);
  assert.match(metrics, /^http_request_latencies_bucket\{path="\/mutate",verb="POST",le="\+Inf"\} 7$/m);
});

test('--tls-cert/--tls-key: the webhook speaks TLS with the given certificate', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'rolecall-webhook-tls-'));
  await writeFile(join(dir, 'sa.yaml'), MANIFESTS);
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=rolecall-webhook.rolecall.svc', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt')]);
  assert.equal(made.status, 0, made.stderr.toString());
  const webhook = await startWebhookProcess(['--manifests', join(dir, 'sa.yaml'), '--host', '127.0.0.1', '--tls-cert', join(dir, 'tls.crt'), '--tls-key', join(dir, 'tls.key')]);
  t.after(() => stop(webhook.child));
  assert.match(webhook.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const ca = await readFile(join(dir, 'tls.crt'));
  const answer = await new Promise<JsonObject>((resolve, reject) => {
    const request = httpsRequest(`${webhook.url}/mutate`, { method: 'POST', ca, headers: { 'Content-Type': 'application/json' } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve(JSON.parse(text)));
    });
    request.on('error', reject);
    request.end(JSON.stringify(podCreateReview(appPod(), 'default', 'tls-uid')));
  });
  assert.equal((answer['response'] as JsonObject)['patchType'], 'JSONPatch');
  // Without trusting the certificate, the TLS handshake fails: there is no plain-HTTP fallback.
  await assert.rejects(fetch(`${webhook.url}/healthz`));
});

test('reliability: a ServiceAccount lookup that fails or hangs admits the pod unchanged and logs a warning', async (t) => {
  const failing: ServiceAccountSource = { annotations: () => Promise.reject(new Error('connection refused')), close: async () => {} };
  const hanging: ServiceAccountSource = { annotations: () => new Promise(() => {}), close: async () => {} };
  for (const [name, serviceAccounts] of [['failing', failing], ['hanging', hanging]] as const) {
    const log: string[] = [];
    const webhook = await startWebhookServer({
      host: '127.0.0.1',
      port: 0,
      metricsPort: undefined,
      tls: undefined,
      context: { settings: DEFAULT_MUTATION_SETTINGS, serviceAccounts, podIdentity: undefined, metrics: new WebhookMetrics(), randomInteger: () => 86400, log: (line) => log.push(line), lookupTimeoutMs: 200 },
    });
    t.after(() => webhook.close());
    const answer = await postReview(webhook.url, podCreateReview(appPod(), 'default', `uid-${name}`));
    assert.deepEqual(answer.body['response'], { uid: `uid-${name}`, allowed: true }, name);
    assert.equal(log.length, 1, name);
    assert.match(log[0]!, /^warning: admitting pod of default\/app unchanged/);
  }
});

test('pod-identity.md §4: a pod whose ServiceAccount an association covers gets container credentials even with role-arn', async (t) => {
  const serviceAccounts = ManifestServiceAccounts.parse(MANIFESTS, 'inline');
  const metrics = new WebhookMetrics();
  const webhook = await startWebhookServer({
    host: '127.0.0.1',
    port: 0,
    metricsPort: undefined,
    tls: undefined,
    context: {
      settings: DEFAULT_MUTATION_SETTINGS,
      serviceAccounts,
      podIdentity: { covers: async (namespace, serviceAccount) => `${namespace}/${serviceAccount}` === 'default/app' || `${namespace}/${serviceAccount}` === 'jobs/worker' },
      metrics,
      randomInteger: (min, max) => (min + max) / 2,
      log: () => {},
      lookupTimeoutMs: 1000,
    },
  });
  t.after(() => webhook.close());
  const pod = appPod();
  const answer = await postReview(webhook.url, podCreateReview(pod));
  const mutated = applyJsonPatch(pod, decodedPatch(answer.body['response'] as JsonObject)) as JsonObject;
  assert.equal(((mutated['metadata'] as JsonObject)['labels'] as JsonObject)['eks.amazonaws.com/pod-identity'], 'enabled');
  const env = (((mutated['spec'] as JsonObject)['containers'] as JsonObject[])[0]!['env'] as JsonObject[]).map((e) => e['name']);
  assert.deepEqual(env, ['AWS_STS_REGIONAL_ENDPOINTS', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE']);
  // A ServiceAccount not in any manifest (not yet created) still gets Pod Identity from its association.
  const worker = appPod({ spec: { serviceAccountName: 'worker', containers: [{ name: 'w', image: 'w' }] } });
  const workerAnswer = await postReview(webhook.url, podCreateReview(worker, 'jobs'));
  assert.equal((workerAnswer.body['response'] as JsonObject)['patchType'], 'JSONPatch');
  assert.match(metrics.render(), /^pod_identity_webhook_pod_count\{method="container_credentials"\} 2$/m);
});

/**
 * The Kubernetes API test double, driven by the real @kubernetes/client-node: REST semantics
 * (create/get/list/update/patch/delete, Status errors), watches and informers (resourceVersion, 410,
 * bookmarks), generation and the status subresource, finalizers, namespaces, CRDs, Leases and Events.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiException,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  makeInformer,
  setHeaderOptions,
  type KubeConfig,
  type V1ServiceAccount,
} from '@kubernetes/client-node';
import { KubeApiServer } from './api-server.js';
import { loopbackCertificate } from './tls-material.js';
import { waitUntil } from './wait-until.js';

const GROUP = 'test.rolecall.dev';

/** A CRD with a status subresource and a schema (as a platform's CRDs have). */
const WIDGET_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `widgets.${GROUP}` },
  spec: {
    group: GROUP,
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', shortNames: ['wd'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                properties: {
                  size: { type: 'integer', minimum: 1, maximum: 10 },
                  color: { type: 'string', enum: ['red', 'blue'] },
                  labels: { type: 'object', additionalProperties: { type: 'string' } },
                },
              },
              status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      },
    ],
  },
};

/** The Status object a failed client-node call carried. */
function statusOf(error: unknown): { code: number; reason: string; message: string } {
  assert.ok(error instanceof ApiException, `expected an ApiException, got ${String(error)}`);
  const body = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
  return { code: error.code, reason: body.reason, message: body.message };
}

async function rejection(promise: Promise<unknown>): Promise<{ code: number; reason: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return statusOf(error);
  }
  assert.fail('expected the call to fail');
}

const widget = (name: string, spec: Record<string, unknown> = { size: 1 }) => ({ apiVersion: `${GROUP}/v1`, kind: 'Widget', metadata: { name }, spec });
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

describe('Kubernetes API double over HTTPS with a bearer token', () => {
  let server: KubeApiServer;
  let config: KubeConfig;
  let core: CoreV1Api;
  let custom: CustomObjectsApi;

  before(async () => {
    server = await KubeApiServer.start({ tls: loopbackCertificate(), token: 'test-token', bookmarkIntervalMs: 50 });
    config = server.kubeConfig();
    core = config.makeApiClient(CoreV1Api);
    custom = config.makeApiClient(CustomObjectsApi);
    server.createFromManifests([WIDGET_CRD]);
  });
  after(() => server.stop());

  test('authentication: the kubeconfig token is accepted over verified TLS; a wrong token gets 401 Unauthorized', async () => {
    const namespaces = await core.listNamespace();
    assert.deepEqual(namespaces.items.map((ns) => ns.metadata?.name).sort(), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    assert.equal(namespaces.items[0]!.status?.phase, 'Active');
    const intruder = new KubeApiServerConfig(server, 'wrong-token');
    await assert.rejects(intruder.core().listNamespace(), (error: unknown) => error instanceof ApiException && error.code === 401);
  });

  test('create/get/update/patch/delete of a ServiceAccount with the API server Status errors', async () => {
    const created = await core.createNamespacedServiceAccount({
      namespace: 'default',
      body: { metadata: { name: 'app', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/app' } } },
    });
    assert.match(created.metadata!.uid!, /^[0-9a-f-]{36}$/);
    assert.match(created.metadata!.creationTimestamp!.toISOString(), /^\d{4}-/);
    assert.equal(created.metadata!.generation, undefined, 'built-in kinds without spec carry no generation');
    const duplicate = await rejection(core.createNamespacedServiceAccount({ namespace: 'default', body: { metadata: { name: 'app' } } }));
    assert.deepEqual(duplicate, { code: 409, reason: 'AlreadyExists', message: 'serviceaccounts "app" already exists' });
    const missing = await rejection(core.readNamespacedServiceAccount({ name: 'nope', namespace: 'default' }));
    assert.deepEqual(missing, { code: 404, reason: 'NotFound', message: 'serviceaccounts "nope" not found' });
    const noNamespace = await rejection(core.createNamespacedServiceAccount({ namespace: 'ghost', body: { metadata: { name: 'x' } } }));
    assert.deepEqual(noNamespace, { code: 404, reason: 'NotFound', message: 'namespaces "ghost" not found' });

    const read = await core.readNamespacedServiceAccount({ name: 'app', namespace: 'default' });
    const updated = await core.replaceNamespacedServiceAccount({
      name: 'app',
      namespace: 'default',
      body: { ...read, metadata: { ...read.metadata, labels: { team: 'a' } } },
    });
    assert.ok(Number(updated.metadata!.resourceVersion) > Number(read.metadata!.resourceVersion));
    const stale = await rejection(core.replaceNamespacedServiceAccount({ name: 'app', namespace: 'default', body: read }));
    assert.equal(stale.code, 409);
    assert.equal(stale.message, 'Operation cannot be fulfilled on serviceaccounts "app": the object has been modified; please apply your changes to the latest version and try again');

    const merged = await core.patchNamespacedServiceAccount(
      { name: 'app', namespace: 'default', body: { metadata: { labels: { team: null, tier: 'web' } } } },
      mergePatch,
    );
    assert.deepEqual(merged.metadata!.labels, { tier: 'web' });
    const patched = await core.patchNamespacedServiceAccount(
      { name: 'app', namespace: 'default', body: [{ op: 'add', path: '/metadata/annotations/eks.amazonaws.com~1audience', value: 'sts.amazonaws.com' }] },
      jsonPatch,
    );
    assert.equal(patched.metadata!.annotations!['eks.amazonaws.com/audience'], 'sts.amazonaws.com');
    const failedTest = await rejection(
      core.patchNamespacedServiceAccount({ name: 'app', namespace: 'default', body: [{ op: 'test', path: '/metadata/name', value: 'other' }] }, jsonPatch),
    );
    assert.equal(failedTest.code, 422);

    await core.deleteNamespacedServiceAccount({ name: 'app', namespace: 'default' });
    assert.equal((await rejection(core.readNamespacedServiceAccount({ name: 'app', namespace: 'default' }))).code, 404);
  });

  test('a write that changes nothing keeps the resourceVersion (no new revision, no watch event)', async () => {
    const secret = await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'keys' }, stringData: { a: 'b' } } });
    const again = await core.replaceNamespacedSecret({ name: 'keys', namespace: 'default', body: secret });
    assert.equal(again.metadata!.resourceVersion, secret.metadata!.resourceVersion);
  });

  test('lists: label selectors (equality, set, existence), field selectors, limit/continue pagination', async () => {
    for (const [name, tier] of [['sa-a', 'web'], ['sa-b', 'db'], ['sa-c', 'web'], ['sa-d', undefined]] as const) {
      await core.createNamespacedServiceAccount({ namespace: 'kube-public', body: { metadata: { name, labels: tier ? { tier } : {} } } });
    }
    const names = (list: { items: V1ServiceAccount[] }) => list.items.map((sa) => sa.metadata!.name);
    assert.deepEqual(names(await core.listNamespacedServiceAccount({ namespace: 'kube-public', labelSelector: 'tier=web' })), ['sa-a', 'sa-c']);
    assert.deepEqual(names(await core.listNamespacedServiceAccount({ namespace: 'kube-public', labelSelector: 'tier notin (web)' })), ['sa-b', 'sa-d']);
    assert.deepEqual(names(await core.listNamespacedServiceAccount({ namespace: 'kube-public', labelSelector: '!tier' })), ['sa-d']);
    assert.deepEqual(names(await core.listNamespacedServiceAccount({ namespace: 'kube-public', fieldSelector: 'metadata.name=sa-b' })), ['sa-b']);
    const first = await core.listNamespacedServiceAccount({ namespace: 'kube-public', limit: 3 });
    assert.deepEqual(names(first), ['sa-a', 'sa-b', 'sa-c']);
    assert.equal(first.metadata!.remainingItemCount, 1);
    const rest = await core.listNamespacedServiceAccount({ namespace: 'kube-public', limit: 3, _continue: first.metadata!._continue });
    assert.deepEqual(names(rest), ['sa-d']);
    assert.equal(rest.metadata!._continue, undefined);
    const everywhere = await core.listServiceAccountForAllNamespaces();
    assert.ok(everywhere.items.length >= 4);
  });

  test('CRD: registers a served type; custom objects get generation 1, pruning and schema validation (422)', async () => {
    const created = (await custom.createNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      namespace: 'default',
      plural: 'widgets',
      body: { ...widget('w1', { size: 2, unknownField: true }), status: { ready: true } },
    })) as { metadata: { generation: number; resourceVersion: string }; spec: Record<string, unknown>; status?: unknown };
    assert.equal(created.metadata.generation, 1);
    assert.deepEqual(created.spec, { size: 2 }, 'fields the schema does not declare are pruned');
    assert.equal(created.status, undefined, 'status is not set through the main resource when the status subresource is on');
    const invalid = await rejection(
      custom.createNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: 'default', plural: 'widgets', body: widget('w2', { size: 11, color: 'green' }) }),
    );
    assert.equal(invalid.code, 422);
    assert.equal(
      invalid.message,
      `Widget.${GROUP} "w2" is invalid: [spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10, spec.color: Unsupported value: "green": supported values: "red", "blue"]`,
    );
    const required = await rejection(custom.createNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: 'default', plural: 'widgets', body: widget('w3', {}) }));
    assert.equal(required.message, `Widget.${GROUP} "w3" is invalid: spec.size: Required value`);
    const list = (await custom.listNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: 'default', plural: 'widgets' })) as { kind: string; items: { kind: string }[] };
    assert.equal(list.kind, 'WidgetList');
    assert.equal(list.items[0]!.kind, 'Widget', 'custom resource list items carry their kind');
    // The generic client finds the resource through discovery (/apis/GROUP/v1).
    const generic = config.makeApiClient(KubernetesObjectApi);
    await generic.create({ ...widget('generic', { size: 5 }), metadata: { name: 'generic', namespace: 'default' } });
    const read = await generic.read({ apiVersion: `${GROUP}/v1`, kind: 'Widget', metadata: { name: 'generic', namespace: 'default' } });
    assert.deepEqual((read as unknown as { spec: unknown }).spec, { size: 5 });
  });

  test('generation is bumped by spec changes only; /status changes status only; PUT needs a resourceVersion', async () => {
    const params = { group: GROUP, version: 'v1', namespace: 'default', plural: 'widgets', name: 'gen' };
    await custom.createNamespacedCustomObject({ ...params, body: widget('gen') });
    const labelled = (await custom.patchNamespacedCustomObject({ ...params, body: { metadata: { labels: { a: 'b' } } } }, mergePatch)) as WidgetObject;
    assert.equal(labelled.metadata.generation, 1, 'metadata changes do not bump generation');
    const resized = (await custom.patchNamespacedCustomObject({ ...params, body: [{ op: 'replace', path: '/spec/size', value: 3 }] }, jsonPatch)) as WidgetObject;
    assert.equal(resized.metadata.generation, 2);
    const withStatus = (await custom.patchNamespacedCustomObjectStatus(
      { ...params, body: { spec: { size: 9 }, status: { observedGeneration: 2 } } },
      mergePatch,
    )) as WidgetObject;
    assert.equal(withStatus.metadata.generation, 2, 'status changes do not bump generation');
    assert.deepEqual(withStatus.spec, { size: 3 }, 'the status subresource ignores spec');
    assert.deepEqual(withStatus.status, { observedGeneration: 2 });
    const mainWithStatus = (await custom.replaceNamespacedCustomObject({ ...params, body: { ...withStatus, status: { observedGeneration: 99 } } })) as WidgetObject;
    assert.deepEqual(mainWithStatus.status, { observedGeneration: 2 }, 'the main resource ignores status');
    const { resourceVersion: _rv, ...unversioned } = mainWithStatus.metadata;
    const noVersion = await rejection(custom.replaceNamespacedCustomObject({ ...params, body: { ...mainWithStatus, metadata: unversioned } }));
    assert.equal(noVersion.code, 422);
    assert.equal(noVersion.message, `Widget.${GROUP} "gen" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`);
    const strategic = await rejection(
      custom.patchNamespacedCustomObject({ ...params, body: { spec: { size: 4 } } }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch)),
    );
    assert.equal(strategic.code, 415);
  });

  test('finalizers: delete sets deletionTimestamp and keeps the object until the last finalizer is removed', async () => {
    const params = { group: GROUP, version: 'v1', namespace: 'default', plural: 'widgets', name: 'fin' };
    await custom.createNamespacedCustomObject({ ...params, body: { ...widget('fin'), metadata: { name: 'fin', finalizers: ['rolecall.dev/cleanup'] } } });
    const deleting = (await custom.deleteNamespacedCustomObject(params)) as WidgetObject;
    assert.match(deleting.metadata.deletionTimestamp!, /Z$/);
    const still = (await custom.getNamespacedCustomObject(params)) as WidgetObject;
    assert.deepEqual(still.metadata.finalizers, ['rolecall.dev/cleanup']);
    const added = await rejection(
      custom.patchNamespacedCustomObject({ ...params, body: { metadata: { finalizers: ['rolecall.dev/cleanup', 'other/x'] } } }, mergePatch),
    );
    assert.equal(added.code, 422);
    assert.match(added.message, /no new finalizers can be added if the object is being deleted, found new finalizers \[\]string\{"other\/x"\}/);
    await custom.patchNamespacedCustomObject({ ...params, body: [{ op: 'remove', path: '/metadata/finalizers' }] }, jsonPatch);
    assert.equal((await rejection(custom.getNamespacedCustomObject(params))).code, 404);
  });

  test('Watch: ADDED/MODIFIED/DELETED in order from a resourceVersion, BOOKMARKs when allowed, 410 Expired after compaction', async () => {
    const start = await core.listNamespacedConfigMap({ namespace: 'default' });
    const events: { type: string; name: string; resourceVersion: string }[] = [];
    const controller = await new Watch(config).watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: start.metadata!.resourceVersion, allowWatchBookmarks: true },
      (type, object: { metadata: { name?: string; resourceVersion: string } }) => events.push({ type, name: object.metadata.name ?? '', resourceVersion: object.metadata.resourceVersion }),
      () => undefined,
    );
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cm' }, data: { a: '1' } } });
    await core.patchNamespacedConfigMap({ name: 'cm', namespace: 'default', body: { data: { a: '2' } } }, mergePatch);
    await core.deleteNamespacedConfigMap({ name: 'cm', namespace: 'default' });
    await waitUntil('a bookmark after the deletion', () => events.some((e) => e.type === 'BOOKMARK') && events.some((e) => e.type === 'DELETED'));
    controller.abort();
    const changes = events.filter((e) => e.type !== 'BOOKMARK');
    assert.deepEqual(changes.map((e) => `${e.type} ${e.name}`), ['ADDED cm', 'MODIFIED cm', 'DELETED cm']);
    const versions = changes.map((e) => Number(e.resourceVersion));
    assert.deepEqual([...versions].sort((a, b) => a - b), versions, 'resourceVersions increase');

    server.store.compact();
    const expired: unknown[] = [];
    const ended = new Promise<unknown>((resolve) => {
      void new Watch(config).watch('/api/v1/namespaces/default/configmaps', { resourceVersion: start.metadata!.resourceVersion }, (type, object) => expired.push({ type, object }), resolve);
    });
    await ended;
    assert.equal(expired.length, 1);
    const [error] = expired as { type: string; object: { code: number; reason: string; message: string } }[];
    assert.equal(error!.type, 'ERROR');
    assert.equal(error!.object.code, 410);
    assert.equal(error!.object.reason, 'Expired');
    assert.match(error!.object.message, /^too old resource version: \d+ \(\d+\)$/);
  });

  test('informer: lists, then watches; resumes after the server ends its watch; relists after 410', async () => {
    await core.createNamespace({ body: { metadata: { name: 'informed' } } });
    await core.createNamespacedServiceAccount({ namespace: 'informed', body: { metadata: { name: 'before' } } });
    const informer = makeInformer(config, '/api/v1/namespaces/informed/serviceaccounts', () => core.listNamespacedServiceAccount({ namespace: 'informed' }));
    const seen: string[] = [];
    informer.on('add', (sa) => seen.push(`add ${sa.metadata!.name}`));
    informer.on('update', (sa) => seen.push(`update ${sa.metadata!.name}`));
    informer.on('delete', (sa) => seen.push(`delete ${sa.metadata!.name}`));
    informer.on('error', (error) => seen.push(`error ${String(error)}`));
    await informer.start();
    await waitUntil('the informer watch', () => server.openWatchCount() > 0);
    await core.createNamespacedServiceAccount({ namespace: 'informed', body: { metadata: { name: 'during' } } });
    await core.patchNamespacedServiceAccount({ name: 'during', namespace: 'informed', body: { metadata: { labels: { x: 'y' } } } }, mergePatch);
    await waitUntil('the update', () => seen.includes('update during'));

    server.endWatches();
    await core.createNamespacedServiceAccount({ namespace: 'informed', body: { metadata: { name: 'while-reconnecting' } } });
    await waitUntil('the object created while the watch was down', () => informer.get('while-reconnecting', 'informed'));

    server.endWatches();
    server.store.compact();
    await core.deleteNamespacedServiceAccount({ name: 'before', namespace: 'informed' });
    await waitUntil('the relist after 410 to drop the deleted object', () => seen.includes('delete before'));
    await informer.stop();
    assert.deepEqual(seen.filter((line) => !line.startsWith('error')).slice(0, 3), ['add before', 'add during', 'update during']);
    assert.deepEqual(informer.list('informed').map((sa) => sa.metadata!.name).sort(), ['during', 'while-reconnecting']);
  });

  test('Leases (coordination.k8s.io/v1): create, optimistic-concurrency replace, create-on-update', async () => {
    const leases = config.makeApiClient(CoordinationV1Api);
    const lease = await leases.createNamespacedLease({
      namespace: 'kube-system',
      body: { metadata: { name: 'leader' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: new Date(), renewTime: new Date() } },
    });
    const taken = await leases.replaceNamespacedLease({ name: 'leader', namespace: 'kube-system', body: { ...lease, spec: { ...lease.spec, holderIdentity: 'b' } } });
    assert.equal(taken.spec!.holderIdentity, 'b');
    const raced = await rejection(leases.replaceNamespacedLease({ name: 'leader', namespace: 'kube-system', body: { ...lease, spec: { ...lease.spec, holderIdentity: 'c' } } }));
    assert.equal(raced.code, 409);
    const upserted = await leases.replaceNamespacedLease({ name: 'fresh', namespace: 'kube-system', body: { metadata: { name: 'fresh' }, spec: { holderIdentity: 'z' } } });
    assert.equal(upserted.spec!.holderIdentity, 'z');
  });

  test('Events (core v1) are created and listed with a field selector on the namespace', async () => {
    await core.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { generateName: 'w1.' },
        involvedObject: { apiVersion: `${GROUP}/v1`, kind: 'Widget', name: 'w1', namespace: 'default' },
        reason: 'Synced',
        message: 'widget synced',
        type: 'Normal',
        count: 1,
      },
    });
    const events = await core.listEventForAllNamespaces({ fieldSelector: 'metadata.namespace=default' });
    assert.equal(events.items.length, 1);
    assert.match(events.items[0]!.metadata!.name!, /^w1\.[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  test('namespace deletion: Terminating, new content forbidden (403), contents deleted, namespace gone once finalizers are released', async () => {
    await core.createNamespace({ body: { metadata: { name: 'doomed' } } });
    await custom.createNamespacedCustomObject({
      group: GROUP, version: 'v1', namespace: 'doomed', plural: 'widgets',
      body: { ...widget('held'), metadata: { name: 'held', finalizers: ['rolecall.dev/cleanup'] } },
    });
    await core.createNamespacedServiceAccount({ namespace: 'doomed', body: { metadata: { name: 'gone' } } });
    await core.deleteNamespace({ name: 'doomed' });
    const terminating = await core.readNamespace({ name: 'doomed' });
    assert.equal(terminating.status!.phase, 'Terminating');
    assert.equal((await rejection(core.readNamespacedServiceAccount({ name: 'gone', namespace: 'doomed' }))).code, 404);
    const forbidden = await rejection(core.createNamespacedServiceAccount({ namespace: 'doomed', body: { metadata: { name: 'late' } } }));
    assert.deepEqual(forbidden, {
      code: 403,
      reason: 'Forbidden',
      message: 'serviceaccounts "late" is forbidden: unable to create new content in namespace doomed because it is being terminated',
    });
    await custom.patchNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: 'doomed', plural: 'widgets', name: 'held', body: { metadata: { finalizers: null } } }, mergePatch);
    assert.equal((await rejection(core.readNamespace({ name: 'doomed' }))).code, 404);
  });
});

interface WidgetObject {
  metadata: { generation: number; resourceVersion: string; deletionTimestamp?: string; finalizers?: string[] };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** A client of the same server with another bearer token. */
class KubeApiServerConfig {
  constructor(
    private readonly server: KubeApiServer,
    private readonly token: string,
  ) {}

  core(): CoreV1Api {
    const config = this.server.kubeConfig();
    const user = config.getCurrentUser()!;
    (user as { token?: string }).token = this.token;
    return config.makeApiClient(CoreV1Api);
  }
}

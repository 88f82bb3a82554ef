/** The operator's deploy manifests: the RoleBlueprint CRD is current and served; the CRDs accept the example. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { roleBlueprintDefinition } from '../../../src/k8s/operator/custom-resources.js';
import { REPO_ROOT } from '../../e2e/harness.js';
import { KubeApiServer } from '../../k8s-api/api-server.js';
import type { KubeObject } from '../../k8s-api/object-store.js';
import { EXAMPLE_PATH } from '../../declare/blueprint/example-blueprint.js';

const BLUEPRINT_CRD = join(REPO_ROOT, 'deploy', 'operator', 'roleblueprints.rolecall.dev.yaml');

test('deploy/operator/roleblueprints.rolecall.dev.yaml is the CRD generated from the RoleBlueprint schema', () => {
  assert.deepEqual(parse(readFileSync(BLUEPRINT_CRD, 'utf8')), roleBlueprintDefinition(), 'stale: regenerate it with `rolecall operator crds`');
});

test('with deploy/crds/ and the RoleBlueprint CRD installed, the API accepts the example blueprint unpruned and its AWSProvider', async () => {
  const api = await KubeApiServer.start();
  try {
    const crdDir = join(REPO_ROOT, 'deploy', 'crds');
    const crds = [...readdirSync(crdDir).map((name) => parse(readFileSync(join(crdDir, name), 'utf8'))), parse(readFileSync(BLUEPRINT_CRD, 'utf8'))] as KubeObject[];
    api.createFromManifests(crds);
    const [provider, blueprint] = parseAllDocuments(readFileSync(EXAMPLE_PATH, 'utf8')).map((document) => document.toJS() as KubeObject & { spec: object });
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({ group: 'rolecall.dev', version: 'v1alpha1', namespace: 'default', plural: 'awsproviders', body: provider! });
    const withValues = { ...blueprint!, spec: { ...blueprint!.spec, values: { project: 'aos', env: 'prod' } } };
    const stored = (await custom.createNamespacedCustomObject({ group: 'rolecall.dev', version: 'v1alpha1', namespace: 'default', plural: 'roleblueprints', body: withValues })) as { spec: unknown };
    assert.deepEqual(stored.spec, withValues.spec, 'the schema declares every field the example uses (nothing pruned)');
  } finally {
    await api.stop();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { allCustomResourceDefinitions, checkAgainstSchema, loadManifests, type OpenApiSchema } from '../../src/declare/index.js';
import { REPO_ROOT } from '../e2e/harness.js';
import { seedFile, seedFiles } from './seed-fixtures.js';

const CRD_DIR = join(REPO_ROOT, 'deploy', 'crds');

interface Crd {
  metadata: { name: string };
  spec: {
    group: string;
    names: { kind: string; plural: string; shortNames: string[] };
    versions: Array<{ name: string; schema: { openAPIV3Schema: OpenApiSchema }; additionalPrinterColumns: Array<{ name: string; jsonPath: string; priority?: number }> }>;
  };
}

function crdFiles(): Map<string, Crd> {
  return new Map(readdirSync(CRD_DIR).filter((name) => name.endsWith('.yaml')).map((name) => [name, parse(readFileSync(join(CRD_DIR, name), 'utf8')) as Crd]));
}

test('deploy/crds/ holds exactly the CRDs generated from the schemas rolecall apply validates with', () => {
  const files = crdFiles();
  const generated = allCustomResourceDefinitions();
  assert.deepEqual([...files.keys()].sort(), [...generated.keys()].sort());
  for (const [name, crd] of generated) assert.deepEqual(files.get(name), crd, `${name} is stale: regenerate it from src/declare/crd.ts`);
});

test('printer columns Role, ARN, Ready, Age and short names, for both API groups', () => {
  for (const crd of crdFiles().values()) {
    const version = crd.spec.versions[0]!;
    const columns = version.additionalPrinterColumns.filter((column) => !column.priority).map((column) => column.name);
    if (crd.spec.names.kind === 'IAMRole') {
      assert.deepEqual(columns, ['Role', 'ARN', 'Ready', 'Age']);
      assert.deepEqual(crd.spec.names.shortNames, ['iamr']);
    } else if (crd.spec.names.kind === 'PodIdentityAssociation') {
      // Rolecall's group only: infra-operator has no such kind.
      assert.equal(crd.spec.group, 'rolecall.dev');
      assert.deepEqual(columns, ['Cluster', 'Namespace', 'Service Account', 'Association', 'Ready', 'Age']);
      assert.deepEqual(crd.spec.names.shortNames, ['pia']);
    } else {
      assert.deepEqual(columns, ['Region', 'Ready', 'Account', 'Age']);
      assert.deepEqual(crd.spec.names.shortNames, ['awsp']);
    }
    assert.equal(crd.metadata.name, `${crd.spec.names.plural}.${crd.spec.group}`);
  }
  assert.deepEqual([...new Set([...crdFiles().values()].map((crd) => crd.spec.group))].sort(), ['aws-infra-operator.runner.codes', 'rolecall.dev']);
});

/** Kubernetes' structural schema rules: every node has a type, every array its items. */
function structuralProblems(schema: OpenApiSchema, at: string): string[] {
  const problems: string[] = [];
  if (!schema.type) problems.push(`${at}: no type`);
  if (schema.type === 'array' && !schema.items) problems.push(`${at}: array without items`);
  for (const [name, member] of Object.entries(schema.properties ?? {})) problems.push(...structuralProblems(member, `${at}.${name}`));
  if (schema.items) problems.push(...structuralProblems(schema.items, `${at}[]`));
  if (schema.additionalProperties) problems.push(...structuralProblems(schema.additionalProperties, `${at}{}`));
  return problems;
}

test('the CRD schemas are structural (apiextensions.k8s.io/v1 rejects any other)', () => {
  for (const [name, crd] of crdFiles()) assert.deepEqual(structuralProblems(crd.spec.versions[0]!.schema.openAPIV3Schema, name), []);
});

test('every seed 001 AWSProvider and IAMRole example validates against the CRD schema of both groups', async () => {
  const files = crdFiles();
  const documents = await loadManifests(seedFiles().map(seedFile));
  let checked = 0;
  for (const { object } of documents) {
    if (object.kind === 'Secret') continue;
    for (const group of ['aws-infra-operator.runner.codes', 'rolecall.dev']) {
      const crd = [...files.values()].find((candidate) => candidate.spec.group === group && candidate.spec.names.kind === object.kind)!;
      const problems = checkAgainstSchema({ ...object, apiVersion: `${group}/v1alpha1` }, crd.spec.versions[0]!.schema.openAPIV3Schema);
      assert.deepEqual(problems, [], `${String(object.kind)} ${JSON.stringify(object.metadata)}`);
      checked++;
    }
  }
  assert.equal(checked, 2 * 14);
});

test('the CRD schema rejects what infra-operator only checked in code: a path without slashes, an unknown deletionPolicy', () => {
  const crd = crdFiles().get('rolecall.dev_iamroles.yaml')!;
  const schema = crd.spec.versions[0]!.schema.openAPIV3Schema;
  const role = { apiVersion: 'rolecall.dev/v1alpha1', kind: 'IAMRole', metadata: { name: 'x' }, spec: { providerRef: { name: 'p' }, roleName: 'x', assumeRolePolicyDocument: '{}', path: 'x', deletionPolicy: 'Keep' } };
  assert.deepEqual(checkAgainstSchema(role, schema).map((problem) => problem.field), ['spec.path', 'spec.deletionPolicy']);
});

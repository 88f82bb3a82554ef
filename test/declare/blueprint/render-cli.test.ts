/** `rolecall blueprint render` as a user runs it: output formats, warnings on stderr, errors and exit codes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../../e2e/harness.js';
import { EXAMPLE_PATH } from './example-blueprint.js';

function rolecall(args: string[]) {
  return spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'), ...args], { encoding: 'utf8' });
}

test('rolecall blueprint render -o yaml: the provider passes through, then 14 IAMRoles, 3 IRSA ServiceAccounts and 7 Pod Identity associations', () => {
  const result = rolecall(['blueprint', 'render', '-f', EXAMPLE_PATH, '--set', 'project=aos', '--set', 'env=prod']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, '');
  const kinds = parseAllDocuments(result.stdout).map((document) => (document.toJS() as { kind: string }).kind);
  assert.deepEqual(kinds, ['AWSProvider', ...Array(14).fill('IAMRole'), ...Array(3).fill('ServiceAccount'), ...Array(7).fill('PodIdentityAssociation')]);
});

test('rolecall blueprint render -o json: a v1 List; the development trust pattern is warned about on stderr', () => {
  const result = rolecall(['blueprint', 'render', '-f', EXAMPLE_PATH, '--set', 'project=aos', '--set=env=dev', '--set', 'workloadTrust=irsaAnyNamespace', '-o', 'json']);
  assert.equal(result.status, 0, result.stderr);
  const list = JSON.parse(result.stdout) as { kind: string; items: { kind: string; spec?: { roleName?: string } }[] };
  assert.equal(list.kind, 'List');
  assert.equal(list.items.filter((item) => item.kind === 'IAMRole')[0]!.spec!.roleName, 'aos-dev-app');
  const warnings = result.stderr.trim().split('\n');
  assert.equal(warnings.length, 7);
  assert.match(warnings[0]!, /^warning: role aos-dev-app uses trust mode irsaAnyNamespace/);
});

test('rolecall blueprint render without a required parameter: exit 1 and an error naming the file, the object and the parameter', () => {
  const result = rolecall(['blueprint', 'render', '-f', EXAMPLE_PATH, '--set', 'env=prod']);
  assert.equal(result.status, 1);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr, `error: ${EXAMPLE_PATH} (document 2): RoleBlueprint default/aoscloud: parameter project: no value given and no default (set it with --set project=VALUE)\n`);
});

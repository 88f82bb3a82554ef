import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests, ManifestError, parseManifestText } from '../../src/declare/index.js';
import { seedFile, seedFiles } from './seed-fixtures.js';

test('kubectl -f: one file holds several objects separated by ---, empty documents skipped', () => {
  const documents = parseManifestText('---\nkind: A\nmetadata: {name: a}\n---\n---\nkind: B\nmetadata: {name: b}\n', 'x.yaml');
  assert.deepEqual(
    documents.map((document) => [document.object.kind, document.document]),
    [
      ['A', 1],
      ['B', 3],
    ],
  );
});

test('kubectl -f: a kind: List is unwrapped into its items', () => {
  const documents = parseManifestText(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'A' }, { kind: 'B' }] }), 'list.json');
  assert.deepEqual(documents.map((document) => document.object.kind), ['A', 'B']);
});

test('YAML errors and duplicate keys name the file and document', () => {
  assert.throws(() => parseManifestText('kind: A\n---\nkind: B\nkind: C\n', 'dup.yaml'), (error: unknown) => {
    assert.ok(error instanceof ManifestError);
    assert.match(error.message, /^dup\.yaml \(document 2\): YAML: /);
    return true;
  });
  assert.throws(() => parseManifestText('- a\n- b\n', 'seq.yaml'), /seq\.yaml \(document 1\): a manifest must be a mapping/);
});

test('kubectl -f DIR reads its .yaml/.yml/.json files in name order; -R descends into subdirectories', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rolecall-manifests-'));
  try {
    await writeFile(join(dir, 'b.yaml'), 'kind: B\n');
    await writeFile(join(dir, 'a.yml'), 'kind: A\n');
    await writeFile(join(dir, 'notes.txt'), 'kind: Ignored\n');
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'c.json'), '{"kind": "C"}');
    assert.deepEqual((await loadManifests([dir])).map((document) => document.object.kind), ['A', 'B']);
    assert.deepEqual((await loadManifests([dir], { recursive: true })).map((document) => document.object.kind), ['A', 'B', 'C']);
    assert.deepEqual((await loadManifests(['-'], { readStdin: async () => 'kind: S\n' })).map((document) => [document.object.kind, document.source]), [['S', '<stdin>']]);
    await assert.rejects(loadManifests([join(dir, 'missing.yaml')]), /missing\.yaml: the path does not exist/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('every seed 001 fixture file parses', async () => {
  const documents = await loadManifests(seedFiles().map(seedFile));
  const kinds = documents.map((document) => document.object.kind);
  assert.equal(kinds.filter((kind) => kind === 'IAMRole').length, 12);
  assert.equal(kinds.filter((kind) => kind === 'AWSProvider').length, 2);
  assert.equal(kinds.filter((kind) => kind === 'Secret').length, 1);
});

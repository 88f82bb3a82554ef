import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// ../shared/DESIGN.md: "inner layers never import outer ones", in this order from the inside out.
const LAYERS = ['policy', 'model', 'store', 'iam', 'sts', 'organizations', 'eks', 'auth', 'protocol', 'server', 'declare', 'k8s', 'analyze', 'cli'];
const SRC = join(process.cwd(), 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('DESIGN.md layers: no module imports a layer outside its own', () => {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const layer = relative(SRC, file).split('/')[0]!;
    const rank = LAYERS.indexOf(layer);
    assert.ok(rank >= 0, `${file} is in no known layer`);
    for (const match of readFileSync(file, 'utf8').matchAll(/from '\.\.\/([a-z0-9-]+)\//g)) {
      const imported = LAYERS.indexOf(match[1]!);
      if (imported > rank) violations.push(`${relative(SRC, file)} imports ${match[1]}/`);
    }
  }
  assert.deepEqual(violations, []);
});

test('DESIGN.md: policy/ is pure — no Node built-ins and no packages', () => {
  const impure = sourceFiles(join(SRC, 'policy')).filter((file) => /from '(node:|[a-z@])/.test(readFileSync(file, 'utf8')));
  assert.deepEqual(impure.map((f) => relative(SRC, f)), []);
});

// The cold path in a long-running process (docs/performance.md): once a server keeps thousands of
// compiled policies, V8 pretenures every allocation site whose objects those policies keep, and a cold
// request's throwaway document and compiled form, if built at such a site, are allocated in the old
// generation — the cold path then ran at half its speed. The parser and the compiler build what a compiled
// policy keeps without object or array literals (src/policy/young-objects.ts); this checks, with V8's own
// %InYoungGeneration in a child process, that a new document's objects are still allocated young.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PROBE = fileURLToPath(new URL('./young-allocation-probe.js', import.meta.url));

test('cold path: after thousands of compiled policies are kept, a new document is parsed and compiled into young objects only (V8 allocation-site pretenuring)', () => {
  // A 1 MB semi-space makes V8 decide pretenuring within a few thousand documents.
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--max-semi-space-size=1', PROBE], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout) as { kept: number; controlPretenured: boolean; old: string[] };
  assert.equal(report.controlPretenured, true, "the probe's own kept object literal was not pretenured: the test's premise did not arise");
  assert.deepEqual(report.old, []);
});

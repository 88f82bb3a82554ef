/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`, e.g. the server bench's --profile): the functions
 * with the most self time, and the functions with the most inclusive time (each sample counted once per
 * function on its stack), as shares of all samples.
 *
 *   node dist/bench/server/profile-summary.js FILE.cpuprofile [--top N]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^file:\/\//, '').replace(/^.*\/(dist|node_modules)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}

function top(counts: Map<string, number>, total: number, limit: number): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, count]) => `${((100 * count) / total).toFixed(1).padStart(5)}%  ${name}`);
}

/** The two tables for one profile. */
function summarizeProfile(profile: CpuProfile, limit = 25): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const id of profile.samples) {
    const node = byId.get(id)!;
    const name = label(node);
    if (name.startsWith('(idle)')) continue;
    total++;
    self.set(name, (self.get(name) ?? 0) + 1);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) onStack.add(label(byId.get(at)!));
    for (const frame of onStack) inclusive.set(frame, (inclusive.get(frame) ?? 0) + 1);
  }
  return [
    `${total} busy samples (idle excluded)`,
    '',
    'Self time:',
    ...top(self, total, limit),
    '',
    'Inclusive time:',
    ...top(inclusive, total, limit),
  ].join('\n');
}

function main(): number {
  const args = process.argv.slice(2);
  const file = args[0];
  const limit = args[1] === '--top' ? Number(args[2]) : 25;
  if (!file || !(limit > 0)) {
    process.stderr.write('usage: node dist/bench/server/profile-summary.js FILE.cpuprofile [--top N]\n');
    return 2;
  }
  process.stdout.write(`${summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, limit)}\n`);
  return 0;
}

process.exitCode = main();

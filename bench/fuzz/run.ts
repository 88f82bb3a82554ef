/**
 * `npm run fuzz`: the parser properties of bench/fuzz/properties.ts at nightly size.
 *
 *   node dist/bench/fuzz/run.js [--runs N] [--seed S]
 */
import { FUZZ_PROPERTIES } from './properties.js';

const USAGE = 'usage: node dist/bench/fuzz/run.js [--runs N (default 20000 per property)] [--seed S]';

function option(name: string, fallback: number | undefined): number | undefined {
  const index = process.argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number\n${USAGE}`);
  return value;
}

const runs = option('--runs', 20_000)!;
const seed = option('--seed', undefined) ?? Date.now() % 2 ** 31;
process.stdout.write(`fuzzing ${FUZZ_PROPERTIES.length} parsers, ${runs} runs each, seed ${seed}\n`);
let failures = 0;
for (const property of FUZZ_PROPERTIES) {
  const started = performance.now();
  try {
    await property.check(runs, seed);
    process.stdout.write(`ok    ${property.name} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  } catch (error) {
    failures++;
    process.stdout.write(`FAIL  ${property.name}\n${error instanceof Error ? error.message : String(error)}\n`);
  }
}
process.exitCode = failures === 0 ? 0 : 1;

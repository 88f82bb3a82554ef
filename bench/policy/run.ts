/**
 * `npm run bench`: Rolecall's policy engine against @cloud-copilot/iam-simulate on four workloads,
 * measured in the same process: throughput of each, their ratio, and whether they decide alike. Three
 * measure the warm path (policies compiled before timing); `cold` measures policies never seen before.
 *
 *   node dist/bench/policy/run.js [--json] [--size N] [--seconds S] [--only IDS] [--same-process]
 *
 * Each workload runs in a fresh Node process of its own unless --same-process is given (or only one is
 * asked for): in one process, what V8 learns from a workload (which allocation sites make long-lived
 * objects, and so allocate them in the old generation) carries over to the next. --same-process measures
 * that, as a long-running server lives it: the cold workload after the three warm ones ran at less than
 * half its speed until the parser and the compiler stopped building what they keep at such sites
 * (docs/performance.md, "The cold path in a long-running process").
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compareDecisions } from './agreement.js';
import { buildColdWorkload } from './cold-workload.js';
import { buildConditionWorkload } from './condition-workload.js';
import { decideUnsafe, decideValidated, explainPeerDecision, toSimulation } from './iam-simulate-engine.js';
import { measureAsyncPass, measureSync, type Measurement } from './measure.js';
import { countDecisions, formatText, targetsOf, type BenchReport, type WorkloadResult } from './report.js';
import { decide, decideCold, explainColdDecision, explainDecision, toColdInputs, toEvaluationInputs } from './rolecall-engine.js';
import { buildSimpleWorkload } from './simple-workload.js';
import { buildWildcardWorkload } from './wildcard-workload.js';
import type { Workload } from './workload.js';

interface Options {
  json: boolean;
  size: number;
  seconds: number;
  /** The workloads to run, by id; all when empty. */
  only: string[];
  /** Run every workload in this process instead of one child process each. */
  sameProcess: boolean;
}

const WORKLOAD_IDS = ['simple', 'wildcards', 'conditions', 'cold'];
const USAGE = `usage: node dist/bench/policy/run.js [--json] [--size REQUESTS_PER_WORKLOAD] [--seconds SECONDS_PER_MEASUREMENT] [--only ${WORKLOAD_IDS.join(',')}] [--same-process]`;

function positiveNumber(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number\n${USAGE}`);
  return value;
}

function workloadIds(text: string | undefined): string[] {
  const ids = (text ?? '').split(',').filter((id) => id !== '');
  const unknown = ids.find((id) => !WORKLOAD_IDS.includes(id));
  if (ids.length === 0 || unknown !== undefined) throw new Error(`--only takes workload ids among ${WORKLOAD_IDS.join(', ')}\n${USAGE}`);
  return ids;
}

function parseOptions(args: readonly string[]): Options {
  const options: Options = { json: false, size: 5000, seconds: 1.5, only: [], sameProcess: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--size') options.size = Math.floor(positiveNumber(arg, args[++i]));
    else if (arg === '--seconds') options.seconds = positiveNumber(arg, args[++i]);
    else if (arg === '--only') options.only = workloadIds(args[++i]);
    else if (arg === '--same-process') options.sameProcess = true;
    else throw new Error(`unknown argument '${arg}'\n${USAGE}`);
  }
  return options;
}

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

function iamSimulateVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@cloud-copilot/iam-simulate'));
  const manifest = entry.slice(0, entry.lastIndexOf('/dist/')) + '/package.json';
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

interface RolecallSide {
  measure(seconds: number): Measurement;
  explain(index: number): string;
}

/** Policies compiled before timing: the timed loop is evaluate() alone. */
function warmSide(workload: Workload): RolecallSide {
  const inputs = toEvaluationInputs(workload.cases);
  return { measure: (seconds) => measureSync(inputs, decide, seconds), explain: (index) => explainDecision(inputs[index]!) };
}

/** Policies as never-seen JSON text: the timed loop is parse, validate, compile and evaluate. */
function coldSide(workload: Workload): RolecallSide {
  const inputs = toColdInputs(workload.cases);
  return { measure: (seconds) => measureSync(inputs, decideCold, seconds), explain: (index) => explainColdDecision(inputs[index]!) };
}

async function benchWorkload(workload: Workload, seconds: number): Promise<WorkloadResult> {
  const requests = workload.cases.map((c) => c.request);

  progress(`${workload.id}: iam-simulate runSimulation over ${requests.length} requests`);
  const simulations = workload.cases.map(toSimulation);
  const validated = await measureAsyncPass(simulations, decideValidated, Math.min(200, simulations.length));
  progress(`${workload.id}: iam-simulate runUnsafeSimulation`);
  const unsafe = measureSync(simulations, decideUnsafe, seconds);
  const peerDecisions = validated.results.map((outcome) => outcome.decision);
  const unsafeDisagreements = unsafe.decisions.filter((decision, i) => peerDecisions[i] !== undefined && decision !== peerDecisions[i]).length;

  progress(`${workload.id}: Rolecall${workload.cold ? ' (cold: every policy new)' : ''}`);
  const compileStart = performance.now();
  const rolecallSide = workload.cold ? coldSide(workload) : warmSide(workload);
  const compileMilliseconds = performance.now() - compileStart;
  const rolecall = rolecallSide.measure(seconds);

  const agreement = await compareDecisions({
    requests,
    rolecall: rolecall.decisions,
    iamSimulate: validated.results,
    explainRolecall: rolecallSide.explain,
    explainIamSimulate: (index) => explainPeerDecision(simulations[index]!),
  });

  return {
    id: workload.id,
    title: workload.title,
    ...(workload.cold ? { cold: true } : {}),
    requests: requests.length,
    rolecall: { compileMilliseconds, throughput: rolecall.throughput, decisions: countDecisions(rolecall.decisions) },
    iamSimulate: { validated: validated.throughput, unsafe: unsafe.throughput, unsafeDisagreements, decisions: countDecisions(peerDecisions) },
    ratio: {
      validated: rolecall.throughput.perSecond / validated.throughput.perSecond,
      unsafe: rolecall.throughput.perSecond / unsafe.throughput.perSecond,
    },
    agreement,
  };
}

const BUILDERS: Record<string, (size: number) => Workload> = {
  simple: buildSimpleWorkload,
  wildcards: buildWildcardWorkload,
  conditions: buildConditionWorkload,
  cold: buildColdWorkload,
};

/** Each workload is built just before it runs, so nothing of one outlives it into the next. */
async function runHere(ids: readonly string[], options: Options): Promise<WorkloadResult[]> {
  const results: WorkloadResult[] = [];
  for (const id of ids) results.push(await benchWorkload(BUILDERS[id]!(options.size), options.seconds));
  return results;
}

/** Runs one workload in a child Node process (same flags) and reads its JSON report. */
function runInChild(id: string, options: Options): WorkloadResult {
  const script = fileURLToPath(import.meta.url);
  const args = [...process.execArgv, script, '--only', id, '--json', '--size', String(options.size), '--seconds', String(options.seconds)];
  const output = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 256 * 1024 * 1024 });
  return (JSON.parse(output) as BenchReport).workloads[0]!;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const ids = options.only.length > 0 ? options.only : WORKLOAD_IDS;
  const isolation = options.sameProcess || ids.length === 1 ? 'shared' : 'process';
  const results = isolation === 'shared' ? await runHere(ids, options) : ids.map((id) => runInChild(id, options));
  const report: BenchReport = {
    node: process.version,
    iamSimulateVersion: iamSimulateVersion(),
    requestsPerWorkload: options.size,
    secondsPerWorkload: options.seconds,
    isolation,
    workloads: results,
    targets: targetsOf(results),
  };
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatText(report)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

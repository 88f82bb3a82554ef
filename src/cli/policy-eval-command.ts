/** `rolecall policy eval`: decide a JSON-lines stream of requests, one output line per input line. */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { EvaluationLineDecider } from './evaluation-line.js';

export const POLICY_EVAL_USAGE = `Usage: rolecall policy eval [--explain] < requests.jsonl > decisions.jsonl

Reads one JSON request per line from stdin and writes one JSON decision per line to stdout, in order
(blank lines are skipped). A line that cannot be decided gets {"error":{"code":...,"message":...}} and
the stream goes on. Format: docs/policy-eval.md.

Options:
  --explain   add "explain" (the summary and every statement's match) to each decision
`;

/** Runs `policy eval` over the given streams; exit 0 once every line was answered. */
export async function runPolicyEval(
  args: string[],
  input: Readable = process.stdin,
  output: Writable = process.stdout,
  errors: Writable = process.stderr,
): Promise<number> {
  const options = parseEvalArguments(args);
  if (options === 'help') {
    output.write(POLICY_EVAL_USAGE);
    return 0;
  }
  if (typeof options === 'string') {
    errors.write(`rolecall policy eval: ${options}\n\n${POLICY_EVAL_USAGE}`);
    return 2;
  }
  return streamDecisions(new EvaluationLineDecider(options), input, output, errors);
}

function parseEvalArguments(args: string[]): { explain: boolean } | 'help' | string {
  let explain = false;
  for (const arg of args) {
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--explain') explain = true;
    else return arg.startsWith('-') ? `unknown option '${arg}'` : `unexpected argument '${arg}' (requests are read from stdin)`;
  }
  return { explain };
}

async function streamDecisions(decider: EvaluationLineDecider, input: Readable, output: Writable, errors: Writable): Promise<number> {
  // readline's iterator pauses stdin while lines wait to be consumed, so memory stays bounded by the
  // longest line; waiting for 'drain' carries the same backpressure from stdout back to stdin.
  const lines = createInterface({ input, crlfDelay: Infinity });
  let streamError: unknown;
  const stopOnStreamError = (error: unknown): void => {
    streamError ??= error;
    lines.close();
  };
  output.on('error', stopOnStreamError);
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      if (streamError !== undefined) break;
      lineNumber += 1;
      if (line.trim() === '') continue;
      const text = `${JSON.stringify(decider.decide(line, lineNumber))}\n`;
      if (!output.write(text)) await once(output, 'drain');
    }
  } catch (thrown) {
    streamError ??= thrown;
  } finally {
    // The error listener stays: a write still in flight may fail after we return.
    lines.close();
  }
  if (streamError === undefined) return 0;
  // A closed stdout (say `| head`) is the reader's choice, not a fault worth a message.
  if (!isBrokenPipe(streamError)) errors.write(`rolecall policy eval: ${describe(streamError)}\n`);
  return 1;
}

function describe(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

function isBrokenPipe(thrown: unknown): boolean {
  return typeof thrown === 'object' && thrown !== null && (thrown as { code?: unknown }).code === 'EPIPE';
}

/** `rolecall policy ...`: evaluation and validation from the command line. */
import { POLICY_EVAL_USAGE, runPolicyEval } from './policy-eval-command.js';
import { POLICY_VALIDATE_USAGE, runPolicyValidate } from './policy-validate-command.js';

const POLICY_USAGE = `Usage: rolecall policy <subcommand>

Subcommands:
  eval [--explain] < requests.jsonl > decisions.jsonl
      Decide each JSON-lines request with AWS's policy evaluation logic (format: docs/policy-eval.md).
  validate FILE --kind identity|resource|trust|scp|rcp|boundary|session
      Print AWS's MalformedPolicyDocument/LimitExceeded error for FILE, or "valid" (exit 0 valid, 1 not).

${POLICY_EVAL_USAGE}
${POLICY_VALIDATE_USAGE}`;

/** Dispatches `rolecall policy SUBCOMMAND ...`; returns the exit code. */
export async function runPolicyCommand(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  switch (subcommand) {
    case 'eval':
      return runPolicyEval(rest);
    case 'validate':
      return runPolicyValidate(rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(POLICY_USAGE);
      return 0;
    case undefined:
      process.stderr.write(`rolecall policy: a subcommand is required\n\n${POLICY_USAGE}`);
      return 2;
    default:
      process.stderr.write(`rolecall policy: unknown subcommand '${subcommand}'\n\n${POLICY_USAGE}`);
      return 2;
  }
}

#!/usr/bin/env node
/** The `rolecall` command: a thin dispatcher; each command calls the layers below it. */
import { UsageError } from './flags.js';
import { runPolicyCommand } from './policy-command.js';
import { runServeCommand, SERVE_USAGE } from './serve-command.js';

const USAGE = `rolecall — AWS IAM and STS, self-hosted, for Kubernetes workloads

Usage:
  ${SERVE_USAGE}
  rolecall policy eval [--explain] < requests.jsonl > decisions.jsonl
      Decide each JSON-lines request with AWS's policy evaluation logic (format: docs/policy-eval.md).
  rolecall policy validate FILE --kind identity|resource|trust|scp|rcp|boundary|session
      Print AWS's MalformedPolicyDocument/LimitExceeded error for FILE, or "valid" (exit 0 valid, 1 not).
  rolecall help
      Show this help.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    case 'policy':
      return runPolicyCommand(rest);
    case 'serve':
      return runServeCommand(rest);
    default:
      process.stderr.write(`rolecall: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`rolecall: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);

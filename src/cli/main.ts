#!/usr/bin/env node
/** The `rolecall` command: a thin dispatcher; each command calls the layers below it. */
import { UsageError } from './flags.js';
import { ACCOUNT_USAGE, AUDIT_USAGE, BLUEPRINT_USAGE, DECLARE_USAGE, OPERATOR_USAGE, SERVE_USAGE } from './usage.js';

const USAGE = `rolecall — AWS IAM and STS, self-hosted, for Kubernetes workloads

Usage:
  ${SERVE_USAGE}
  ${ACCOUNT_USAGE}
  ${AUDIT_USAGE}
  ${DECLARE_USAGE}
  ${BLUEPRINT_USAGE}
  ${OPERATOR_USAGE}
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
    // Each command loads only its own layers: `policy` must not start up the server stack.
    case 'policy':
      return (await import('./policy-command.js')).runPolicyCommand(rest);
    case 'serve':
      return (await import('./serve-command.js')).runServeCommand(rest);
    case 'account':
      return (await import('./account-command.js')).runAccountCommand(rest);
    case 'audit':
      return (await import('./audit-command.js')).runAuditCommand(rest);
    case 'apply':
    case 'diff':
    case 'get':
    case 'describe':
    case 'delete':
      return (await import('./declare-command.js')).runDeclareCommand(command, rest);
    case 'operator':
      return (await import('./operator-command.js')).runOperatorCommand(rest);
    case 'blueprint':
      return (await import('./blueprint-command.js')).runBlueprintCommand(rest);
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

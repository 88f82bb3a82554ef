#!/usr/bin/env node
/** The `rolecall` command: a thin dispatcher; each command calls the layers below it. */
import { UsageError } from './flags.js';
import {
  ACCOUNT_USAGE,
  AGENT_USAGE,
  AUDIT_USAGE,
  BLUEPRINT_USAGE,
  CLUSTER_USAGE,
  DECLARE_USAGE,
  KEYS_USAGE,
  MFA_USAGE,
  OPERATOR_USAGE,
  RUN_USAGE,
  SERVE_USAGE,
  TOKEN_USAGE,
  WEBHOOK_USAGE,
} from './usage.js';

const USAGE = `rolecall — AWS IAM and STS, self-hosted, for Kubernetes workloads

Usage:
  ${SERVE_USAGE}
  ${ACCOUNT_USAGE}
  ${AUDIT_USAGE}
  ${MFA_USAGE}
  ${KEYS_USAGE}
  ${WEBHOOK_USAGE}
  ${AGENT_USAGE}
  ${RUN_USAGE}
  ${DECLARE_USAGE}
  ${CLUSTER_USAGE}
  ${TOKEN_USAGE}
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
    case 'mfa':
      return (await import('./mfa-command.js')).runMfaCommand(rest);
    case 'keys':
      return (await import('./keys-command.js')).runKeysCommand(rest);
    case 'webhook':
      return (await import('./webhook-command.js')).runWebhookCommand(rest);
    case 'agent':
      return (await import('./agent-command.js')).runAgentCommand(rest);
    case 'run':
      return (await import('./run-command.js')).runRunCommand(rest);
    case 'apply':
    case 'diff':
    case 'get':
    case 'describe':
    case 'delete':
      return (await import('./declare-command.js')).runDeclareCommand(command, rest);
    case 'cluster':
      return (await import('./cluster-command.js')).runClusterCommand(rest);
    case 'token':
      return (await import('./token-command.js')).runTokenCommand(rest);
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

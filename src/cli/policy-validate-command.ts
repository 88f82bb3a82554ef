/** `rolecall policy validate FILE --kind KIND`: AWS's verdict on one policy document. */
import { readFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { validatePolicy } from '../policy/index.js';
import { POLICY_KINDS, type PolicyKind } from '../policy/types.js';

export const POLICY_VALIDATE_USAGE = `Usage: rolecall policy validate FILE --kind ${POLICY_KINDS.join('|')}

Checks the policy document in FILE (- reads stdin) as AWS does when the policy is stored, size quota
included. Prints "valid" (exit 0) or AWS's error as "CODE: message" (exit 1), e.g.
  MalformedPolicyDocument: Policy document should not specify a principal.
Usage errors exit 2.
`;

interface ValidateArguments {
  file: string;
  kind: PolicyKind;
}

/** Runs `policy validate`; exit 0 valid, 1 invalid, 2 usage or read error. */
export async function runPolicyValidate(
  args: string[],
  input: Readable = process.stdin,
  output: Writable = process.stdout,
  errors: Writable = process.stderr,
): Promise<number> {
  const parsed = parseValidateArguments(args);
  if (parsed === 'help') {
    output.write(POLICY_VALIDATE_USAGE);
    return 0;
  }
  if (typeof parsed === 'string') {
    errors.write(`rolecall policy validate: ${parsed}\n\n${POLICY_VALIDATE_USAGE}`);
    return 2;
  }
  let document: string;
  try {
    document = parsed.file === '-' ? await readAll(input) : await readFile(parsed.file, 'utf8');
  } catch (thrown) {
    errors.write(`rolecall policy validate: cannot read ${parsed.file}: ${thrown instanceof Error ? thrown.message : String(thrown)}\n`);
    return 2;
  }
  const result = validatePolicy(document, parsed.kind);
  if (result.valid) {
    output.write('valid\n');
    return 0;
  }
  output.write(`${result.error.code}: ${result.error.message}\n`);
  return 1;
}

function parseValidateArguments(args: string[]): ValidateArguments | 'help' | string {
  const files: string[] = [];
  let kind: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--kind') {
      kind = args[++i];
      if (kind === undefined) return "option '--kind' needs a value";
    } else if (arg.startsWith('--kind=')) {
      kind = arg.slice('--kind='.length);
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown option '${arg}'`;
    } else {
      files.push(arg);
    }
  }
  if (files.length !== 1) return files.length === 0 ? 'FILE is required (- for stdin)' : 'give exactly one FILE';
  if (kind === undefined) return '--kind is required';
  if (!isPolicyKind(kind)) return `unknown kind '${kind}' (expected one of ${POLICY_KINDS.join(', ')})`;
  return { file: files[0]!, kind };
}

function isPolicyKind(text: string): text is PolicyKind {
  return (POLICY_KINDS as readonly string[]).includes(text);
}

async function readAll(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * kubectl's flags for the declare commands: `-f FILE|DIR|-` (repeatable), `-R`, `-o FORMAT`, plus the
 * long forms, translated to what parseFlags reads.
 */
import { parseFlags, UsageError, type ParsedFlags } from './flags.js';

export interface DeclareFlags {
  files: string[];
  recursive: boolean;
  output?: string;
  prune: boolean;
  ignoreNotFound: boolean;
  endpoint?: string;
  /** Where EKS calls go for providers that name no endpoint. */
  eksEndpoint?: string;
  concurrency: number;
  parameters: Record<string, string>;
  positional: string[];
}

const SHORT: Record<string, string> = { '-f': '--filename', '-R': '--recursive', '-o': '--output' };

/** Parses the declare commands' arguments; `allowed` are the long switches and values the command takes. */
export function parseDeclareFlags(args: readonly string[], allowed: { values: string[]; switches: string[] }): DeclareFlags {
  const files: string[] = [];
  const parameters: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    let arg = args[i]!;
    const short = /^(-[fRo])(.*)$/.exec(arg);
    if (short) arg = short[2] ? `${SHORT[short[1]!]}=${short[2]!.replace(/^=/, '')}` : SHORT[short[1]!]!;
    const [name, inline] = arg.startsWith('--') ? [arg.slice(0, arg.includes('=') ? arg.indexOf('=') : undefined), arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined] : [arg, undefined];
    if (name === '--filename' || name === '--set') {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      if (name === '--filename') files.push(value);
      else {
        const eq = value.indexOf('=');
        if (eq <= 0) throw new UsageError('--set needs NAME=VALUE');
        parameters[value.slice(0, eq)] = value.slice(eq + 1);
      }
      continue;
    }
    rest.push(arg);
  }
  const parsed: ParsedFlags = parseFlags(rest, {
    values: ['output', 'endpoint-url', 'concurrency', ...allowed.values],
    switches: ['recursive', ...allowed.switches],
  });
  if (files.length === 0) throw new UsageError('-f FILE|DIR|- is required (kubectl convention: files are the desired state)');
  const concurrency = Number(parsed.values.concurrency ?? '8');
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError('--concurrency must be a whole number from 1 to 64');
  const endpoint = parsed.values['endpoint-url'] ?? process.env.AWS_ENDPOINT_URL_IAM ?? process.env.AWS_ENDPOINT_URL;
  const eksEndpoint = parsed.values['endpoint-url'] ?? process.env.AWS_ENDPOINT_URL_EKS ?? process.env.AWS_ENDPOINT_URL;
  return {
    files,
    recursive: parsed.switches.has('recursive'),
    ...(parsed.values.output !== undefined ? { output: parsed.values.output } : {}),
    prune: parsed.switches.has('prune'),
    ignoreNotFound: parsed.switches.has('ignore-not-found'),
    ...(endpoint ? { endpoint } : {}),
    ...(eksEndpoint ? { eksEndpoint } : {}),
    concurrency,
    parameters,
    positional: parsed.positional,
  };
}

/**
 * `rolecall mfa code`: what an authenticator app would show for a virtual MFA device, computed from the
 * seed file that `aws iam create-virtual-mfa-device --bootstrap-method Base32StringSeed --outfile` writes,
 * so that MFA can be enabled and used from a shell (scripts, CI, trying Rolecall out) without a phone.
 */
import { readFile } from 'node:fs/promises';
import { parseFlags, UsageError } from './flags.js';
import { MFA_USAGE } from './usage.js';
import { codeOfStep, timeStepAt } from '../iam/totp.js';

/** Dispatches `rolecall mfa SUBCOMMAND ...`; returns the exit code. */
export async function runMfaCommand(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  switch (subcommand) {
    case 'code':
      return printCode(rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`Usage: ${MFA_USAGE}\n`);
      return 0;
    default:
      throw new UsageError(`${subcommand === undefined ? 'a subcommand is required' : `unknown subcommand '${subcommand}'`}\n\nUsage: ${MFA_USAGE}`);
  }
}

async function printCode(args: string[]): Promise<number> {
  const flags = parseFlags(args, { values: ['seed-file'], switches: ['next', 'consecutive'] });
  const seedFile = flags.values['seed-file'];
  if (seedFile === undefined) throw new UsageError('--seed-file is required');
  if (flags.positional.length > 0) throw new UsageError(`unexpected argument '${flags.positional[0]}'`);
  if (flags.switches.has('next') && flags.switches.has('consecutive')) throw new UsageError('--next and --consecutive exclude each other');
  const seed = await readSeed(seedFile);
  const now = timeStepAt(new Date());
  // Both codes of --consecutive come from one reading of the clock: two separate calls could straddle
  // a step boundary and give codes that are not consecutive.
  const codes = flags.switches.has('consecutive') ? [codeOfStep(seed, now - 1), codeOfStep(seed, now)] : [codeOfStep(seed, flags.switches.has('next') ? now + 1 : now)];
  process.stdout.write(`${codes.join(' ')}\n`);
  return 0;
}

/** The base32 seed in a file, as the AWS CLI writes it (surrounding white space allowed). */
async function readSeed(path: string): Promise<string> {
  const seed = (await readFile(path, 'utf8')).trim().toUpperCase();
  // RFC 4648 base32, optionally padded; a QR-code PNG or any other file is refused, not misread.
  if (!/^[A-Z2-7]+=*$/.test(seed)) {
    throw new UsageError(`${path} does not hold a base32 seed (create-virtual-mfa-device --bootstrap-method Base32StringSeed --outfile FILE writes one)`);
  }
  return seed;
}

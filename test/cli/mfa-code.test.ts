// `rolecall mfa code`: the codes an authenticator app shows for a virtual MFA device's seed file, checked
// against otpauth's own TOTP generator (RFC 6238: SHA-1, six digits, 30-second steps).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeStepsFrom } from '../iam/totp-codes.js';

const MAIN = join(process.cwd(), 'dist/src/cli/main.js');
const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

function rolecall(args: string[]) {
  return spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
}

/** Runs the command and returns what it printed with the codes of that offset just before and after. */
function codeWithBounds(seedFile: string, flag: string[], steps: number) {
  const before = codeStepsFrom(SEED, new Date(), steps);
  const result = rolecall(['mfa', 'code', '--seed-file', seedFile, ...flag]);
  const after = codeStepsFrom(SEED, new Date(), steps);
  return { result, allowed: new Set([before, after]) };
}

test('rolecall mfa code prints the current, previous and next TOTP code of the seed file the AWS CLI writes (RFC 6238)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'rolecall-mfa-code-'));
  try {
    const seedFile = join(directory, 'alice-seed.txt');
    writeFileSync(seedFile, SEED); // what `--bootstrap-method Base32StringSeed --outfile` writes
    for (const [flag, steps] of [[[], 0], [['--next'], 1]] as const) {
      const { result, allowed } = codeWithBounds(seedFile, [...flag], steps);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^\d{6}\n$/);
      assert.ok(allowed.has(result.stdout.trim()), `${flag.join(' ') || 'now'}: ${result.stdout.trim()} is one of ${[...allowed].join(', ')}`);
    }
    // --consecutive: the previous and the current code, of two consecutive steps, read at one moment.
    const before = [codeStepsFrom(SEED, new Date(), -1), codeStepsFrom(SEED, new Date(), 0)].join(' ');
    const pair = rolecall(['mfa', 'code', '--seed-file', seedFile, '--consecutive']);
    const after = [codeStepsFrom(SEED, new Date(), -1), codeStepsFrom(SEED, new Date(), 0)].join(' ');
    assert.equal(pair.status, 0, pair.stderr);
    assert.match(pair.stdout, /^\d{6} \d{6}\n$/);
    assert.ok([before, after].includes(pair.stdout.trim()), `${pair.stdout.trim()} is ${before} or ${after}`);
    // A trailing newline and lower case, as an editor may leave them, read the same.
    writeFileSync(seedFile, `${SEED.toLowerCase()}\n`);
    const { result, allowed } = codeWithBounds(seedFile, [], 0);
    assert.ok(allowed.has(result.stdout.trim()));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('rolecall mfa code refuses what is not a base32 seed file, and bad flags, with exit code 2 and a message', () => {
  const directory = mkdtempSync(join(tmpdir(), 'rolecall-mfa-code-'));
  try {
    const png = join(directory, 'alice.png');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const notSeed = rolecall(['mfa', 'code', '--seed-file', png]);
    assert.equal(notSeed.status, 2);
    assert.match(notSeed.stderr, /does not hold a base32 seed \(create-virtual-mfa-device --bootstrap-method Base32StringSeed/);
    assert.equal(notSeed.stdout, '');

    const missing = rolecall(['mfa', 'code', '--seed-file', join(directory, 'absent.txt')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /ENOENT/);

    assert.match(rolecall(['mfa', 'code']).stderr, /--seed-file is required/);
    const both = rolecall(['mfa', 'code', '--seed-file', png, '--next', '--consecutive']);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /--next and --consecutive exclude each other/);
    assert.equal(rolecall(['mfa', 'rotate']).status, 2);
    assert.match(rolecall(['--help']).stdout, /rolecall mfa code --seed-file FILE/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

/**
 * Time-based one-time passwords (RFC 6238) as virtual MFA devices compute them: HMAC-SHA-1 over the
 * 30-second time step, six digits, from a base32 seed. The `otpauth` package computes the codes; this
 * module decides which time steps a code may come from. A time step is `floor(unix seconds / 30)`.
 */
import { HOTP, Secret } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;

/** 40 random bytes: a 64-character base32 seed, as long as the seeds AWS hands out. */
const SEED_BYTES = 40;

/**
 * How far from the expected step a sign-in code may be: one step either side (RFC 6238 §5.2 recommends
 * at most one step of network delay), so a code typed as it turns over still counts.
 */
export const SIGN_IN_WINDOW_STEPS = 1;

/**
 * How far EnableMFADevice and ResyncMFADevice look for two consecutive codes: five minutes either side.
 * The device's offset found there is remembered, so a device whose clock drifts can be resynchronised.
 */
export const SYNC_WINDOW_STEPS = 10;

/** A fresh random seed, base32-encoded (RFC 3548 / RFC 4648 alphabet, no padding). */
export function newTotpSeed(): string {
  return new Secret({ size: SEED_BYTES }).base32;
}

/** The RFC 6238 time step a moment falls in. */
export function timeStepAt(moment: Date): number {
  return Math.floor(moment.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The seed's six-digit code for a time step, as an authenticator app shows it during that step. */
export function codeOfStep(seed: string, step: number): string {
  return HOTP.generate({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: DIGITS, counter: step });
}

/** The steps within `window` of `center`, nearest first (center, -1, +1, -2, +2, ...). */
function stepsOutward(center: number, window: number): number[] {
  const steps = [center];
  for (let distance = 1; distance <= window; distance++) steps.push(center - distance, center + distance);
  return steps;
}

/** Whether `code` is the seed's code for `step` (compared in constant time by otpauth). */
function isCodeOf(secret: Secret, code: string, step: number): boolean {
  return HOTP.validate({ token: code, secret, algorithm: 'SHA1', digits: DIGITS, counter: step, window: 0 }) === 0;
}

/**
 * The time step, within `window` steps of `center` and later than `usedUpTo`, whose code `code` is,
 * nearest the center first; undefined when there is none. Steps up to `usedUpTo` were accepted before:
 * a code is good once.
 */
export function stepOfCode(seed: string, code: string, center: number, window: number, usedUpTo = -Infinity): number | undefined {
  const secret = Secret.fromBase32(seed);
  return stepsOutward(center, window).find((step) => step > usedUpTo && isCodeOf(secret, code, step));
}

/**
 * The time step of `second` when `first` and `second` are the codes of two consecutive steps within
 * `window` of `center` (and later than `usedUpTo`); undefined otherwise.
 */
export function stepOfConsecutiveCodes(seed: string, first: string, second: string, center: number, window: number, usedUpTo = -Infinity): number | undefined {
  const secret = Secret.fromBase32(seed);
  return stepsOutward(center, window).find((step) => step - 1 > usedUpTo && isCodeOf(secret, first, step - 1) && isCodeOf(secret, second, step));
}

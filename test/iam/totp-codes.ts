// What an authenticator app shows for a virtual MFA device's seed: RFC 6238 codes (SHA-1, six digits,
// 30-second steps), computed with the same library Rolecall verifies them with.
import { Secret, TOTP } from 'otpauth';

const STEP_MS = 30_000;

/** The device's code at a moment. */
export function codeAt(seed: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: at.getTime() });
}

/** The device's code `steps` time steps after (or before, when negative) a moment. */
export function codeStepsFrom(seed: string, at: Date, steps: number): string {
  return codeAt(seed, new Date(at.getTime() + steps * STEP_MS));
}

/**
 * Two consecutive codes for EnableMFADevice/ResyncMFADevice, as a user reads them off the app: the one
 * shown `stepsAgo + 1` steps before the moment, then the next one.
 */
export function consecutiveCodes(seed: string, at: Date, stepsAgo = 1): { AuthenticationCode1: string; AuthenticationCode2: string } {
  return { AuthenticationCode1: codeStepsFrom(seed, at, -stepsAgo - 1), AuthenticationCode2: codeStepsFrom(seed, at, -stepsAgo) };
}

/**
 * Checking an MFA code a user presents to STS (GetSessionToken, AssumeRole): the serial number must name
 * a virtual device assigned to that user, and the code must be the device's code for the current time
 * step, one step either way, around the device's remembered clock offset — and later than any code
 * accepted before (RFC 6238 §5.2: a code is good once). An accepted code uses its step up in the same
 * transaction, so a replayed code fails on any replica.
 */
import type { VirtualMfaDevice } from '../model/entities.js';
import { findMfaDevice, mfaDeviceKey } from './lookup.js';
import type { OperationContext } from './operation.js';
import { SIGN_IN_WINDOW_STEPS, stepOfCode, timeStepAt } from './totp.js';
import { seedOf } from './virtual-mfa-devices.js';

/** The outcome of a presented code: accepted, a serial number that is not the user's device, or a wrong (or reused) code. */
export type MfaCodeCheck = 'accepted' | 'not-the-users-device' | 'invalid-code';

/** Checks `code` from the device `serialNumber` of `userName` (`undefined`: a caller with no devices) and uses it up when it is good. */
export async function acceptMfaCode(context: OperationContext, userName: string | undefined, serialNumber: string, code: string): Promise<MfaCodeCheck> {
  const account = context.accountId;
  return context.store.write(async (writer) => {
    const device = await findMfaDevice(writer, account, serialNumber);
    if (!device || userName === undefined || device.UserName?.toLowerCase() !== userName.toLowerCase()) return 'not-the-users-device';
    const expected = timeStepAt(context.now) + (device.DriftSteps ?? 0);
    const step = stepOfCode(seedOf(context.secrets, device), code, expected, SIGN_IN_WINDOW_STEPS, device.LastUsedStep);
    if (step === undefined) return 'invalid-code';
    await writer.put<VirtualMfaDevice>('mfaDevice', account, mfaDeviceKey(device), { ...device, LastUsedStep: step });
    return 'accepted';
  });
}

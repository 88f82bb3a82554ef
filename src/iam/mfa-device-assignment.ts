/**
 * MFA devices of IAM users (API_EnableMFADevice.html, API_DeactivateMFADevice.html,
 * API_ResyncMFADevice.html, API_ListMFADevices.html, API_GetMFADevice.html): assigning a virtual device to
 * a user with two consecutive codes, taking it back, resynchronising its clock, and listing a user's
 * devices. A user has at most eight (id_credentials_mfa_enable-overview.html: "You can enable up to eight
 * MFA devices per AWS account root user or IAM user"); the root user's devices are managed in the console
 * only, so through the API it has none.
 */
import type { VirtualMfaDevice } from '../model/entities.js';
import { AwsError, entityAlreadyExists, limitExceeded } from '../model/errors.js';
import type { StoreReader } from '../store/types.js';
import { mfaDeviceKey, mfaDeviceNotFound, requireMfaDevice, requireUser } from './lookup.js';
import { defineOperation, type OperationContext } from './operation.js';
import { paginate, type PageRequest } from './pagination.js';
import { SIGN_IN_WINDOW_STEPS, SYNC_WINDOW_STEPS, stepOfConsecutiveCodes, timeStepAt } from './totp.js';
import { credentialsOf } from './credential-owners.js';
import { impliedUserName, impliedUserTarget, userTarget } from './user-targets.js';
import { seedOf } from './virtual-mfa-devices.js';

/** IAM quotas: MFA devices per user. */
export const MFA_DEVICES_PER_USER = 8;

/** AWS's `MFADevice`. */
export interface MfaDeviceView {
  UserName: string;
  SerialNumber: string;
  EnableDate: string;
}

function viewOf(device: VirtualMfaDevice): MfaDeviceView {
  return { UserName: device.UserName!, SerialNumber: device.SerialNumber, EnableDate: device.EnableDate! };
}

/** AWS's answer to codes that are not two consecutive codes of the device (model: InvalidAuthenticationCode, 403). */
const invalidAuthenticationCode = () => new AwsError('InvalidAuthenticationCode', 'Authentication code for device is not valid.', 403);

/** The device, when it is assigned to `userName` (`undefined`: the root user, which has none through the API). */
async function requireAssignedDevice(reader: StoreReader, account: string, userName: string | undefined, serialNumber: string): Promise<VirtualMfaDevice> {
  const device = await requireMfaDevice(reader, account, serialNumber);
  if (userName === undefined || device.UserName?.toLowerCase() !== userName.toLowerCase()) throw mfaDeviceNotFound(serialNumber);
  return device;
}

/**
 * The device re-synchronised from two consecutive codes found within the sync window of now: the step
 * of the second code is used up, and the offset of the device's clock is remembered when it is larger
 * than the sign-in window (a step or so is just the time it took to type the codes). Codes generated long
 * before the request therefore leave the device "out of sync" (API_EnableMFADevice.html), as in AWS.
 */
function synchronised(context: OperationContext, device: VirtualMfaDevice, first: string, second: string): VirtualMfaDevice {
  const now = timeStepAt(context.now);
  const step = stepOfConsecutiveCodes(seedOf(context.secrets, device), first, second, now, SYNC_WINDOW_STEPS, device.LastUsedStep);
  if (step === undefined) throw invalidAuthenticationCode();
  const offset = step - now;
  return { ...device, LastUsedStep: step, DriftSteps: Math.abs(offset) <= SIGN_IN_WINDOW_STEPS ? 0 : offset };
}

// ---- EnableMFADevice -----------------------------------------------------------------------------

export interface EnableMFADeviceInput {
  UserName: string;
  SerialNumber: string;
  AuthenticationCode1: string;
  AuthenticationCode2: string;
}

export const enableMFADevice = defineOperation<EnableMFADeviceInput, Record<string, never>>({
  service: 'iam',
  name: 'EnableMFADevice',
  async authorize(context, input) {
    return [await userTarget(context, 'iam:EnableMFADevice', input.UserName)];
  },
  async execute(context, input) {
    const account = context.accountId;
    await context.store.write(async (writer) => {
      const user = await requireUser(writer, account, input.UserName);
      const device = await requireMfaDevice(writer, account, input.SerialNumber);
      if (device.UserName !== undefined) throw entityAlreadyExists('MFA Device is already in use.');
      if ((await credentialsOf(writer, 'mfaDevice', account, user.UserName)).length >= MFA_DEVICES_PER_USER) {
        throw limitExceeded(`Cannot exceed quota for MFADevicesPerUser: ${MFA_DEVICES_PER_USER}`);
      }
      const enabled = synchronised(context, device, input.AuthenticationCode1, input.AuthenticationCode2);
      await writer.put<VirtualMfaDevice>('mfaDevice', account, mfaDeviceKey(device), { ...enabled, UserName: user.UserName, EnableDate: context.now.toISOString() });
    });
    return {};
  },
});

// ---- ResyncMFADevice -----------------------------------------------------------------------------

/** ResyncMFADevice takes the same members as EnableMFADevice. */
export type ResyncMFADeviceInput = EnableMFADeviceInput;

export const resyncMFADevice = defineOperation<ResyncMFADeviceInput, Record<string, never>>({
  service: 'iam',
  name: 'ResyncMFADevice',
  async authorize(context, input) {
    return [await userTarget(context, 'iam:ResyncMFADevice', input.UserName)];
  },
  async execute(context, input) {
    const account = context.accountId;
    await context.store.write(async (writer) => {
      const user = await requireUser(writer, account, input.UserName);
      const device = await requireAssignedDevice(writer, account, user.UserName, input.SerialNumber);
      const resynced = synchronised(context, device, input.AuthenticationCode1, input.AuthenticationCode2);
      await writer.put<VirtualMfaDevice>('mfaDevice', account, mfaDeviceKey(device), resynced);
    });
    return {};
  },
});

// ---- DeactivateMFADevice -------------------------------------------------------------------------

export interface DeactivateMFADeviceInput {
  UserName?: string;
  SerialNumber: string;
}

export const deactivateMFADevice = defineOperation<DeactivateMFADeviceInput, Record<string, never>>({
  service: 'iam',
  name: 'DeactivateMFADevice',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:DeactivateMFADevice', input.UserName)];
  },
  async execute(context, input) {
    const account = context.accountId;
    const owner = impliedUserName(context, input.UserName);
    await context.store.write(async (writer) => {
      if (owner !== undefined) await requireUser(writer, account, owner);
      const device = await requireAssignedDevice(writer, account, owner, input.SerialNumber);
      // The used-up step stays: a code accepted before must not enable the device again.
      const { UserName: _user, EnableDate: _enabled, DriftSteps: _drift, ...unassigned } = device;
      await writer.put<VirtualMfaDevice>('mfaDevice', account, mfaDeviceKey(device), unassigned);
    });
    return {};
  },
});

// ---- ListMFADevices ------------------------------------------------------------------------------

export interface ListMFADevicesInput extends PageRequest {
  UserName?: string;
}

export interface ListMFADevicesOutput {
  MFADevices: MfaDeviceView[];
  IsTruncated: boolean;
  Marker?: string;
}

export const listMFADevices = defineOperation<ListMFADevicesInput, ListMFADevicesOutput>({
  service: 'iam',
  name: 'ListMFADevices',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:ListMFADevices', input.UserName)];
  },
  async execute(context, input) {
    const owner = impliedUserName(context, input.UserName);
    const devices = await context.store.read(async (reader) => {
      if (owner === undefined) return [];
      const user = await requireUser(reader, context.accountId, owner);
      return credentialsOf<VirtualMfaDevice>(reader, 'mfaDevice', context.accountId, user.UserName);
    });
    const page = paginate(devices, (device) => device.SerialNumber, input);
    return { MFADevices: page.items.map(viewOf), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  },
});

// ---- GetMFADevice --------------------------------------------------------------------------------

export interface GetMFADeviceInput {
  SerialNumber: string;
  UserName?: string;
}

export const getMFADevice = defineOperation<GetMFADeviceInput, MfaDeviceView>({
  service: 'iam',
  name: 'GetMFADevice',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:GetMFADevice', input.UserName)];
  },
  async execute(context, input) {
    const owner = impliedUserName(context, input.UserName);
    const device = await context.store.read((reader) => requireAssignedDevice(reader, context.accountId, owner, input.SerialNumber));
    // AWS documents this call for FIDO security keys and answers their Certifications; virtual devices have none.
    return viewOf(device);
  },
});

/** The MFA device assignment operations, for the registry. */
export const MFA_DEVICE_ASSIGNMENT_OPERATIONS = [enableMFADevice, resyncMFADevice, deactivateMFADevice, listMFADevices, getMFADevice];

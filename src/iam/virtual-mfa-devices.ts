/**
 * Virtual MFA devices (API_CreateVirtualMFADevice.html, API_DeleteVirtualMFADevice.html,
 * API_ListVirtualMFADevices.html, API_TagMFADevice.html, API_UntagMFADevice.html,
 * API_ListMFADeviceTags.html): the device entity's lifecycle. A device is kept as kind 'mfaDevice' under
 * its path and name (its ARN's suffix); its serial number is its ARN. The TOTP seed is returned once, by
 * CreateVirtualMFADevice, and stored only sealed (context.secrets, bound to the serial number).
 * Assigning devices to users is mfa-device-assignment.ts's business.
 */
import QRCode from 'qrcode';
import { listedPathArn, mfaDeviceArn } from '../model/arns.js';
import type { Tag, User, VirtualMfaDevice } from '../model/entities.js';
import { deleteConflict, entityAlreadyExists } from '../model/errors.js';
import { EntityConflictError } from '../store/types.js';
import { mfaDeviceKey, findMfaDevice, requireMfaDevice } from './lookup.js';
import { defineOperation, requestPartition, type AuthorizationTarget, type OperationContext, type SecretSealing } from './operation.js';
import { paginate, type PageRequest } from './pagination.js';
import { checkRequestTags, mergeTags, pageOfTags, removeTags, requestTagContext, resourceTagContext, tagKeysContext, tagsForOutput } from './tags.js';
import { newTotpSeed } from './totp.js';
import { userListView, type UserView } from './users.js';

/** What a device's sealed seed is bound to (its serial number), so it cannot be moved to another device. */
export function seedContext(serialNumber: string): string {
  return `iam:mfa-seed:${serialNumber}`;
}

/** The device's base32 seed, unsealed. */
export function seedOf(secrets: SecretSealing, device: VirtualMfaDevice): string {
  return secrets.unseal(device.SealedSeed, seedContext(device.SerialNumber));
}

/** The device's ARN as the action's resource, with its tags as `aws:ResourceTag/*`. */
async function deviceTarget(context: OperationContext, action: string, serialNumber: string, extra: AuthorizationTarget['context'] = {}): Promise<AuthorizationTarget> {
  const device = await context.store.read((reader) => findMfaDevice(reader, context.accountId, serialNumber));
  return { action, resource: serialNumber, context: { ...resourceTagContext(device?.Tags), ...extra } };
}

/** Applies a change to a stored device inside one write transaction. */
async function updateDevice(context: OperationContext, serialNumber: string, change: (device: VirtualMfaDevice) => VirtualMfaDevice): Promise<void> {
  await context.store.write(async (writer) => {
    const device = await requireMfaDevice(writer, context.accountId, serialNumber);
    await writer.put<VirtualMfaDevice>('mfaDevice', context.accountId, mfaDeviceKey(device), change(device));
  });
}

/**
 * The QR code AWS describes (API_VirtualMFADevice.html): a PNG of
 * `otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String`, where AccountName is the
 * account id while the device belongs to no user.
 */
function qrCodePng(deviceName: string, accountId: string, seed: string): Promise<Buffer> {
  return QRCode.toBuffer(`otpauth://totp/${encodeURIComponent(`${deviceName}@${accountId}`)}?secret=${seed}`, { type: 'png' });
}

// ---- CreateVirtualMFADevice ----------------------------------------------------------------------

export interface CreateVirtualMFADeviceInput {
  VirtualMFADeviceName: string;
  Path?: string;
  Tags?: Tag[];
}

/** AWS's `VirtualMFADevice` as CreateVirtualMFADevice answers it: the seed (base32 text) and its QR code, once. */
export interface CreatedVirtualMfaDevice {
  SerialNumber: string;
  /** The base32 seed's text; the wire carries it as a base64 blob, as the model's `BootstrapDatum`. */
  Base32StringSeed: string;
  QRCodePNG: Uint8Array;
  Tags?: Tag[];
}

/** AWS's EntityAlreadyExists for a device name taken (AWS-recorded responses, issue 11). */
function deviceExists() {
  return entityAlreadyExists('MFA device already exists.');
}

export const createVirtualMFADevice = defineOperation<CreateVirtualMFADeviceInput, { VirtualMFADevice: CreatedVirtualMfaDevice }>({
  service: 'iam',
  name: 'CreateVirtualMFADevice',
  authorize(context, input) {
    const resource = mfaDeviceArn(requestPartition(context), context.accountId, input.Path ?? '/', input.VirtualMFADeviceName);
    return [{ action: 'iam:CreateVirtualMFADevice', resource, context: requestTagContext(input.Tags) }];
  },
  async execute(context, input) {
    checkRequestTags(input.Tags);
    const account = context.accountId;
    const path = input.Path ?? '/';
    const serialNumber = mfaDeviceArn(requestPartition(context), account, path, input.VirtualMFADeviceName);
    const seed = newTotpSeed();
    const device: VirtualMfaDevice = {
      AccountId: account,
      SerialNumber: serialNumber,
      Path: path,
      VirtualMFADeviceName: input.VirtualMFADeviceName,
      SealedSeed: context.secrets.seal(seed, seedContext(serialNumber)),
      CreateDate: context.now.toISOString(),
      Tags: (input.Tags ?? []).map((tag) => ({ Key: tag.Key, Value: tag.Value })),
    };
    await context.store.write(async (writer) => {
      try {
        await writer.insert('mfaDevice', account, mfaDeviceKey(device), device);
      } catch (error) {
        throw error instanceof EntityConflictError ? deviceExists() : error;
      }
    });
    const tags = tagsForOutput(device.Tags);
    return {
      VirtualMFADevice: {
        SerialNumber: serialNumber,
        Base32StringSeed: seed,
        QRCodePNG: await qrCodePng(device.VirtualMFADeviceName, account, seed),
        ...(tags ? { Tags: tags } : {}),
      },
    };
  },
});

// ---- DeleteVirtualMFADevice ----------------------------------------------------------------------

export interface SerialNumberInput {
  SerialNumber: string;
}

export const deleteVirtualMFADevice = defineOperation<SerialNumberInput, Record<string, never>>({
  service: 'iam',
  name: 'DeleteVirtualMFADevice',
  async authorize(context, input) {
    return [await deviceTarget(context, 'iam:DeleteVirtualMFADevice', input.SerialNumber)];
  },
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const device = await requireMfaDevice(writer, context.accountId, input.SerialNumber);
      // "You must deactivate a user's virtual MFA device before you can delete it." (the wording is Rolecall's)
      if (device.UserName !== undefined) throw deleteConflict('Cannot delete entity, the MFA device is assigned to a user: deactivate it first.');
      await writer.delete('mfaDevice', context.accountId, mfaDeviceKey(device));
    });
    return {};
  },
});

// ---- ListVirtualMFADevices -----------------------------------------------------------------------

export interface ListVirtualMFADevicesInput extends PageRequest {
  AssignmentStatus?: 'Assigned' | 'Unassigned' | 'Any';
}

/** A device as ListVirtualMFADevices lists it: no seed, no QR code, no tags (listings leave tags out). */
export interface ListedVirtualMfaDevice {
  SerialNumber: string;
  User?: UserView;
  EnableDate?: string;
}

export interface ListVirtualMFADevicesOutput {
  VirtualMFADevices: ListedVirtualMfaDevice[];
  IsTruncated: boolean;
  Marker?: string;
}

function isListed(device: VirtualMfaDevice, status: ListVirtualMFADevicesInput['AssignmentStatus']): boolean {
  if (status === 'Assigned') return device.UserName !== undefined;
  if (status === 'Unassigned') return device.UserName === undefined;
  return true;
}

export const listVirtualMFADevices = defineOperation<ListVirtualMFADevicesInput, ListVirtualMFADevicesOutput>({
  service: 'iam',
  name: 'ListVirtualMFADevices',
  // AWS's denials name the listed path: "iam:ListVirtualMFADevices on resource: arn:aws:iam::ACCOUNT:mfa/".
  authorize(context) {
    return [{ action: 'iam:ListVirtualMFADevices', resource: listedPathArn(requestPartition(context), context.accountId, 'mfa', undefined) }];
  },
  async execute(context, input) {
    const account = context.accountId;
    // Without an AssignmentStatus the operation lists Any (API_ListVirtualMFADevices.html).
    const listed = await context.store.read(async (reader) => {
      const devices = (await reader.list<VirtualMfaDevice>('mfaDevice', account)).filter((device) => isListed(device, input.AssignmentStatus));
      const page = paginate(devices, (device) => device.SerialNumber, input);
      const items: ListedVirtualMfaDevice[] = [];
      for (const device of page.items) {
        const user = device.UserName === undefined ? undefined : await reader.get<User>('user', account, device.UserName);
        items.push({ SerialNumber: device.SerialNumber, ...(user ? { User: userListView(user) } : {}), ...(device.EnableDate ? { EnableDate: device.EnableDate } : {}) });
      }
      return { items, page };
    });
    return { VirtualMFADevices: listed.items, IsTruncated: listed.page.IsTruncated, ...(listed.page.Marker ? { Marker: listed.page.Marker } : {}) };
  },
});

// ---- Tags ----------------------------------------------------------------------------------------

export interface TagMFADeviceInput extends SerialNumberInput {
  Tags: Tag[];
}

export const tagMFADevice = defineOperation<TagMFADeviceInput, Record<string, never>>({
  service: 'iam',
  name: 'TagMFADevice',
  async authorize(context, input) {
    return [await deviceTarget(context, 'iam:TagMFADevice', input.SerialNumber, requestTagContext(input.Tags))];
  },
  async execute(context, input) {
    checkRequestTags(input.Tags);
    await updateDevice(context, input.SerialNumber, (device) => ({ ...device, Tags: mergeTags(device.Tags, input.Tags) }));
    return {};
  },
});

export interface UntagMFADeviceInput extends SerialNumberInput {
  TagKeys: string[];
}

export const untagMFADevice = defineOperation<UntagMFADeviceInput, Record<string, never>>({
  service: 'iam',
  name: 'UntagMFADevice',
  async authorize(context, input) {
    return [await deviceTarget(context, 'iam:UntagMFADevice', input.SerialNumber, tagKeysContext(input.TagKeys))];
  },
  async execute(context, input) {
    await updateDevice(context, input.SerialNumber, (device) => ({ ...device, Tags: removeTags(device.Tags, input.TagKeys) }));
    return {};
  },
});

export interface ListMFADeviceTagsInput extends SerialNumberInput, PageRequest {}

export const listMFADeviceTags = defineOperation<ListMFADeviceTagsInput, { Tags: Tag[]; IsTruncated: boolean; Marker?: string }>({
  service: 'iam',
  name: 'ListMFADeviceTags',
  async authorize(context, input) {
    return [await deviceTarget(context, 'iam:ListMFADeviceTags', input.SerialNumber)];
  },
  async execute(context, input) {
    const device = await context.store.read((reader) => requireMfaDevice(reader, context.accountId, input.SerialNumber));
    return pageOfTags(device.Tags, input);
  },
});

/** The virtual MFA device operations, for the registry. */
export const VIRTUAL_MFA_DEVICE_OPERATIONS = [createVirtualMFADevice, deleteVirtualMFADevice, listVirtualMFADevices, tagMFADevice, untagMFADevice, listMFADeviceTags];

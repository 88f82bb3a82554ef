/** Loading entities by name or ARN, with AWS's NoSuchEntity messages when they are missing. */
import type { Account, Group, InstanceProfile, ManagedPolicy, OpenIdConnectProvider, Role, User, VirtualMfaDevice } from '../model/entities.js';
import { noSuchEntity } from '../model/errors.js';
import { DEFAULT_PARTITION } from '../model/partitions.js';
import type { StoreReader } from '../store/types.js';

export async function requireRole(store: StoreReader, account: string, roleName: string): Promise<Role> {
  const role = await store.get<Role>('role', account, roleName);
  if (!role) throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
  return role;
}

export async function requireUser(store: StoreReader, account: string, userName: string): Promise<User> {
  const user = await store.get<User>('user', account, userName);
  if (!user) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
  return user;
}

export async function requireGroup(store: StoreReader, account: string, groupName: string): Promise<Group> {
  const group = await store.get<Group>('group', account, groupName);
  if (!group) throw noSuchEntity(`The group with name ${groupName} cannot be found.`);
  return group;
}

export async function requireInstanceProfile(store: StoreReader, account: string, name: string): Promise<InstanceProfile> {
  const profile = await store.get<InstanceProfile>('instanceProfile', account, name);
  if (!profile) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return profile;
}

export async function requireOpenIdConnectProvider(store: StoreReader, account: string, arn: string): Promise<OpenIdConnectProvider> {
  const url = arn.slice(arn.indexOf(':oidc-provider/') + ':oidc-provider/'.length);
  const provider = arn.includes(':oidc-provider/') ? await store.get<OpenIdConnectProvider>('oidcProvider', account, url) : undefined;
  if (!provider) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
  return provider;
}

/** The customer managed policy stored under this ARN in the caller's account, if it is one. */
export async function findCustomerPolicy(store: StoreReader, account: string, arn: string): Promise<ManagedPolicy | undefined> {
  const policy = await store.get<ManagedPolicy>('policy', account, policyNameOfArn(arn));
  return policy?.Arn === arn ? policy : undefined;
}

/** The policy name in `arn:aws:iam::ACCOUNT:policy/path/NAME`. */
export function policyNameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

const SERIAL_NUMBER = /^arn:aws[a-z-]*:iam::(\d{12}):mfa(\/.*)$/;

/** The store key of a device: its path and name, as in its ARN after `mfa`. */
export function mfaDeviceKey(device: Pick<VirtualMfaDevice, 'Path' | 'VirtualMFADeviceName'>): string {
  return device.Path + device.VirtualMFADeviceName;
}

/** The virtual device a serial number names in the caller's account, if it exists under exactly that ARN. */
export async function findMfaDevice(reader: StoreReader, account: string, serialNumber: string): Promise<VirtualMfaDevice | undefined> {
  const match = SERIAL_NUMBER.exec(serialNumber);
  if (!match || match[1] !== account) return undefined;
  const device = await reader.get<VirtualMfaDevice>('mfaDevice', account, match[2]!);
  return device?.SerialNumber === serialNumber ? device : undefined;
}

/** AWS's NoSuchEntity for a serial number that names no device of the caller's account (AWS-recorded responses, issue 11). */
export function mfaDeviceNotFound(serialNumber: string) {
  return noSuchEntity(`MFA Device with serial number ${serialNumber} does not exist.`);
}

/** The device a serial number names; NoSuchEntity otherwise. */
export async function requireMfaDevice(reader: StoreReader, account: string, serialNumber: string): Promise<VirtualMfaDevice> {
  const device = await findMfaDevice(reader, account, serialNumber);
  if (!device) throw mfaDeviceNotFound(serialNumber);
  return device;
}

/** The partition an account lives in (`aws` until its first request binds it; see auth/account-partition.ts). */
export async function accountPartition(reader: StoreReader, account: string): Promise<string> {
  return (await reader.get<Account>('account', '', account))?.Partition ?? DEFAULT_PARTITION;
}

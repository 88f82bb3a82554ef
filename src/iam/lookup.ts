/** Loading entities by name or ARN, with AWS's NoSuchEntity messages when they are missing. */
import type { Group, InstanceProfile, ManagedPolicy, OpenIdConnectProvider, Role, User } from '../model/entities.js';
import { noSuchEntity } from '../model/errors.js';
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

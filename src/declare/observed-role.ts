/**
 * The actual state of a role, read through IAM's API: GetRole (settings, trust, boundary, tags), the
 * attached managed policies, and every inline policy document. Policy documents are URL-decoded as IAM
 * returns them encoded.
 */
import { DEFAULT_PARTITION, partitionOfArn } from '../model/partitions.js';
import type { RecordingIam } from './iam-calls.js';
import { failureOf } from './recording-client.js';
import { decodeIamPolicy } from './policy-equivalence.js';

/** What a role is, desired or actual: everything the reconciler compares. */
export interface RoleSettings {
  roleName: string;
  path: string;
  description: string;
  maxSessionDuration: number;
  trustPolicy: string;
  managedPolicyArns: string[];
  /** Inline policy documents by name. */
  inlinePolicies: Map<string, string>;
  permissionsBoundary?: string;
  tags: Record<string, string>;
}

/** A role as IAM reports it. */
export interface ObservedRole extends RoleSettings {
  arn: string;
  roleId: string;
  createDate?: string;
}

/** The partition the role lives in, from its ARN (`arn:aws-cn:iam::...` → `aws-cn`). */
export function partitionOfRole(role: Pick<ObservedRole, 'arn'>): string {
  return partitionOfArn(role.arn) ?? DEFAULT_PARTITION;
}

/** Whether a call failed because the role (or one of its policies) does not exist. */
export function isNoSuchEntity(error: unknown): boolean {
  return failureOf(error).code === 'NoSuchEntity';
}

/** Reads a role's whole state, or undefined when no role has that name. */
export async function observeRole(iam: RecordingIam, roleName: string): Promise<ObservedRole | undefined> {
  let role;
  try {
    role = (await iam.call('GetRole', { RoleName: roleName })).Role;
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
  if (!role) return undefined;
  const [managedPolicyArns, inlinePolicies] = await Promise.all([attachedPolicies(iam, roleName), inlinePoliciesOfRole(iam, roleName)]);
  return {
    roleName: role.RoleName ?? roleName,
    arn: role.Arn ?? '',
    roleId: role.RoleId ?? '',
    ...(role.CreateDate ? { createDate: role.CreateDate.toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
    path: role.Path ?? '/',
    description: role.Description ?? '',
    maxSessionDuration: role.MaxSessionDuration ?? 3600,
    trustPolicy: decodeIamPolicy(role.AssumeRolePolicyDocument ?? ''),
    managedPolicyArns: managedPolicyArns.sort(),
    inlinePolicies,
    ...(role.PermissionsBoundary?.PermissionsBoundaryArn ? { permissionsBoundary: role.PermissionsBoundary.PermissionsBoundaryArn } : {}),
    tags: Object.fromEntries((role.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? ''])),
  };
}

/** Every item of a paginated IAM List call (Marker / IsTruncated). */
export async function allPages<Item>(fetch: (marker: { Marker?: string }) => Promise<{ IsTruncated?: boolean; Marker?: string }>, items: (page: never) => Item[] | undefined): Promise<Item[]> {
  const collected: Item[] = [];
  let marker: string | undefined;
  do {
    const page = await fetch(marker ? { Marker: marker } : {});
    collected.push(...(items(page as never) ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return collected;
}

function attachedPolicies(iam: RecordingIam, roleName: string): Promise<string[]> {
  return allPages(
    (marker) => iam.call('ListAttachedRolePolicies', { RoleName: roleName, ...marker }),
    (page: { AttachedPolicies?: Array<{ PolicyArn?: string }> }) => page.AttachedPolicies?.map((policy) => policy.PolicyArn ?? ''),
  );
}

async function inlinePoliciesOfRole(iam: RecordingIam, roleName: string): Promise<Map<string, string>> {
  const names = await allPages((marker) => iam.call('ListRolePolicies', { RoleName: roleName, ...marker }), (page: { PolicyNames?: string[] }) => page.PolicyNames);
  const documents = await Promise.all(
    names.map(async (name) => decodeIamPolicy((await iam.call('GetRolePolicy', { RoleName: roleName, PolicyName: name })).PolicyDocument ?? '')),
  );
  return new Map(names.map((name, index) => [name, documents[index]!]));
}

/** The instance profiles a role is in (needed before it can be deleted). */
export function instanceProfilesOf(iam: RecordingIam, roleName: string): Promise<string[]> {
  return allPages(
    (marker) => iam.call('ListInstanceProfilesForRole', { RoleName: roleName, ...marker }),
    (page: { InstanceProfiles?: Array<{ InstanceProfileName?: string }> }) => page.InstanceProfiles?.map((profile) => profile.InstanceProfileName ?? ''),
  );
}

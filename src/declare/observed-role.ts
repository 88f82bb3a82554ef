/**
 * The actual state of a role, read through IAM's API: GetRole (settings, trust, boundary, tags), the
 * attached managed policies, and every inline policy document. Policy documents are URL-decoded as IAM
 * returns them encoded.
 */
import { failureOf, type RecordingIam } from './iam-calls.js';
import { decodeIamPolicy } from './policy-equivalence.js';

export interface ObservedRole {
  roleName: string;
  arn: string;
  roleId: string;
  createDate?: string;
  path: string;
  description: string;
  maxSessionDuration: number;
  trustPolicy: string;
  managedPolicyArns: string[];
  inlinePolicies: Map<string, string>;
  permissionsBoundary?: string;
  tags: Record<string, string>;
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

async function attachedPolicies(iam: RecordingIam, roleName: string): Promise<string[]> {
  const arns: string[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.call('ListAttachedRolePolicies', { RoleName: roleName, ...(marker ? { Marker: marker } : {}) });
    arns.push(...(page.AttachedPolicies ?? []).map((policy) => policy.PolicyArn ?? ''));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return arns;
}

async function inlinePoliciesOfRole(iam: RecordingIam, roleName: string): Promise<Map<string, string>> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.call('ListRolePolicies', { RoleName: roleName, ...(marker ? { Marker: marker } : {}) });
    names.push(...(page.PolicyNames ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  const documents = await Promise.all(
    names.map(async (name) => decodeIamPolicy((await iam.call('GetRolePolicy', { RoleName: roleName, PolicyName: name })).PolicyDocument ?? '')),
  );
  return new Map(names.map((name, index) => [name, documents[index]!]));
}

/** The instance profiles a role is in (needed before it can be deleted). */
export async function instanceProfilesOf(iam: RecordingIam, roleName: string): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.call('ListInstanceProfilesForRole', { RoleName: roleName, ...(marker ? { Marker: marker } : {}) });
    names.push(...(page.InstanceProfiles ?? []).map((profile) => profile.InstanceProfileName ?? ''));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return names;
}

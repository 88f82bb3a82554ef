/**
 * What must change to turn the actual role into the desired one, as the fewest IAM calls: one UpdateRole
 * for description and max session together, UpdateAssumeRolePolicy only on a semantic difference, one
 * attach or detach per policy, one put or delete per inline policy, one TagRole for every added or
 * changed tag and one UntagRole for every removed key, put or delete of the boundary. Creating a role
 * sets trust, description, path, duration, boundary and tags in the CreateRole call itself.
 */
import type { DesiredRole } from './desired-role.js';
import type { IamInput, IamOperation } from './iam-calls.js';
import { partitionOfRole, type ObservedRole } from './observed-role.js';
import { policiesEquivalent } from './policy-equivalence.js';

/** One planned IAM write, with what it changes in words (for diff, describe and logs). */
export interface RoleAction<Op extends IamOperation = IamOperation> {
  operation: Op;
  input: IamInput<Op>;
  summary: string;
}

function action<Op extends IamOperation>(operation: Op, input: IamInput<Op>, summary: string): RoleAction {
  return { operation, input, summary } as unknown as RoleAction;
}

/** The CreateRole call and the attachments and inline policies that follow it. */
export function creationActions(desired: DesiredRole): RoleAction[] {
  return [
    action(
      'CreateRole',
      {
        RoleName: desired.roleName,
        Path: desired.path,
        AssumeRolePolicyDocument: desired.trustPolicy,
        ...(desired.description !== '' ? { Description: desired.description } : {}),
        MaxSessionDuration: desired.maxSessionDuration,
        ...(desired.permissionsBoundary ? { PermissionsBoundary: desired.permissionsBoundary } : {}),
        Tags: Object.entries(desired.tags).map(([Key, Value]) => ({ Key, Value })),
      },
      `create role ${desired.path}${desired.roleName}`,
    ),
    ...desired.managedPolicyArns.map((arn) => action('AttachRolePolicy', { RoleName: desired.roleName, PolicyArn: arn }, `attach ${arn}`)),
    ...[...desired.inlinePolicies].map(([name, document]) =>
      action('PutRolePolicy', { RoleName: desired.roleName, PolicyName: name, PolicyDocument: document }, `put inline policy ${name}`),
    ),
  ];
}

/** The updates that converge an existing role (same name and path) to the desired one. */
export function updateActions(desired: DesiredRole, actual: ObservedRole): RoleAction[] {
  const roleName = actual.roleName;
  const partition = partitionOfRole(actual);
  const actions: RoleAction[] = [];
  const descriptionChanged = desired.description !== actual.description;
  const durationChanged = desired.maxSessionDuration !== actual.maxSessionDuration;
  if (descriptionChanged || durationChanged) {
    const what = [descriptionChanged ? 'description' : '', durationChanged ? `maxSessionDuration ${actual.maxSessionDuration} -> ${desired.maxSessionDuration}` : '']
      .filter(Boolean)
      .join(', ');
    actions.push(action('UpdateRole', { RoleName: roleName, Description: desired.description, MaxSessionDuration: desired.maxSessionDuration }, `update ${what}`));
  }
  if (!policiesEquivalent(desired.trustPolicy, actual.trustPolicy, partition))
    actions.push(action('UpdateAssumeRolePolicy', { RoleName: roleName, PolicyDocument: desired.trustPolicy }, 'update trust policy'));
  const attached = new Set(actual.managedPolicyArns);
  const wanted = new Set(desired.managedPolicyArns);
  for (const arn of actual.managedPolicyArns) if (!wanted.has(arn)) actions.push(action('DetachRolePolicy', { RoleName: roleName, PolicyArn: arn }, `detach ${arn}`));
  for (const arn of desired.managedPolicyArns) if (!attached.has(arn)) actions.push(action('AttachRolePolicy', { RoleName: roleName, PolicyArn: arn }, `attach ${arn}`));
  for (const [name, document] of desired.inlinePolicies) {
    const current = actual.inlinePolicies.get(name);
    if (current === undefined || !policiesEquivalent(document, current, partition))
      actions.push(action('PutRolePolicy', { RoleName: roleName, PolicyName: name, PolicyDocument: document }, `${current === undefined ? 'put' : 'update'} inline policy ${name}`));
  }
  for (const name of actual.inlinePolicies.keys())
    if (!desired.inlinePolicies.has(name)) actions.push(action('DeleteRolePolicy', { RoleName: roleName, PolicyName: name }, `delete inline policy ${name}`));
  if (desired.permissionsBoundary && desired.permissionsBoundary !== actual.permissionsBoundary)
    actions.push(action('PutRolePermissionsBoundary', { RoleName: roleName, PermissionsBoundary: desired.permissionsBoundary }, `set permissions boundary ${desired.permissionsBoundary}`));
  if (!desired.permissionsBoundary && actual.permissionsBoundary)
    actions.push(action('DeleteRolePermissionsBoundary', { RoleName: roleName }, `remove permissions boundary ${actual.permissionsBoundary}`));
  const changedTags = Object.entries(desired.tags).filter(([key, value]) => actual.tags[key] !== value);
  if (changedTags.length > 0)
    actions.push(
      action('TagRole', { RoleName: roleName, Tags: changedTags.map(([Key, Value]) => ({ Key, Value })) }, `tag ${changedTags.map(([key, value]) => `${key}=${value}`).join(', ')}`),
    );
  const removedTags = Object.keys(actual.tags).filter((key) => !(key in desired.tags));
  if (removedTags.length > 0) actions.push(action('UntagRole', { RoleName: roleName, TagKeys: removedTags }, `untag ${removedTags.join(', ')}`));
  return actions;
}

/**
 * Everything that deletes a role without a DeleteConflict: out of its instance profiles, managed
 * policies detached, inline policies deleted, then DeleteRole.
 */
export function deletionActions(actual: ObservedRole, instanceProfiles: readonly string[]): RoleAction[] {
  const roleName = actual.roleName;
  return [
    ...instanceProfiles.map((profile) =>
      action('RemoveRoleFromInstanceProfile', { RoleName: roleName, InstanceProfileName: profile }, `remove ${roleName} from instance profile ${profile}`),
    ),
    ...actual.managedPolicyArns.map((arn) => action('DetachRolePolicy', { RoleName: roleName, PolicyArn: arn }, `detach ${arn}`)),
    ...[...actual.inlinePolicies.keys()].map((name) => action('DeleteRolePolicy', { RoleName: roleName, PolicyName: name }, `delete inline policy ${name}`)),
    action('DeleteRole', { RoleName: roleName }, `delete role ${actual.path}${roleName}`),
  ];
}

/** Puts a replacement role into the instance profiles its predecessor was in. */
export function instanceProfileActions(roleName: string, instanceProfiles: readonly string[]): RoleAction[] {
  return instanceProfiles.map((profile) =>
    action('AddRoleToInstanceProfile', { RoleName: roleName, InstanceProfileName: profile }, `add ${roleName} to instance profile ${profile}`),
  );
}

/**
 * The policies that govern a caller, gathered from the store: a user's inline and attached policies and
 * those of its groups, a role's inline and attached policies, and the permissions boundary. AWS managed
 * policies come from the bundled catalog.
 */
import type { Role, User, Group, Tag } from '../model/entities.js';
import { managedPolicyDocument } from '../iam/policy-documents.js';
import { passwordPolicyOf } from '../iam/password-policy.js';
import type { Caller } from '../iam/operation.js';
import type { PolicyInput } from '../policy/types.js';
import type { StoreReader } from '../store/types.js';

export interface CallerPolicies {
  identity: PolicyInput[];
  boundary?: PolicyInput;
  /** The principal's tags (aws:PrincipalTag/*): the user's or the role's. */
  tags: Tag[];
}

async function attachedAndInline(
  store: StoreReader,
  account: string,
  owner: string,
  entity: { InlinePolicies: Record<string, string>; AttachedPolicyArns: string[] },
): Promise<PolicyInput[]> {
  const policies: PolicyInput[] = Object.entries(entity.InlinePolicies).map(([name, document]) => ({ name: `${owner}/${name}`, document }));
  for (const arn of entity.AttachedPolicyArns) {
    const document = await managedPolicyDocument(store, account, arn);
    if (document !== undefined) policies.push({ name: arn, document });
  }
  return policies;
}

/** A policy that allows nothing, standing in for a managed policy that was deleted. */
export const ALLOWS_NOTHING = Object.freeze({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: '*', Resource: '*' }] });

async function boundaryOf(store: StoreReader, account: string, arn: string | undefined): Promise<PolicyInput | undefined> {
  if (!arn) return undefined;
  const document = await managedPolicyDocument(store, account, arn);
  // A boundary whose policy was deleted allows nothing, as AWS treats a boundary it cannot read.
  return { name: arn, document: document ?? ALLOWS_NOTHING };
}

/**
 * The principal's tags: the user's or role's own, overridden (keys compare case-insensitively) by the
 * session's tags (id_session-tags.html: "New session tags override existing assumed role or federated
 * user tags with the same tag key, regardless of case").
 */
export function principalTags(own: readonly Tag[], session: readonly Tag[] | undefined): Tag[] {
  if (!session?.length) return [...own];
  const overridden = new Set(session.map((tag) => tag.Key.toLowerCase()));
  return [...own.filter((tag) => !overridden.has(tag.Key.toLowerCase())), ...session];
}

/**
 * The account-level grant of a password policy with AllowUsersToChangePassword: "Gives IAM users
 * permissions to iam:ChangePassword for only their user and to the iam:GetAccountPasswordPolicy action.
 * This option does not attach a permissions policy to each user, rather the permissions are applied at
 * the account-level for all users by IAM" (API_PasswordPolicy.html). It joins the user's identity
 * policies, so explicit denies, boundaries and SCPs still apply to it.
 */
export const USERS_CHANGE_OWN_PASSWORD: PolicyInput = Object.freeze({
  name: 'account password policy (AllowUsersToChangePassword)',
  document: Object.freeze({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iam:ChangePassword', Resource: ['arn:*:iam::*:user/${aws:username}', 'arn:*:iam::*:user/*/${aws:username}'] },
      { Effect: 'Allow', Action: 'iam:GetAccountPasswordPolicy', Resource: '*' },
    ],
  }),
});

/** An IAM user's identity policies (its own, its groups', the account's password-policy grant), boundary and tags. */
async function userPolicies(store: StoreReader, account: string, user: User, sessionTags: readonly Tag[] | undefined): Promise<CallerPolicies> {
  const identity = await attachedAndInline(store, account, `user/${user.UserName}`, user);
  for (const groupName of user.Groups) {
    const group = await store.get<Group>('group', account, groupName);
    if (group) identity.push(...(await attachedAndInline(store, account, `group/${group.GroupName}`, group)));
  }
  if ((await passwordPolicyOf(store, account))?.AllowUsersToChangePassword) identity.push(USERS_CHANGE_OWN_PASSWORD);
  const boundary = await boundaryOf(store, account, user.PermissionsBoundaryArn);
  const tags = principalTags(user.Tags, sessionTags);
  return boundary ? { identity, boundary, tags } : { identity, tags };
}

/**
 * What the root user may do, standing in as the identity policy of a session it federated
 * (GetFederationToken): root is limited by no policy, so such a session has what its session policies allow.
 */
export const ROOT_USER_PERMISSIONS: PolicyInput = Object.freeze({
  name: 'root user',
  document: Object.freeze({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
});

/** Gathers a caller's identity policies, boundary and tags. Root has none: it is not limited by them. */
export async function loadCallerPolicies(store: StoreReader, caller: Caller): Promise<CallerPolicies> {
  const account = caller.accountId;
  const sessionTags = caller.session?.tags;
  if (caller.kind === 'user' && caller.userName) {
    const user = await store.get<User>('user', account, caller.userName);
    // A session outlives neither its user nor a same-named successor (a new user has a new unique id).
    if (!user || (caller.session && user.UserId !== caller.userId)) return { identity: [], tags: [] };
    return userPolicies(store, account, user, undefined);
  }
  if (caller.kind === 'federated-user') {
    // The federating user's policies, as they are at each request; the session policies narrow them (authorize.ts).
    const federatedBy = caller.session?.federatedBy?.userId;
    if (caller.userName === undefined) {
      return federatedBy === account ? { identity: [ROOT_USER_PERMISSIONS], tags: principalTags([], sessionTags) } : { identity: [], tags: [] };
    }
    const user = await store.get<User>('user', account, caller.userName);
    if (!user || user.UserId !== federatedBy) return { identity: [], tags: principalTags([], sessionTags) };
    return userPolicies(store, account, user, sessionTags);
  }
  if (caller.kind === 'assumed-role' && caller.roleName) {
    const role = await store.get<Role>('role', account, caller.roleName);
    // The role was deleted (or replaced by a new role of the same name): its sessions have no permissions.
    if (!role || (caller.roleId !== undefined && role.RoleId !== caller.roleId)) return { identity: [], tags: principalTags([], sessionTags) };
    const identity = await attachedAndInline(store, account, `role/${role.RoleName}`, role);
    const boundary = await boundaryOf(store, account, role.PermissionsBoundaryArn);
    const tags = principalTags(role.Tags, sessionTags);
    return boundary ? { identity, boundary, tags } : { identity, tags };
  }
  return { identity: [], tags: [] };
}

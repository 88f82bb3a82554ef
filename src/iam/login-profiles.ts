/**
 * Console passwords of IAM users (API_CreateLoginProfile.html, API_GetLoginProfile.html,
 * API_UpdateLoginProfile.html, API_DeleteLoginProfile.html, API_ChangePassword.html). A login profile
 * is kept as kind 'loginProfile' under its user's name; the password only as a salted scrypt hash
 * (password-hashing.ts), checked against the account password policy whenever it is set.
 */
import type { LoginProfile } from '../model/entities.js';
import { AwsError, accessDenied, entityAlreadyExists, noSuchEntity, validationError } from '../model/errors.js';
import type { StoreReader } from '../store/types.js';
import { requireUser } from './lookup.js';
import { defineOperation, type OperationContext } from './operation.js';
import { hashPassword, passwordMatches } from './password-hashing.js';
import { checkPasswordAllowed, MAX_PASSWORD_REUSE_PREVENTION } from './password-policy.js';
import { impliedUserName, userTarget } from './user-targets.js';

/** AWS's `LoginProfile` shape: never the password. */
export interface LoginProfileView {
  UserName: string;
  CreateDate: string;
  PasswordResetRequired: boolean;
}

function viewOf(profile: LoginProfile): LoginProfileView {
  return { UserName: profile.UserName, CreateDate: profile.CreateDate, PasswordResetRequired: profile.PasswordResetRequired };
}

function profileNotFound(userName: string): AwsError {
  return noSuchEntity(`Login Profile for User ${userName} cannot be found.`);
}

/** The login profile of a user, if it has one. */
export function findLoginProfile(reader: StoreReader, account: string, userName: string): Promise<LoginProfile | undefined> {
  return reader.get<LoginProfile>('loginProfile', account, userName);
}

/** The user the request is about (named, or the calling user); root credentials must name one. */
function profileOwner(context: OperationContext, userName: string | undefined): string {
  const owner = impliedUserName(context, userName);
  // Only an AssumeRoot session may omit the name as the root user (API_CreateLoginProfile.html); Rolecall has none.
  if (owner === undefined) throw validationError('Must specify userName when calling with non-User credentials');
  return owner;
}

/** Authorizes an action on the user a request names (or the calling user), as Create/Get/DeleteLoginProfile are. */
function authorizeOnOwner(action: string) {
  return async (context: OperationContext, input: { UserName?: string }) => [await userTarget(context, action, profileOwner(context, input.UserName))];
}

/** The existing user and its login profile; NoSuchEntity for either missing. */
async function requireLoginProfile(reader: StoreReader, account: string, userName: string): Promise<LoginProfile> {
  const user = await requireUser(reader, account, userName);
  const profile = await findLoginProfile(reader, account, user.UserName);
  if (!profile) throw profileNotFound(user.UserName);
  return profile;
}

/** The profile with a new password: the old hash joins the history the reuse prevention checks. */
function withNewPassword(profile: LoginProfile, passwordHash: string, now: Date): LoginProfile {
  return {
    ...profile,
    PasswordHash: passwordHash,
    PasswordLastChanged: now.toISOString(),
    PreviousPasswordHashes: [profile.PasswordHash, ...profile.PreviousPasswordHashes].slice(0, MAX_PASSWORD_REUSE_PREVENTION),
  };
}

/** The profile's current and previous hashes, newest first: what a new password must not repeat. */
function recentHashes(profile: LoginProfile): string[] {
  return [profile.PasswordHash, ...profile.PreviousPasswordHashes];
}

// ---- CreateLoginProfile --------------------------------------------------------------------------

export interface CreateLoginProfileInput {
  UserName?: string;
  Password?: string;
  PasswordResetRequired?: boolean;
}

export const createLoginProfile = defineOperation<CreateLoginProfileInput, { LoginProfile: LoginProfileView }>({
  service: 'iam',
  name: 'CreateLoginProfile',
  authorize: authorizeOnOwner('iam:CreateLoginProfile'),
  async execute(context, input) {
    const owner = profileOwner(context, input.UserName);
    const password = input.Password;
    // The model leaves Password optional only for AssumeRoot sessions, which Rolecall does not issue.
    if (password === undefined) throw validationError('Password is required to create a login profile.');
    const passwordHash = await hashPassword(password);
    const account = context.accountId;
    const profile = await context.store.write(async (writer) => {
      const user = await requireUser(writer, account, owner);
      if (await findLoginProfile(writer, account, user.UserName)) throw entityAlreadyExists(`Login Profile for user ${user.UserName} already exists.`);
      await checkPasswordAllowed(writer, account, password);
      const created: LoginProfile = {
        AccountId: account,
        UserName: user.UserName,
        CreateDate: context.now.toISOString(),
        PasswordResetRequired: input.PasswordResetRequired ?? false,
        PasswordHash: passwordHash,
        PasswordLastChanged: context.now.toISOString(),
        PreviousPasswordHashes: [],
      };
      await writer.insert('loginProfile', account, user.UserName, created);
      return created;
    });
    return { LoginProfile: viewOf(profile) };
  },
});

// ---- GetLoginProfile -----------------------------------------------------------------------------

export const getLoginProfile = defineOperation<{ UserName?: string }, { LoginProfile: LoginProfileView }>({
  service: 'iam',
  name: 'GetLoginProfile',
  authorize: authorizeOnOwner('iam:GetLoginProfile'),
  async execute(context, input) {
    const owner = profileOwner(context, input.UserName);
    const profile = await context.store.read((reader) => requireLoginProfile(reader, context.accountId, owner));
    return { LoginProfile: viewOf(profile) };
  },
});

// ---- UpdateLoginProfile --------------------------------------------------------------------------

export interface UpdateLoginProfileInput {
  UserName: string;
  Password?: string;
  PasswordResetRequired?: boolean;
}

export const updateLoginProfile = defineOperation<UpdateLoginProfileInput, Record<string, never>>({
  service: 'iam',
  name: 'UpdateLoginProfile',
  async authorize(context, input) {
    return [await userTarget(context, 'iam:UpdateLoginProfile', input.UserName)];
  },
  async execute(context, input) {
    const { Password: password } = input;
    const passwordHash = password === undefined ? undefined : await hashPassword(password);
    const account = context.accountId;
    await context.store.write(async (writer) => {
      const profile = await requireLoginProfile(writer, account, input.UserName);
      let updated = profile;
      if (password !== undefined && passwordHash !== undefined) {
        await checkPasswordAllowed(writer, account, password, recentHashes(profile));
        updated = withNewPassword(profile, passwordHash, context.now);
      }
      if (input.PasswordResetRequired !== undefined) updated = { ...updated, PasswordResetRequired: input.PasswordResetRequired };
      await writer.put('loginProfile', account, profile.UserName, updated);
    });
    return {};
  },
});

// ---- DeleteLoginProfile --------------------------------------------------------------------------

export const deleteLoginProfile = defineOperation<{ UserName?: string }, Record<string, never>>({
  service: 'iam',
  name: 'DeleteLoginProfile',
  authorize: authorizeOnOwner('iam:DeleteLoginProfile'),
  async execute(context, input) {
    const owner = profileOwner(context, input.UserName);
    await context.store.write(async (writer) => {
      const profile = await requireLoginProfile(writer, context.accountId, owner);
      await writer.delete('loginProfile', context.accountId, profile.UserName);
    });
    return {};
  },
});

// ---- ChangePassword ------------------------------------------------------------------------------

export interface ChangePasswordInput {
  OldPassword: string;
  NewPassword: string;
}

export const changePassword = defineOperation<ChangePasswordInput, Record<string, never>>({
  service: 'iam',
  name: 'ChangePassword',
  async authorize(context) {
    const userName = context.caller.kind === 'user' ? context.caller.userName : undefined;
    if (userName === undefined) return [{ action: 'iam:ChangePassword', resource: context.caller.arn }];
    return [await userTarget(context, 'iam:ChangePassword', userName)];
  },
  async execute(context, input) {
    const userName = context.caller.kind === 'user' ? context.caller.userName : undefined;
    // Root (and any non-user) credentials get InvalidUserType (awscli examples/iam/change-password.rst).
    if (userName === undefined) throw new AwsError('InvalidUserType', 'Only an IAM user can change its own password.', 400);
    const newHash = await hashPassword(input.NewPassword);
    const account = context.accountId;
    await context.store.write(async (writer) => {
      const profile = await requireLoginProfile(writer, account, userName);
      if (!(await passwordMatches(input.OldPassword, profile.PasswordHash))) throw accessDenied('The old password is incorrect.');
      await checkPasswordAllowed(writer, account, input.NewPassword, recentHashes(profile));
      // A changed password satisfies a pending reset (id_credentials_passwords_user-change-own.html).
      await writer.put('loginProfile', account, profile.UserName, { ...withNewPassword(profile, newHash, context.now), PasswordResetRequired: false });
    });
    return {};
  },
});

/** The login profile operations, for the registry. */
export const LOGIN_PROFILE_OPERATIONS = [createLoginProfile, getLoginProfile, updateLoginProfile, deleteLoginProfile, changePassword];

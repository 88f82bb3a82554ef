/**
 * The account password policy (API_UpdateAccountPasswordPolicy.html, API_GetAccountPasswordPolicy.html,
 * API_DeleteAccountPasswordPolicy.html, id_credentials_passwords_account-policy.html): one setting of the
 * account, enforced whenever a console password is set (CreateLoginProfile, UpdateLoginProfile,
 * ChangePassword).
 */
import { AwsError, noSuchEntity } from '../model/errors.js';
import type { StoreReader } from '../store/types.js';
import { defineOperation } from './operation.js';
import { matchesAnyPassword } from './password-hashing.js';

/** AWS's `PasswordPolicy` shape as GetAccountPasswordPolicy returns it. */
export interface PasswordPolicy {
  MinimumPasswordLength: number;
  RequireSymbols: boolean;
  RequireNumbers: boolean;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  AllowUsersToChangePassword: boolean;
  ExpirePasswords: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}

/** The policy as stored: the `setting` entity `passwordPolicy` of its account. */
interface PasswordPolicySetting {
  Kind: 'passwordPolicy';
  Policy: PasswordPolicy;
}

const POLICY_KEY = 'passwordPolicy';

/** The most previous passwords a policy can refuse to reuse (the model's passwordReusePreventionType). */
export const MAX_PASSWORD_REUSE_PREVENTION = 24;

/** The symbols RequireSymbols asks for (API_PasswordPolicy.html). */
const SYMBOLS = new Set("!@#$%^&*()_+-=[]{}|'");

/** The account's password policy, if one is set. */
export async function passwordPolicyOf(reader: StoreReader, account: string): Promise<PasswordPolicy | undefined> {
  const setting = await reader.get<Partial<PasswordPolicySetting>>('setting', account, POLICY_KEY);
  return setting?.Kind === 'passwordPolicy' ? setting.Policy : undefined;
}

/** AWS's PasswordPolicyViolation (400), worded as IAM words it (the console shows the same text). */
export function passwordPolicyViolation(): AwsError {
  return new AwsError('PasswordPolicyViolation', 'Password does not conform to the account password policy.', 400);
}

/** The rules of the policy the password breaks, by the policy member that states each. */
export function brokenPasswordRules(policy: PasswordPolicy, password: string): Array<keyof PasswordPolicy> {
  const characters = [...password];
  const broken: Array<keyof PasswordPolicy> = [];
  if (characters.length < policy.MinimumPasswordLength) broken.push('MinimumPasswordLength');
  if (policy.RequireSymbols && !characters.some((c) => SYMBOLS.has(c))) broken.push('RequireSymbols');
  if (policy.RequireNumbers && !/[0-9]/.test(password)) broken.push('RequireNumbers');
  if (policy.RequireUppercaseCharacters && !/[A-Z]/.test(password)) broken.push('RequireUppercaseCharacters');
  if (policy.RequireLowercaseCharacters && !/[a-z]/.test(password)) broken.push('RequireLowercaseCharacters');
  return broken;
}

/**
 * Refuses a new password the account's policy does not allow: too short, a required character class
 * missing, or one of the last PasswordReusePrevention passwords (`recentHashes`, newest first, the
 * current one included).
 */
export async function checkPasswordAllowed(reader: StoreReader, account: string, password: string, recentHashes: readonly string[] = []): Promise<void> {
  const policy = await passwordPolicyOf(reader, account);
  if (!policy) {
    if (!meetsDefaultPasswordPolicy(password)) throw passwordPolicyViolation();
    return;
  }
  if (brokenPasswordRules(policy, password).length > 0) throw passwordPolicyViolation();
  const window = policy.PasswordReusePrevention ?? 0;
  if (window > 0 && (await matchesAnyPassword(password, recentHashes.slice(0, window)))) throw passwordPolicyViolation();
}

/**
 * AWS's default password policy, which binds an account that has set none
 * (id_credentials_passwords_account-policy.html#default-policy-details): 8 to 128 characters, with at
 * least three of uppercase letters, lowercase letters, numbers and the policy's symbols.
 */
export function meetsDefaultPasswordPolicy(password: string): boolean {
  const characters = [...password];
  if (characters.length < 8 || characters.length > 128) return false;
  const classes = [/[A-Z]/.test(password), /[a-z]/.test(password), /[0-9]/.test(password), characters.some((c) => SYMBOLS.has(c))];
  return classes.filter(Boolean).length >= 3;
}

/** When a password set at `changedAt` expires under the policy, if it expires at all. */
export function passwordExpiry(policy: PasswordPolicy | undefined, changedAt: string): Date | undefined {
  if (!policy?.MaxPasswordAge) return undefined;
  return new Date(Date.parse(changedAt) + policy.MaxPasswordAge * 24 * 60 * 60 * 1000);
}

function policyNotFound(account: string): AwsError {
  return noSuchEntity(`The Password Policy with domain name ${account} cannot be found.`);
}

// ---- UpdateAccountPasswordPolicy -----------------------------------------------------------------

export interface UpdateAccountPasswordPolicyInput {
  MinimumPasswordLength?: number;
  RequireSymbols?: boolean;
  RequireNumbers?: boolean;
  RequireUppercaseCharacters?: boolean;
  RequireLowercaseCharacters?: boolean;
  AllowUsersToChangePassword?: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}

/** The policy an update sets: no partial updates, an omitted member takes its default (API_UpdateAccountPasswordPolicy.html). */
function policyFrom(input: UpdateAccountPasswordPolicyInput): PasswordPolicy {
  return {
    MinimumPasswordLength: input.MinimumPasswordLength ?? 6,
    RequireSymbols: input.RequireSymbols ?? false,
    RequireNumbers: input.RequireNumbers ?? false,
    RequireUppercaseCharacters: input.RequireUppercaseCharacters ?? false,
    RequireLowercaseCharacters: input.RequireLowercaseCharacters ?? false,
    AllowUsersToChangePassword: input.AllowUsersToChangePassword ?? false,
    // "true if MaxPasswordAge contains a value greater than 0" (API_PasswordPolicy.html).
    ExpirePasswords: (input.MaxPasswordAge ?? 0) > 0,
    ...(input.MaxPasswordAge ? { MaxPasswordAge: input.MaxPasswordAge } : {}),
    ...(input.PasswordReusePrevention ? { PasswordReusePrevention: input.PasswordReusePrevention } : {}),
    ...(input.HardExpiry !== undefined ? { HardExpiry: input.HardExpiry } : {}),
  };
}

export const updateAccountPasswordPolicy = defineOperation<UpdateAccountPasswordPolicyInput, Record<string, never>>({
  service: 'iam',
  name: 'UpdateAccountPasswordPolicy',
  authorize() {
    return [{ action: 'iam:UpdateAccountPasswordPolicy', resource: '*' }];
  },
  async execute(context, input) {
    const setting: PasswordPolicySetting = { Kind: 'passwordPolicy', Policy: policyFrom(input) };
    await context.store.write((writer) => writer.put('setting', context.accountId, POLICY_KEY, setting));
    return {};
  },
});

// ---- GetAccountPasswordPolicy --------------------------------------------------------------------

export const getAccountPasswordPolicy = defineOperation<Record<string, never>, { PasswordPolicy: PasswordPolicy }>({
  service: 'iam',
  name: 'GetAccountPasswordPolicy',
  authorize() {
    return [{ action: 'iam:GetAccountPasswordPolicy', resource: '*' }];
  },
  async execute(context) {
    const policy = await context.store.read((reader) => passwordPolicyOf(reader, context.accountId));
    if (!policy) throw policyNotFound(context.accountId);
    return { PasswordPolicy: policy };
  },
});

// ---- DeleteAccountPasswordPolicy -----------------------------------------------------------------

export const deleteAccountPasswordPolicy = defineOperation<Record<string, never>, Record<string, never>>({
  service: 'iam',
  name: 'DeleteAccountPasswordPolicy',
  authorize() {
    return [{ action: 'iam:DeleteAccountPasswordPolicy', resource: '*' }];
  },
  async execute(context) {
    await context.store.write(async (writer) => {
      // AWS words this one differently from GetAccountPasswordPolicy's (AWS-recorded responses, issue 11).
      if (!(await passwordPolicyOf(writer, context.accountId))) throw noSuchEntity('The account policy with name PasswordPolicy cannot be found.');
      await writer.delete('setting', context.accountId, POLICY_KEY);
    });
    return {};
  },
});

/** The password policy operations, for the registry. */
export const PASSWORD_POLICY_OPERATIONS = [updateAccountPasswordPolicy, getAccountPasswordPolicy, deleteAccountPasswordPolicy];

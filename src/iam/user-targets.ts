/**
 * Whom a call on a user's credentials acts on, and what it must be authorized for: the named user or,
 * when the name is left out, the caller itself. Shared by the user, access key, MFA, login profile and
 * other credential operations (kept apart from users.ts so those modules don't import each other).
 */
import type { User } from '../model/entities.js';
import { userArn } from '../model/arns.js';
import { validationError } from '../model/errors.js';
import { requestPartition, type AuthorizationTarget, type OperationContext } from './operation.js';
import { resourceTagContext } from './tags.js';

/**
 * The user a request names, or the calling IAM user when the name is omitted; `undefined` means the
 * root user. Other callers must name a user (AWS: "Must specify userName when calling with non-User
 * credentials").
 */
export function impliedUserName(context: OperationContext, userName: string | undefined): string | undefined {
  if (userName !== undefined) return userName;
  if (context.caller.kind === 'user' && context.caller.userName) return context.caller.userName;
  if (context.caller.kind === 'root') return undefined;
  throw validationError('Must specify userName when calling with non-User credentials');
}

/**
 * The authorization target for an action on a user: the stored user's ARN (with its path) and tags as
 * `aws:ResourceTag`/`iam:ResourceTag`, or the ARN with the default path when the user does not exist
 * (the call then fails with NoSuchEntity once allowed, as AWS answers).
 */
export async function userTarget(context: OperationContext, action: string, userName: string, extra: AuthorizationTarget['context'] = {}): Promise<AuthorizationTarget> {
  const user = await context.store.read((reader) => reader.get<User>('user', context.accountId, userName));
  const resource = user ? user.Arn : userArn(requestPartition(context), context.accountId, '/', userName);
  return { action, resource, context: { ...resourceTagContext(user?.Tags, true), ...extra } };
}

/** The authorization target for an action on the named user, the calling user, or (root credentials omitting the name) the root user itself. */
export async function impliedUserTarget(context: OperationContext, action: string, userName: string | undefined): Promise<AuthorizationTarget> {
  const owner = impliedUserName(context, userName);
  return owner === undefined ? { action, resource: context.caller.arn } : userTarget(context, action, owner);
}

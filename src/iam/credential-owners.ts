/**
 * What a user's credentials (access keys, SSH public keys, signing certificates, service-specific
 * credentials) share: whose they are when UserName is omitted, what a call about them is authorized on,
 * the lookups by owner and id, and what happens to them when their user is renamed or deleted.
 */
import type { CredentialStatus, ServiceSpecificCredential, SigningCertificate, SshPublicKey } from '../model/entities.js';
import { deleteConflict, invalidInput, noSuchEntity } from '../model/errors.js';
import type { StoreReader, StoreWriter } from '../store/types.js';
import { requireUser } from './lookup.js';
import type { AuthorizationTarget, OperationContext } from './operation.js';
import { impliedUserName, userTarget } from './user-targets.js';

/**
 * The user credentials other than access keys, by store kind, with the member holding their id, in the
 * order DeleteUser names them (API_DeleteUser.html).
 */
const USER_CREDENTIALS = {
  signingCertificate: { idMember: 'CertificateId', conflict: 'Cannot delete entity, must delete signing certificates first.' },
  sshPublicKey: { idMember: 'SSHPublicKeyId', conflict: 'Cannot delete entity, must delete SSH public keys first.' },
  serviceSpecificCredential: { idMember: 'ServiceSpecificCredentialId', conflict: 'Cannot delete entity, must delete service specific credentials first.' },
} as const satisfies Record<string, { idMember: keyof SigningCertificate | keyof SshPublicKey | keyof ServiceSpecificCredential; conflict: string }>;

export type UserCredentialKind = keyof typeof USER_CREDENTIALS;
type OwnedEntity = { UserName?: string };

function idOf(kind: UserCredentialKind, entity: OwnedEntity): string {
  return String((entity as Record<string, unknown>)[USER_CREDENTIALS[kind].idMember]);
}

/** The authorization target for a credential operation: the owning user, or the caller itself for the root user's own. */
export async function ownerTarget(context: OperationContext, action: string, userName: string | undefined): Promise<AuthorizationTarget> {
  const owner = impliedUserName(context, userName);
  return owner === undefined ? { action, resource: context.caller.arn } : userTarget(context, action, owner);
}

/**
 * The owner whose credentials a request is about: the named user (which must exist), the calling user,
 * or the root user (`undefined`) when root credentials omit the name.
 */
export async function requireOwner(reader: StoreReader, context: OperationContext, userName: string | undefined): Promise<string | undefined> {
  const owner = impliedUserName(context, userName);
  if (owner === undefined) return undefined;
  return (await requireUser(reader, context.accountId, owner)).UserName;
}

/** The credentials of a kind that one user owns (names compared ignoring case), or the root user's when `owner` is undefined. */
export async function credentialsOf<T extends OwnedEntity>(reader: StoreReader, kind: UserCredentialKind, account: string, owner: string | undefined): Promise<T[]> {
  const all = await reader.list<T>(kind, account);
  return all.filter((entity) => entity.UserName?.toLowerCase() === owner?.toLowerCase());
}

/** The credential with this id when `owner` owns it; NoSuchEntity with `notFound` otherwise. */
export async function requireOwnedCredential<T extends OwnedEntity>(
  reader: StoreReader,
  kind: UserCredentialKind,
  account: string,
  owner: string | undefined,
  id: string,
  notFound: string,
): Promise<T> {
  const entity = await reader.get<T>(kind, account, id);
  // Ids are compared exactly: the store's keys ignore case, AWS's ids do not.
  if (!entity || idOf(kind, entity) !== id || entity.UserName?.toLowerCase() !== owner?.toLowerCase()) throw noSuchEntity(notFound);
  return entity;
}

/** A status a caller may set: `Expired` is in the model's enum but is a state IAM sets itself. */
export function settableStatus(status: CredentialStatus | 'Expired', credential: string): CredentialStatus {
  if (status === 'Expired') throw invalidInput(`Status Expired is not a valid value for ${credential} update; use Active or Inactive.`);
  return status;
}

/** DeleteConflict while the user still has SSH public keys, signing certificates or service-specific credentials. */
export async function refuseDeleteWhileCredentialsExist(reader: StoreReader, account: string, userName: string): Promise<void> {
  for (const [kind, { conflict }] of Object.entries(USER_CREDENTIALS) as Array<[UserCredentialKind, { conflict: string }]>) {
    if ((await credentialsOf(reader, kind, account, userName)).length > 0) throw deleteConflict(conflict);
  }
}

/** Moves a renamed user's credentials to the new name (they point at their user by name). */
export async function renameCredentialOwner(writer: StoreWriter, account: string, oldName: string, newName: string): Promise<void> {
  for (const kind of Object.keys(USER_CREDENTIALS) as UserCredentialKind[]) {
    for (const entity of await credentialsOf<OwnedEntity>(writer, kind, account, oldName)) {
      await writer.put(kind, account, idOf(kind, entity), { ...entity, UserName: newName });
    }
  }
}

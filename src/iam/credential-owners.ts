/**
 * What a user's credentials (access keys, signing certificates, SSH public keys, service-specific
 * credentials, MFA devices, the login profile) share: whose they are when UserName is omitted, the lookups
 * by owner and id, status changes and deletion, and what happens to them when their user is renamed or
 * deleted. Each credential points at its user by name (`UserName`; none for the root user's own).
 */
import type { CredentialStatus, VirtualMfaDevice } from '../model/entities.js';
import { deleteConflict, invalidInput, noSuchEntity, type AwsError } from '../model/errors.js';
import type { EntityKind, StoreReader, StoreWriter } from '../store/types.js';
import { mfaDeviceKey, requireUser } from './lookup.js';
import type { OperationContext } from './operation.js';
import { impliedUserName } from './user-targets.js';

type OwnedEntity = { UserName?: string };

/**
 * Every kind of user credential, in the order DeleteUser names what must go first (API_DeleteUser.html),
 * with the store key of an entity and DeleteUser's refusal while the user still has one.
 */
const USER_CREDENTIALS = {
  accessKey: { keyOf: (entity: OwnedEntity) => field(entity, 'AccessKeyId'), conflict: 'Cannot delete entity, must delete access keys first.' },
  signingCertificate: { keyOf: (entity: OwnedEntity) => field(entity, 'CertificateId'), conflict: 'Cannot delete entity, must delete signing certificates first.' },
  sshPublicKey: { keyOf: (entity: OwnedEntity) => field(entity, 'SSHPublicKeyId'), conflict: 'Cannot delete entity, must delete SSH public keys first.' },
  serviceSpecificCredential: {
    keyOf: (entity: OwnedEntity) => field(entity, 'ServiceSpecificCredentialId'),
    conflict: 'Cannot delete entity, must delete service specific credentials first.',
  },
  mfaDevice: { keyOf: (entity: OwnedEntity) => mfaDeviceKey(entity as VirtualMfaDevice), conflict: 'Cannot delete entity, must delete MFA device first.' },
  // Kept under its user's name: a rename moves it to a new key.
  loginProfile: { keyOf: (entity: OwnedEntity) => entity.UserName ?? '', conflict: 'Cannot delete entity, must delete login profile first.' },
} as const satisfies Partial<Record<EntityKind, { keyOf(entity: OwnedEntity): string; conflict: string }>>;

export type UserCredentialKind = keyof typeof USER_CREDENTIALS;

/** The credentials a request names by id, with IAM's NoSuchEntity text for an id the owner doesn't have. */
const NOT_FOUND = {
  accessKey: (id: string) => `The Access Key with id ${id} cannot be found.`,
  signingCertificate: (id: string) => `The Certificate with id ${id} cannot be found.`,
  sshPublicKey: (id: string) => `The Public Key with id ${id} cannot be found.`,
  serviceSpecificCredential: (id: string) => `The Service Specific Credential with id ${id} cannot be found.`,
} as const satisfies Partial<Record<UserCredentialKind, (id: string) => string>>;

export type IdentifiedCredentialKind = keyof typeof NOT_FOUND;

/** IAM's NoSuchEntity for a credential id the account (or the owner) doesn't have. */
export function credentialNotFound(kind: IdentifiedCredentialKind, id: string): AwsError {
  return noSuchEntity(NOT_FOUND[kind](id));
}

function field(entity: OwnedEntity, member: string): string {
  return String((entity as Record<string, unknown>)[member]);
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

/** The credential with this id when `owner` owns it; IAM's NoSuchEntity otherwise. */
export async function requireOwnedCredential<T extends OwnedEntity>(
  reader: StoreReader,
  kind: IdentifiedCredentialKind,
  account: string,
  owner: string | undefined,
  id: string,
): Promise<T> {
  const entity = await reader.get<T>(kind, account, id);
  // Ids are compared exactly: the store's keys ignore case, AWS's ids do not.
  if (!entity || USER_CREDENTIALS[kind].keyOf(entity) !== id || entity.UserName?.toLowerCase() !== owner?.toLowerCase()) throw credentialNotFound(kind, id);
  return entity;
}

/** A fresh id no account uses yet for a credential kind whose ids are unique everywhere. */
export async function unusedCredentialId(reader: StoreReader, kind: IdentifiedCredentialKind, newId: () => string): Promise<string> {
  for (;;) {
    const id = newId();
    if (!(await reader.find(kind, id))) return id;
  }
}

/** A status a caller may set: `Expired` is in the model's enum but is a state IAM sets itself. */
export function settableStatus(status: CredentialStatus | 'Expired', credential: string): CredentialStatus {
  if (status === 'Expired') throw invalidInput(`Status Expired is not a valid value for ${credential} update; use Active or Inactive.`);
  return status;
}

/** Update*: sets the status of the owner's credential with this id (the owner named, the caller, or root). */
export async function setCredentialStatus(context: OperationContext, kind: IdentifiedCredentialKind, userName: string | undefined, id: string, status: CredentialStatus): Promise<void> {
  await context.store.write(async (writer) => {
    const owner = await requireOwner(writer, context, userName);
    const credential = await requireOwnedCredential<OwnedEntity>(writer, kind, context.accountId, owner, id);
    await writer.put(kind, context.accountId, id, { ...credential, Status: status });
  });
}

/** Delete*: deletes the owner's credential with this id (the owner named, the caller, or root). */
export async function deleteCredential(context: OperationContext, kind: IdentifiedCredentialKind, userName: string | undefined, id: string): Promise<void> {
  await context.store.write(async (writer) => {
    const owner = await requireOwner(writer, context, userName);
    await requireOwnedCredential(writer, kind, context.accountId, owner, id);
    await writer.delete(kind, context.accountId, id);
  });
}

/** DeleteConflict, naming the first kind in DeleteUser's order, while the user still has any credential. */
export async function refuseDeleteWhileCredentialsExist(reader: StoreReader, account: string, userName: string): Promise<void> {
  for (const [kind, { conflict }] of Object.entries(USER_CREDENTIALS) as Array<[UserCredentialKind, { conflict: string }]>) {
    if ((await credentialsOf(reader, kind, account, userName)).length > 0) throw deleteConflict(conflict);
  }
}

/** Moves a renamed user's credentials to the new name (they point at their user by name). */
export async function renameCredentialOwner(writer: StoreWriter, account: string, oldName: string, newName: string): Promise<void> {
  for (const kind of Object.keys(USER_CREDENTIALS) as UserCredentialKind[]) {
    const { keyOf } = USER_CREDENTIALS[kind];
    for (const entity of await credentialsOf<OwnedEntity>(writer, kind, account, oldName)) {
      const moved = { ...entity, UserName: newName };
      if (keyOf(moved) !== keyOf(entity)) await writer.delete(kind, account, keyOf(entity));
      await writer.put(kind, account, keyOf(moved), moved);
    }
  }
}

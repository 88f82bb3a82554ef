/**
 * SSH public keys of IAM users, for CodeCommit (API_UploadSSHPublicKey.html, API_GetSSHPublicKey.html,
 * API_ListSSHPublicKeys.html, API_UpdateSSHPublicKey.html, API_DeleteSSHPublicKey.html). Keys are stored
 * as kind 'sshPublicKey' under their id, which is unique across accounts (CodeCommit signs in with it).
 */
import type { CredentialStatus, SshPublicKey } from '../model/entities.js';
import { limitExceeded } from '../model/errors.js';
import { newSshPublicKeyId } from '../model/ids.js';
import { duplicateSshPublicKey, encodeSshPublicKey, parseSshPublicKey } from '../model/ssh-public-keys.js';
import type { StoreReader } from '../store/types.js';
import { credentialsOf, deleteCredential, requireOwnedCredential, requireOwner, setCredentialStatus, settableStatus, unusedCredentialId } from './credential-owners.js';
import { defineOperation } from './operation.js';
import { paginate, type PageRequest } from './pagination.js';
import { impliedUserTarget } from './user-targets.js';

/** IAM quotas (reference_iam-quotas.html): SSH public keys per user. */
export const SSH_PUBLIC_KEYS_PER_USER = 5;

/** AWS's `SSHPublicKey`: the stored key without its account. */
export type SshPublicKeyView = Omit<SshPublicKey, 'AccountId'>;

/** AWS's `SSHPublicKeyMetadata`, as ListSSHPublicKeys answers. */
export interface SshPublicKeyMetadata {
  UserName: string;
  SSHPublicKeyId: string;
  Status: CredentialStatus;
  UploadDate: string;
}

function viewOf(key: SshPublicKey, body = key.SSHPublicKeyBody): SshPublicKeyView {
  return { UserName: key.UserName, SSHPublicKeyId: key.SSHPublicKeyId, Fingerprint: key.Fingerprint, SSHPublicKeyBody: body, Status: key.Status, UploadDate: key.UploadDate };
}

async function requireUsersKey(reader: StoreReader, account: string, owner: string | undefined, id: string): Promise<SshPublicKey> {
  return requireOwnedCredential<SshPublicKey>(reader, 'sshPublicKey', account, owner, id);
}

// ---- UploadSSHPublicKey --------------------------------------------------------------------------

export interface UploadSshPublicKeyInput {
  UserName: string;
  SSHPublicKeyBody: string;
}

export const uploadSshPublicKey = defineOperation<UploadSshPublicKeyInput, { SSHPublicKey: SshPublicKeyView }>({
  service: 'iam',
  name: 'UploadSSHPublicKey',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:UploadSSHPublicKey', input.UserName)];
  },
  async execute(context, input) {
    const account = context.accountId;
    const { fingerprint } = parseSshPublicKey(input.SSHPublicKeyBody);
    const key = await context.store.write(async (writer) => {
      const owner = (await requireOwner(writer, context, input.UserName))!;
      const existing = await credentialsOf<SshPublicKey>(writer, 'sshPublicKey', account, owner);
      if (existing.some((key) => key.Fingerprint === fingerprint)) {
        throw duplicateSshPublicKey(`The SSH public key with fingerprint ${fingerprint} is already associated with user ${owner}.`);
      }
      if (existing.length >= SSH_PUBLIC_KEYS_PER_USER) throw limitExceeded(`Cannot exceed quota for SSHPublicKeysPerUser: ${SSH_PUBLIC_KEYS_PER_USER}`);
      const created: SshPublicKey = {
        AccountId: account,
        UserName: owner,
        SSHPublicKeyId: await unusedCredentialId(writer, 'sshPublicKey', newSshPublicKeyId),
        Fingerprint: fingerprint,
        SSHPublicKeyBody: input.SSHPublicKeyBody,
        Status: 'Active',
        UploadDate: context.now.toISOString(),
      };
      await writer.insert('sshPublicKey', account, created.SSHPublicKeyId, created);
      return created;
    });
    return { SSHPublicKey: viewOf(key) };
  },
});

// ---- GetSSHPublicKey -----------------------------------------------------------------------------

export interface GetSshPublicKeyInput {
  UserName: string;
  SSHPublicKeyId: string;
  Encoding: 'SSH' | 'PEM';
}

export const getSshPublicKey = defineOperation<GetSshPublicKeyInput, { SSHPublicKey: SshPublicKeyView }>({
  service: 'iam',
  name: 'GetSSHPublicKey',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:GetSSHPublicKey', input.UserName)];
  },
  async execute(context, input) {
    const key = await context.store.read(async (reader) => {
      const owner = await requireOwner(reader, context, input.UserName);
      return requireUsersKey(reader, context.accountId, owner, input.SSHPublicKeyId);
    });
    // The stored body parsed when it was uploaded, so it parses again.
    return { SSHPublicKey: viewOf(key, encodeSshPublicKey(parseSshPublicKey(key.SSHPublicKeyBody).key, input.Encoding)) };
  },
});

// ---- ListSSHPublicKeys ---------------------------------------------------------------------------

export interface ListSshPublicKeysInput extends PageRequest {
  UserName?: string;
}

export interface ListSshPublicKeysOutput {
  SSHPublicKeys: SshPublicKeyMetadata[];
  IsTruncated: boolean;
  Marker?: string;
}

export const listSshPublicKeys = defineOperation<ListSshPublicKeysInput, ListSshPublicKeysOutput>({
  service: 'iam',
  name: 'ListSSHPublicKeys',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:ListSSHPublicKeys', input.UserName)];
  },
  async execute(context, input) {
    // The root user has no SSH public keys: without a user the list is empty.
    const keys = await context.store.read(async (reader) => {
      const owner = await requireOwner(reader, context, input.UserName);
      return owner === undefined ? [] : credentialsOf<SshPublicKey>(reader, 'sshPublicKey', context.accountId, owner);
    });
    const page = paginate(keys, (key) => key.SSHPublicKeyId, input);
    const metadata = page.items.map(({ UserName, SSHPublicKeyId, Status, UploadDate }) => ({ UserName, SSHPublicKeyId, Status, UploadDate }));
    return { SSHPublicKeys: metadata, IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  },
});

// ---- UpdateSSHPublicKey --------------------------------------------------------------------------

export interface UpdateSshPublicKeyInput {
  UserName: string;
  SSHPublicKeyId: string;
  Status: CredentialStatus | 'Expired';
}

export const updateSshPublicKey = defineOperation<UpdateSshPublicKeyInput, Record<string, never>>({
  service: 'iam',
  name: 'UpdateSSHPublicKey',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:UpdateSSHPublicKey', input.UserName)];
  },
  async execute(context, input) {
    await setCredentialStatus(context, 'sshPublicKey', input.UserName, input.SSHPublicKeyId, settableStatus(input.Status, 'an SSH public key'));
    return {};
  },
});

// ---- DeleteSSHPublicKey --------------------------------------------------------------------------

export interface DeleteSshPublicKeyInput {
  UserName: string;
  SSHPublicKeyId: string;
}

export const deleteSshPublicKey = defineOperation<DeleteSshPublicKeyInput, Record<string, never>>({
  service: 'iam',
  name: 'DeleteSSHPublicKey',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:DeleteSSHPublicKey', input.UserName)];
  },
  async execute(context, input) {
    await deleteCredential(context, 'sshPublicKey', input.UserName, input.SSHPublicKeyId);
    return {};
  },
});

/** The SSH public key operations, for the registry. */
export const SSH_PUBLIC_KEY_OPERATIONS = [uploadSshPublicKey, getSshPublicKey, listSshPublicKeys, updateSshPublicKey, deleteSshPublicKey];

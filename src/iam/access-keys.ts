/**
 * Long-term access keys of IAM users and of the root user (API_CreateAccessKey.html,
 * API_UpdateAccessKey.html, API_DeleteAccessKey.html, API_ListAccessKeys.html,
 * API_GetAccessKeyLastUsed.html). The secret is returned once, by CreateAccessKey, and stored only sealed
 * (context.secrets, bound to the key id); keys are stored as kind 'accessKey' under their id, which is unique across accounts,
 * so authentication resolves a key with `store.find('accessKey', id)`.
 */
import type { AccessKey } from '../model/entities.js';
import { rootArn } from '../model/arns.js';
import { newAccessKeyId, newSecretAccessKey } from '../model/ids.js';
import { limitExceeded } from '../model/errors.js';
import { credentialNotFound, credentialsOf, deleteCredential, requireOwner, setCredentialStatus, settableStatus, unusedCredentialId } from './credential-owners.js';
import { defineOperation, requestPartition } from './operation.js';
import { paginate, type PageRequest } from './pagination.js';
import { impliedUserTarget, userTarget } from './user-targets.js';

/** IAM quotas (reference_iam-quotas.html): access keys per user (and for the root user). */
export const ACCESS_KEYS_PER_USER = 2;

/** AWS's `AccessKeyMetadata`; root keys have no UserName. */
export interface AccessKeyMetadata {
  UserName?: string;
  AccessKeyId: string;
  Status: AccessKey['Status'];
  CreateDate: string;
}

function metadataOf(key: AccessKey): AccessKeyMetadata {
  return { ...(key.UserName ? { UserName: key.UserName } : {}), AccessKeyId: key.AccessKeyId, Status: key.Status, CreateDate: key.CreateDate };
}

// ---- CreateAccessKey -----------------------------------------------------------------------------

export interface CreateAccessKeyInput {
  UserName?: string;
}

export interface CreatedAccessKey extends AccessKeyMetadata {
  SecretAccessKey: string;
}

export const createAccessKey = defineOperation<CreateAccessKeyInput, { AccessKey: CreatedAccessKey }>({
  service: 'iam',
  name: 'CreateAccessKey',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:CreateAccessKey', input.UserName)];
  },
  async execute(context, input) {
    const account = context.accountId;
    const secret = newSecretAccessKey();
    const key = await context.store.write(async (writer) => {
      const owner = await requireOwner(writer, context, input.UserName);
      if ((await credentialsOf(writer, 'accessKey', account, owner)).length >= ACCESS_KEYS_PER_USER) {
        throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`);
      }
      const accessKeyId = await unusedCredentialId(writer, 'accessKey', () => newAccessKeyId('AKIA'));
      const created: AccessKey = {
        AccessKeyId: accessKeyId,
        AccountId: account,
        ...(owner !== undefined ? { UserName: owner } : {}),
        Status: 'Active',
        // Bound to the key's id, so a sealed secret cannot be moved to another key (auth unseals it the same way).
        SealedSecret: context.secrets.seal(secret, accessKeyId),
        CreateDate: context.now.toISOString(),
      };
      await writer.insert('accessKey', account, created.AccessKeyId, created);
      return created;
    });
    return { AccessKey: { ...metadataOf(key), SecretAccessKey: secret } };
  },
});

// ---- UpdateAccessKey -----------------------------------------------------------------------------

export interface UpdateAccessKeyInput {
  UserName?: string;
  AccessKeyId: string;
  Status: AccessKey['Status'] | 'Expired';
}

export const updateAccessKey = defineOperation<UpdateAccessKeyInput, Record<string, never>>({
  service: 'iam',
  name: 'UpdateAccessKey',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:UpdateAccessKey', input.UserName)];
  },
  async execute(context, input) {
    await setCredentialStatus(context, 'accessKey', input.UserName, input.AccessKeyId, settableStatus(input.Status, 'an access key'));
    return {};
  },
});

// ---- DeleteAccessKey -----------------------------------------------------------------------------

export interface DeleteAccessKeyInput {
  UserName?: string;
  AccessKeyId: string;
}

export const deleteAccessKey = defineOperation<DeleteAccessKeyInput, Record<string, never>>({
  service: 'iam',
  name: 'DeleteAccessKey',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:DeleteAccessKey', input.UserName)];
  },
  async execute(context, input) {
    await deleteCredential(context, 'accessKey', input.UserName, input.AccessKeyId);
    return {};
  },
});

// ---- ListAccessKeys ------------------------------------------------------------------------------

export interface ListAccessKeysInput extends PageRequest {
  UserName?: string;
}

export interface ListAccessKeysOutput {
  AccessKeyMetadata: AccessKeyMetadata[];
  IsTruncated: boolean;
  Marker?: string;
}

export const listAccessKeys = defineOperation<ListAccessKeysInput, ListAccessKeysOutput>({
  service: 'iam',
  name: 'ListAccessKeys',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:ListAccessKeys', input.UserName)];
  },
  async execute(context, input) {
    const keys = await context.store.read(async (reader) => credentialsOf<AccessKey>(reader, 'accessKey', context.accountId, await requireOwner(reader, context, input.UserName)));
    const page = paginate(keys, (key) => key.AccessKeyId, input);
    return { AccessKeyMetadata: page.items.map(metadataOf), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  },
});

// ---- GetAccessKeyLastUsed ------------------------------------------------------------------------

export interface GetAccessKeyLastUsedInput {
  AccessKeyId: string;
}

export interface GetAccessKeyLastUsedOutput {
  UserName?: string;
  AccessKeyLastUsed: { LastUsedDate?: string; ServiceName: string; Region: string };
}

export const getAccessKeyLastUsed = defineOperation<GetAccessKeyLastUsedInput, GetAccessKeyLastUsedOutput>({
  service: 'iam',
  name: 'GetAccessKeyLastUsed',
  async authorize(context, input) {
    const key = await context.store.read((reader) => reader.get<AccessKey>('accessKey', context.accountId, input.AccessKeyId));
    if (key?.UserName) return [await userTarget(context, 'iam:GetAccessKeyLastUsed', key.UserName)];
    return [{ action: 'iam:GetAccessKeyLastUsed', resource: key ? rootArn(requestPartition(context), context.accountId) : '*' }];
  },
  async execute(context, input) {
    const key = await context.store.read((reader) => reader.get<AccessKey>('accessKey', context.accountId, input.AccessKeyId));
    if (!key || key.AccessKeyId !== input.AccessKeyId) throw credentialNotFound('accessKey', input.AccessKeyId);
    // A key never used reports "N/A" for service and region and no date (API_AccessKeyLastUsed.html).
    const lastUsed = key.LastUsed
      ? { LastUsedDate: key.LastUsed.LastUsedDate, ServiceName: key.LastUsed.ServiceName, Region: key.LastUsed.Region }
      : { ServiceName: 'N/A', Region: 'N/A' };
    return { ...(key.UserName ? { UserName: key.UserName } : {}), AccessKeyLastUsed: lastUsed };
  },
});

/** The access key operations, for the registry. */
export const ACCESS_KEY_OPERATIONS = [createAccessKey, updateAccessKey, deleteAccessKey, listAccessKeys, getAccessKeyLastUsed];

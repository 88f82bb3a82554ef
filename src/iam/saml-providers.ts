/**
 * SAML 2.0 identity providers (API_CreateSAMLProvider.html, API_GetSAMLProvider.html,
 * API_UpdateSAMLProvider.html, API_ListSAMLProviders.html, API_DeleteSAMLProvider.html and the provider's
 * tags). A provider is stored under its name (`arn:aws:iam::ACCOUNT:saml-provider/NAME`); its metadata
 * document must name the IdP and at least one signing certificate (saml-metadata.ts). `ValidUntil` is the
 * metadata's `validUntil`, or 100 years after the provider was created when the metadata has none.
 * Private keys decrypt encrypted assertions; they are sealed with the server key and never returned —
 * only their ids and upload times (`PrivateKeyList`, at most two, for rotation).
 */
import { createPrivateKey } from 'node:crypto';
import { samlProviderArn } from '../model/arns.js';
import type { SamlProvider, Tag } from '../model/entities.js';
import { entityAlreadyExists, invalidInput, limitExceeded, noSuchEntity } from '../model/errors.js';
import { newSamlIdentifier } from '../model/ids.js';
import { EntityConflictError, type StoreReader } from '../store/types.js';
import { defineOperation, requestPartition, type AuthorizationTarget, type OperationContext, type SecretSealing } from './operation.js';
import type { PageRequest } from './pagination.js';
import { parseSamlMetadata } from './saml-metadata.js';
import { checkRequestTags, mergeTags, pageOfTags, removeTags, requestTagContext, resourceTagContext, tagKeysContext, tagsForOutput } from './tags.js';

/** IAM quotas (reference_iam-quotas.html): SAML providers per account; private keys per provider (the model's list maximum). */
export const SAML_PROVIDERS_PER_ACCOUNT = 100;
export const PRIVATE_KEYS_PER_PROVIDER = 2;
/** A provider whose metadata sets no validUntil stays valid a hundred years. */
const DEFAULT_VALIDITY_YEARS = 100;

const ARN_PATTERN = /^arn:aws[a-z-]*:iam::(\d{12}):saml-provider\/([\w._-]+)$/;

/** AWS's NoSuchEntity for a provider ARN that names none. */
export const manifestNotFound = (arn: string) => noSuchEntity(`Manifest not found for arn ${arn}`);

/** The account and name an ARN names, refusing ARNs IAM cannot parse ("ARN ... is not valid."). */
function nameOfArn(arn: string): { account: string; name: string } {
  const match = ARN_PATTERN.exec(arn);
  if (!match) throw invalidInput(`ARN ${arn} is not valid.`);
  return { account: match[1]!, name: match[2]! };
}

/** The provider an ARN names in `account`, if any (an ARN of another account names none). */
export async function findSamlProvider(reader: StoreReader, account: string, arn: string): Promise<SamlProvider | undefined> {
  const match = ARN_PATTERN.exec(arn);
  if (!match || match[1] !== account) return undefined;
  const provider = await reader.get<SamlProvider>('samlProvider', account, match[2]!);
  return provider?.Arn === arn ? provider : undefined;
}

async function requireProvider(reader: StoreReader, account: string, arn: string): Promise<SamlProvider> {
  nameOfArn(arn);
  const provider = await findSamlProvider(reader, account, arn);
  if (!provider) throw manifestNotFound(arn);
  return provider;
}

/** The provider's ARN as the action's resource, with its tags as `aws:ResourceTag/*`. */
async function providerTarget(context: OperationContext, action: string, arn: string, extra: AuthorizationTarget['context'] = {}): Promise<AuthorizationTarget> {
  const provider = await context.store.read((reader) => findSamlProvider(reader, context.accountId, arn));
  return { action, resource: arn, context: { ...resourceTagContext(provider?.Tags), ...extra } };
}

/** The sealing context of a provider's private key: bound to the provider and the key id. */
function privateKeyContext(providerArn: string, keyId: string): string {
  return `iam:saml-private-key:${providerArn}:${keyId}`;
}

/** A new private key entry; the key must be a PEM private key Node can load (the wording is Rolecall's). */
function sealPrivateKey(secrets: SecretSealing, providerArn: string, pem: string, now: Date): SamlProvider['PrivateKeys'][number] {
  try {
    createPrivateKey(pem);
  } catch {
    throw invalidInput('The private key is not a valid PEM-encoded private key.');
  }
  const keyId = newSamlIdentifier();
  return { KeyId: keyId, Timestamp: now.toISOString(), SealedKey: secrets.seal(pem, privateKeyContext(providerArn, keyId)) };
}

/** The PEM private keys of a provider, for decrypting its assertions. */
export function privateKeysOf(secrets: SecretSealing, provider: SamlProvider): string[] {
  return provider.PrivateKeys.map((key) => secrets.unseal(key.SealedKey, privateKeyContext(provider.Arn, key.KeyId)));
}

/** Refuses a provider that requires encrypted assertions but holds no key to decrypt them (the wording is Rolecall's). */
function checkEncryptionSettings(provider: SamlProvider): void {
  if (provider.PrivateKeys.length > PRIVATE_KEYS_PER_PROVIDER) {
    throw limitExceeded(`Cannot exceed quota for PrivateKeysPerSAMLProvider: ${PRIVATE_KEYS_PER_PROVIDER}`);
  }
  if (provider.AssertionEncryptionMode === 'Required' && provider.PrivateKeys.length === 0) {
    throw invalidInput('AssertionEncryptionMode Required needs a private key to decrypt assertions: pass AddPrivateKey.');
  }
}

function validUntilOf(metadata: ReturnType<typeof parseSamlMetadata>, createDate: Date): string {
  if (metadata.validUntil) return metadata.validUntil;
  const until = new Date(createDate);
  until.setUTCFullYear(until.getUTCFullYear() + DEFAULT_VALIDITY_YEARS);
  return until.toISOString();
}

// ---- CreateSAMLProvider --------------------------------------------------------------------------

export interface CreateSAMLProviderInput {
  SAMLMetadataDocument: string;
  Name: string;
  Tags?: Tag[];
  AssertionEncryptionMode?: 'Required' | 'Allowed';
  AddPrivateKey?: string;
}

export const createSAMLProvider = defineOperation<CreateSAMLProviderInput, { SAMLProviderArn: string; Tags?: Tag[] }>({
  service: 'iam',
  name: 'CreateSAMLProvider',
  authorize(context, input) {
    return [{ action: 'iam:CreateSAMLProvider', resource: samlProviderArn(requestPartition(context), context.accountId, input.Name), context: requestTagContext(input.Tags) }];
  },
  async execute(context, input) {
    const metadata = parseSamlMetadata(input.SAMLMetadataDocument);
    checkRequestTags(input.Tags);
    const account = context.accountId;
    const arn = samlProviderArn(requestPartition(context), account, input.Name);
    const created: SamlProvider = {
      AccountId: account,
      Name: input.Name,
      Arn: arn,
      SAMLMetadataDocument: input.SAMLMetadataDocument,
      SAMLProviderUUID: newSamlIdentifier(),
      CreateDate: context.now.toISOString(),
      ValidUntil: validUntilOf(metadata, context.now),
      PrivateKeys: input.AddPrivateKey !== undefined ? [sealPrivateKey(context.secrets, arn, input.AddPrivateKey, context.now)] : [],
      Tags: (input.Tags ?? []).map((tag) => ({ Key: tag.Key, Value: tag.Value })),
      ...(input.AssertionEncryptionMode ? { AssertionEncryptionMode: input.AssertionEncryptionMode } : {}),
    };
    checkEncryptionSettings(created);
    // The wording is Rolecall's: AWS's message for a taken name is not documented.
    const exists = () => entityAlreadyExists(`SAMLProvider ${input.Name} already exists.`);
    await context.store.write(async (writer) => {
      if (await writer.get<SamlProvider>('samlProvider', account, input.Name)) throw exists();
      if ((await writer.count('samlProvider', account)) >= SAML_PROVIDERS_PER_ACCOUNT) {
        throw limitExceeded(`Cannot exceed quota for SAMLProvidersPerAccount: ${SAML_PROVIDERS_PER_ACCOUNT}`);
      }
      try {
        await writer.insert('samlProvider', account, input.Name, created);
      } catch (error) {
        throw error instanceof EntityConflictError ? exists() : error;
      }
    });
    const tags = tagsForOutput(created.Tags);
    return { SAMLProviderArn: arn, ...(tags ? { Tags: tags } : {}) };
  },
});

// ---- GetSAMLProvider -----------------------------------------------------------------------------

export interface SamlProviderArnInput {
  SAMLProviderArn: string;
}

export interface GetSAMLProviderOutput {
  SAMLProviderUUID: string;
  SAMLMetadataDocument: string;
  CreateDate: string;
  ValidUntil: string;
  Tags?: Tag[];
  AssertionEncryptionMode?: string;
  PrivateKeyList?: Array<{ KeyId: string; Timestamp: string }>;
}

export const getSAMLProvider = defineOperation<SamlProviderArnInput, GetSAMLProviderOutput>({
  service: 'iam',
  name: 'GetSAMLProvider',
  authorize(context, input) {
    return providerTarget(context, 'iam:GetSAMLProvider', input.SAMLProviderArn).then((target) => [target]);
  },
  async execute(context, input) {
    const provider = await context.store.read((reader) => requireProvider(reader, context.accountId, input.SAMLProviderArn));
    // "The returned list of tags is sorted by tag key."
    const tags = tagsForOutput([...provider.Tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0)));
    return {
      SAMLProviderUUID: provider.SAMLProviderUUID,
      SAMLMetadataDocument: provider.SAMLMetadataDocument,
      CreateDate: provider.CreateDate,
      ValidUntil: provider.ValidUntil,
      ...(tags ? { Tags: tags } : {}),
      ...(provider.AssertionEncryptionMode ? { AssertionEncryptionMode: provider.AssertionEncryptionMode } : {}),
      ...(provider.PrivateKeys.length > 0 ? { PrivateKeyList: provider.PrivateKeys.map((key) => ({ KeyId: key.KeyId, Timestamp: key.Timestamp })) } : {}),
    };
  },
});

// ---- UpdateSAMLProvider --------------------------------------------------------------------------

export interface UpdateSAMLProviderInput extends SamlProviderArnInput {
  SAMLMetadataDocument?: string;
  AssertionEncryptionMode?: 'Required' | 'Allowed';
  AddPrivateKey?: string;
  RemovePrivateKey?: string;
}

export const updateSAMLProvider = defineOperation<UpdateSAMLProviderInput, { SAMLProviderArn: string }>({
  service: 'iam',
  name: 'UpdateSAMLProvider',
  authorize(context, input) {
    return providerTarget(context, 'iam:UpdateSAMLProvider', input.SAMLProviderArn).then((target) => [target]);
  },
  async execute(context, input) {
    const metadata = input.SAMLMetadataDocument !== undefined ? parseSamlMetadata(input.SAMLMetadataDocument) : undefined;
    await context.store.write(async (writer) => {
      const provider = await requireProvider(writer, context.accountId, input.SAMLProviderArn);
      let keys = provider.PrivateKeys;
      if (input.RemovePrivateKey !== undefined) {
        if (!keys.some((key) => key.KeyId === input.RemovePrivateKey)) throw invalidInput(`Private key ${input.RemovePrivateKey} not found for ${provider.Arn}.`);
        keys = keys.filter((key) => key.KeyId !== input.RemovePrivateKey);
      }
      if (input.AddPrivateKey !== undefined) keys = [...keys, sealPrivateKey(context.secrets, provider.Arn, input.AddPrivateKey, context.now)];
      const updated: SamlProvider = {
        ...provider,
        PrivateKeys: keys,
        ...(input.SAMLMetadataDocument !== undefined && metadata
          ? { SAMLMetadataDocument: input.SAMLMetadataDocument, ValidUntil: validUntilOf(metadata, new Date(provider.CreateDate)) }
          : {}),
        ...(input.AssertionEncryptionMode ? { AssertionEncryptionMode: input.AssertionEncryptionMode } : {}),
      };
      checkEncryptionSettings(updated);
      await writer.put('samlProvider', context.accountId, provider.Name, updated);
    });
    return { SAMLProviderArn: input.SAMLProviderArn };
  },
});

// ---- ListSAMLProviders and DeleteSAMLProvider ----------------------------------------------------

export const listSAMLProviders = defineOperation<Record<string, never>, { SAMLProviderList: Array<{ Arn: string; ValidUntil: string; CreateDate: string }> }>({
  service: 'iam',
  name: 'ListSAMLProviders',
  authorize() {
    return [{ action: 'iam:ListSAMLProviders', resource: '*' }];
  },
  async execute(context) {
    const providers = await context.store.read((reader) => reader.list<SamlProvider>('samlProvider', context.accountId));
    return { SAMLProviderList: providers.map((provider) => ({ Arn: provider.Arn, ValidUntil: provider.ValidUntil, CreateDate: provider.CreateDate })) };
  },
});

export const deleteSAMLProvider = defineOperation<SamlProviderArnInput, Record<string, never>>({
  service: 'iam',
  name: 'DeleteSAMLProvider',
  authorize(context, input) {
    return providerTarget(context, 'iam:DeleteSAMLProvider', input.SAMLProviderArn).then((target) => [target]);
  },
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const provider = await requireProvider(writer, context.accountId, input.SAMLProviderArn);
      await writer.delete('samlProvider', context.accountId, provider.Name);
    });
    return {};
  },
});

// ---- Tags ----------------------------------------------------------------------------------------

async function changeTags(context: OperationContext, arn: string, change: (tags: Tag[]) => Tag[]): Promise<void> {
  await context.store.write(async (writer) => {
    const provider = await requireProvider(writer, context.accountId, arn);
    await writer.put<SamlProvider>('samlProvider', context.accountId, provider.Name, { ...provider, Tags: change(provider.Tags) });
  });
}

export const tagSAMLProvider = defineOperation<SamlProviderArnInput & { Tags: Tag[] }, Record<string, never>>({
  service: 'iam',
  name: 'TagSAMLProvider',
  authorize(context, input) {
    return providerTarget(context, 'iam:TagSAMLProvider', input.SAMLProviderArn, requestTagContext(input.Tags)).then((target) => [target]);
  },
  async execute(context, input) {
    checkRequestTags(input.Tags);
    await changeTags(context, input.SAMLProviderArn, (tags) => mergeTags(tags, input.Tags));
    return {};
  },
});

export const untagSAMLProvider = defineOperation<SamlProviderArnInput & { TagKeys: string[] }, Record<string, never>>({
  service: 'iam',
  name: 'UntagSAMLProvider',
  authorize(context, input) {
    return providerTarget(context, 'iam:UntagSAMLProvider', input.SAMLProviderArn, tagKeysContext(input.TagKeys)).then((target) => [target]);
  },
  async execute(context, input) {
    await changeTags(context, input.SAMLProviderArn, (tags) => removeTags(tags, input.TagKeys));
    return {};
  },
});

export const listSAMLProviderTags = defineOperation<SamlProviderArnInput & PageRequest, { Tags: Tag[]; IsTruncated: boolean; Marker?: string }>({
  service: 'iam',
  name: 'ListSAMLProviderTags',
  authorize(context, input) {
    return providerTarget(context, 'iam:ListSAMLProviderTags', input.SAMLProviderArn).then((target) => [target]);
  },
  async execute(context, input) {
    const provider = await context.store.read((reader) => requireProvider(reader, context.accountId, input.SAMLProviderArn));
    return pageOfTags(provider.Tags, input);
  },
});

/** The SAML provider operations, for the registry. */
export const SAML_PROVIDER_OPERATIONS = [
  createSAMLProvider,
  getSAMLProvider,
  updateSAMLProvider,
  listSAMLProviders,
  deleteSAMLProvider,
  tagSAMLProvider,
  untagSAMLProvider,
  listSAMLProviderTags,
];

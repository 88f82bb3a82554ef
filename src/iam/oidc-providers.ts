/**
 * OpenID Connect identity providers (API_CreateOpenIDConnectProvider.html, API_GetOpenIDConnectProvider.html,
 * API_DeleteOpenIDConnectProvider.html, API_ListOpenIDConnectProviders.html,
 * API_AddClientIDToOpenIDConnectProvider.html, API_RemoveClientIDFromOpenIDConnectProvider.html,
 * API_UpdateOpenIDConnectProviderThumbprint.html and the provider's tags). A provider is stored under its
 * URL without the `https://` scheme, which is also the suffix of its ARN
 * (`arn:aws:iam::ACCOUNT:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC`).
 */
import type { OpenIdConnectProvider, Tag } from '../model/entities.js';
import { oidcProviderArn } from '../model/arns.js';
import { entityAlreadyExists, invalidInput, limitExceeded, noSuchEntity, validationError } from '../model/errors.js';
import { EntityConflictError, type StoreReader } from '../store/types.js';
import { defineOperation, requestPartition, type AuthorizationTarget, type OperationContext } from './operation.js';
import type { PageRequest } from './pagination.js';
import { checkRequestTags, mergeTags, pageOfTags, removeTags, requestTagContext, resourceTagContext, tagKeysContext, tagsForOutput } from './tags.js';

/** IAM quotas (reference_iam-quotas.html): OIDC providers per account, client ids and thumbprints per provider. */
export const OIDC_PROVIDERS_PER_ACCOUNT = 100;
export const CLIENT_IDS_PER_PROVIDER = 100;
export const THUMBPRINTS_PER_PROVIDER = 5;

const ARN_PATTERN = /^arn:aws[a-z-]*:iam::(\d{12}):oidc-provider\/(.+)$/;

/** The URL as stored and as it appears in the ARN: without `https://`. */
function urlWithoutScheme(url: string): string {
  return url.replace(/^https:\/\//i, '');
}

/**
 * IAM accepts only `https://` URLs with a host, optionally a path, and no query or fragment
 * (API_CreateOpenIDConnectProvider.html: "The URL must begin with https://", "query parameters are not").
 */
function checkProviderUrl(url: string): void {
  const rest = /^https:\/\//i.test(url) ? urlWithoutScheme(url) : undefined;
  if (!rest || rest.startsWith('/') || /[?#\s]/.test(rest)) throw validationError('Invalid Open ID Connect Provider URL');
}

/** The model checks each thumbprint (40 characters); their number is IAM's quota. */
function checkThumbprintCount(thumbprints: readonly string[]): void {
  if (thumbprints.length > THUMBPRINTS_PER_PROVIDER) throw invalidInput(`Thumbprint list must contain fewer than ${THUMBPRINTS_PER_PROVIDER} entries.`);
}

function clientIdQuota() {
  return limitExceeded(`Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: ${CLIENT_IDS_PER_PROVIDER}`);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The stored URL an ARN names, refusing ARNs IAM cannot parse ("ARN ... is not valid."). */
function urlOfArn(arn: string): { account: string; url: string } {
  const match = ARN_PATTERN.exec(arn);
  if (!match) throw invalidInput(`ARN ${arn} is not valid.`);
  return { account: match[1]!, url: match[2]! };
}

/** The provider an ARN names in the caller's account, if any (an ARN of another account names none). */
async function findProvider(reader: StoreReader, account: string, arn: string): Promise<OpenIdConnectProvider | undefined> {
  const named = urlOfArn(arn);
  if (named.account !== account) return undefined;
  const provider = await reader.get<OpenIdConnectProvider>('oidcProvider', account, named.url);
  return provider?.Arn === arn ? provider : undefined;
}

async function requireProvider(reader: StoreReader, account: string, arn: string): Promise<OpenIdConnectProvider> {
  const provider = await findProvider(reader, account, arn);
  if (!provider) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
  return provider;
}

/** The provider's ARN as the action's resource, with its tags as `aws:ResourceTag/*`. */
async function providerTarget(context: OperationContext, action: string, arn: string, extra: AuthorizationTarget['context'] = {}): Promise<AuthorizationTarget> {
  const provider = ARN_PATTERN.test(arn) ? await context.store.read((reader) => findProvider(reader, context.accountId, arn)) : undefined;
  return { action, resource: arn, context: { ...resourceTagContext(provider?.Tags), ...extra } };
}

/** Applies a change to a stored provider inside one write transaction. */
async function updateProvider(context: OperationContext, arn: string, change: (provider: OpenIdConnectProvider) => OpenIdConnectProvider): Promise<void> {
  await context.store.write(async (writer) => {
    const provider = await requireProvider(writer, context.accountId, arn);
    await writer.put<OpenIdConnectProvider>('oidcProvider', context.accountId, provider.Url, change(provider));
  });
}

// ---- CreateOpenIDConnectProvider -----------------------------------------------------------------

export interface CreateOpenIDConnectProviderInput {
  Url: string;
  ClientIDList?: string[];
  ThumbprintList?: string[];
  Tags?: Tag[];
}

export const createOpenIDConnectProvider = defineOperation<CreateOpenIDConnectProviderInput, { OpenIDConnectProviderArn: string; Tags?: Tag[] }>({
  service: 'iam',
  name: 'CreateOpenIDConnectProvider',
  authorize(context, input) {
    return [
      {
        action: 'iam:CreateOpenIDConnectProvider',
        resource: oidcProviderArn(requestPartition(context), context.accountId, urlWithoutScheme(input.Url ?? '')),
        context: requestTagContext(input.Tags),
      },
    ];
  },
  async execute(context, input) {
    checkProviderUrl(input.Url);
    const clientIds = unique(input.ClientIDList ?? []);
    if (clientIds.length > CLIENT_IDS_PER_PROVIDER) throw clientIdQuota();
    // Thumbprints are optional: AWS then verifies the IdP through its trusted CAs (id_roles_providers_create_oidc_verify-thumbprint.html).
    const thumbprints = unique(input.ThumbprintList ?? []);
    checkThumbprintCount(thumbprints);
    checkRequestTags(input.Tags);
    const account = context.accountId;
    const url = urlWithoutScheme(input.Url);
    const exists = () => entityAlreadyExists(`Provider with url ${input.Url} already exists.`);
    const provider = await context.store.write(async (writer) => {
      if (await writer.get<OpenIdConnectProvider>('oidcProvider', account, url)) throw exists();
      if ((await writer.count('oidcProvider', account)) >= OIDC_PROVIDERS_PER_ACCOUNT) {
        throw limitExceeded(`Cannot exceed quota for OpenIdConnectProvidersPerAccount: ${OIDC_PROVIDERS_PER_ACCOUNT}`);
      }
      const created: OpenIdConnectProvider = {
        AccountId: account,
        Url: url,
        Arn: oidcProviderArn(requestPartition(context), account, url),
        ClientIDList: clientIds,
        ThumbprintList: thumbprints,
        CreateDate: context.now.toISOString(),
        Tags: (input.Tags ?? []).map((tag) => ({ Key: tag.Key, Value: tag.Value })),
      };
      try {
        await writer.insert('oidcProvider', account, url, created);
      } catch (error) {
        throw error instanceof EntityConflictError ? exists() : error;
      }
      return created;
    });
    const tags = tagsForOutput(provider.Tags);
    return { OpenIDConnectProviderArn: provider.Arn, ...(tags ? { Tags: tags } : {}) };
  },
});

// ---- GetOpenIDConnectProvider --------------------------------------------------------------------

export interface ProviderArnInput {
  OpenIDConnectProviderArn: string;
}

export interface GetOpenIDConnectProviderOutput {
  Url: string;
  ClientIDList: string[];
  ThumbprintList: string[];
  CreateDate: string;
  Tags?: Tag[];
}

export const getOpenIDConnectProvider = defineOperation<ProviderArnInput, GetOpenIDConnectProviderOutput>({
  service: 'iam',
  name: 'GetOpenIDConnectProvider',
  authorize(context, input) {
    return providerTarget(context, 'iam:GetOpenIDConnectProvider', input.OpenIDConnectProviderArn).then((target) => [target]);
  },
  async execute(context, input) {
    const provider = await context.store.read((reader) => requireProvider(reader, context.accountId, input.OpenIDConnectProviderArn));
    const tags = tagsForOutput(provider.Tags);
    return {
      Url: provider.Url,
      ClientIDList: [...provider.ClientIDList],
      ThumbprintList: [...provider.ThumbprintList],
      CreateDate: provider.CreateDate,
      ...(tags ? { Tags: tags } : {}),
    };
  },
});

// ---- DeleteOpenIDConnectProvider -----------------------------------------------------------------

export const deleteOpenIDConnectProvider = defineOperation<ProviderArnInput, Record<string, never>>({
  service: 'iam',
  name: 'DeleteOpenIDConnectProvider',
  authorize(context, input) {
    return providerTarget(context, 'iam:DeleteOpenIDConnectProvider', input.OpenIDConnectProviderArn).then((target) => [target]);
  },
  async execute(context, input) {
    // Idempotent: deleting a provider that does not exist succeeds (API_DeleteOpenIDConnectProvider.html).
    await context.store.write(async (writer) => {
      const provider = await findProvider(writer, context.accountId, input.OpenIDConnectProviderArn);
      if (provider) await writer.delete('oidcProvider', context.accountId, provider.Url);
    });
    return {};
  },
});

// ---- ListOpenIDConnectProviders ------------------------------------------------------------------

export const listOpenIDConnectProviders = defineOperation<Record<string, never>, { OpenIDConnectProviderList: Array<{ Arn: string }> }>({
  service: 'iam',
  name: 'ListOpenIDConnectProviders',
  authorize() {
    return [{ action: 'iam:ListOpenIDConnectProviders', resource: '*' }];
  },
  async execute(context) {
    const providers = await context.store.read((reader) => reader.list<OpenIdConnectProvider>('oidcProvider', context.accountId));
    return { OpenIDConnectProviderList: providers.map((provider) => ({ Arn: provider.Arn })) };
  },
});

// ---- Client ids and thumbprints ------------------------------------------------------------------

export interface ClientIdInput extends ProviderArnInput {
  ClientID: string;
}

export const addClientIDToOpenIDConnectProvider = defineOperation<ClientIdInput, Record<string, never>>({
  service: 'iam',
  name: 'AddClientIDToOpenIDConnectProvider',
  authorize(context, input) {
    return providerTarget(context, 'iam:AddClientIDToOpenIDConnectProvider', input.OpenIDConnectProviderArn).then((target) => [target]);
  },
  async execute(context, input) {
    // Idempotent: adding a client id already registered changes nothing.
    await updateProvider(context, input.OpenIDConnectProviderArn, (provider) => {
      if (provider.ClientIDList.includes(input.ClientID)) return provider;
      if (provider.ClientIDList.length >= CLIENT_IDS_PER_PROVIDER) throw clientIdQuota();
      return { ...provider, ClientIDList: [...provider.ClientIDList, input.ClientID] };
    });
    return {};
  },
});

export const removeClientIDFromOpenIDConnectProvider = defineOperation<ClientIdInput, Record<string, never>>({
  service: 'iam',
  name: 'RemoveClientIDFromOpenIDConnectProvider',
  authorize(context, input) {
    return providerTarget(context, 'iam:RemoveClientIDFromOpenIDConnectProvider', input.OpenIDConnectProviderArn).then((target) => [target]);
  },
  async execute(context, input) {
    // Idempotent: removing a client id that is not registered changes nothing.
    await updateProvider(context, input.OpenIDConnectProviderArn, (provider) => ({
      ...provider,
      ClientIDList: provider.ClientIDList.filter((clientId) => clientId !== input.ClientID),
    }));
    return {};
  },
});

export interface UpdateThumbprintInput extends ProviderArnInput {
  ThumbprintList: string[];
}

export const updateOpenIDConnectProviderThumbprint = defineOperation<UpdateThumbprintInput, Record<string, never>>({
  service: 'iam',
  name: 'UpdateOpenIDConnectProviderThumbprint',
  authorize(context, input) {
    return providerTarget(context, 'iam:UpdateOpenIDConnectProviderThumbprint', input.OpenIDConnectProviderArn).then((target) => [target]);
  },
  async execute(context, input) {
    const thumbprints = unique(input.ThumbprintList);
    checkThumbprintCount(thumbprints);
    // The new list replaces the old one; the lists are not merged.
    await updateProvider(context, input.OpenIDConnectProviderArn, (provider) => ({ ...provider, ThumbprintList: thumbprints }));
    return {};
  },
});

// ---- Tags ----------------------------------------------------------------------------------------

export interface TagProviderInput extends ProviderArnInput {
  Tags: Tag[];
}

export const tagOpenIDConnectProvider = defineOperation<TagProviderInput, Record<string, never>>({
  service: 'iam',
  name: 'TagOpenIDConnectProvider',
  authorize(context, input) {
    return providerTarget(context, 'iam:TagOpenIDConnectProvider', input.OpenIDConnectProviderArn, requestTagContext(input.Tags)).then((target) => [target]);
  },
  async execute(context, input) {
    checkRequestTags(input.Tags);
    await updateProvider(context, input.OpenIDConnectProviderArn, (provider) => ({ ...provider, Tags: mergeTags(provider.Tags, input.Tags) }));
    return {};
  },
});

export interface UntagProviderInput extends ProviderArnInput {
  TagKeys: string[];
}

export const untagOpenIDConnectProvider = defineOperation<UntagProviderInput, Record<string, never>>({
  service: 'iam',
  name: 'UntagOpenIDConnectProvider',
  authorize(context, input) {
    return providerTarget(context, 'iam:UntagOpenIDConnectProvider', input.OpenIDConnectProviderArn, tagKeysContext(input.TagKeys)).then((target) => [target]);
  },
  async execute(context, input) {
    await updateProvider(context, input.OpenIDConnectProviderArn, (provider) => ({ ...provider, Tags: removeTags(provider.Tags, input.TagKeys) }));
    return {};
  },
});

export interface ListProviderTagsInput extends ProviderArnInput, PageRequest {}

export const listOpenIDConnectProviderTags = defineOperation<ListProviderTagsInput, { Tags: Tag[]; IsTruncated: boolean; Marker?: string }>({
  service: 'iam',
  name: 'ListOpenIDConnectProviderTags',
  authorize(context, input) {
    return providerTarget(context, 'iam:ListOpenIDConnectProviderTags', input.OpenIDConnectProviderArn).then((target) => [target]);
  },
  async execute(context, input) {
    const provider = await context.store.read((reader) => requireProvider(reader, context.accountId, input.OpenIDConnectProviderArn));
    return pageOfTags(provider.Tags, input);
  },
});

/** The OIDC provider operations, for the registry. */
export const OIDC_PROVIDER_OPERATIONS = [
  createOpenIDConnectProvider,
  getOpenIDConnectProvider,
  deleteOpenIDConnectProvider,
  listOpenIDConnectProviders,
  addClientIDToOpenIDConnectProvider,
  removeClientIDFromOpenIDConnectProvider,
  updateOpenIDConnectProviderThumbprint,
  tagOpenIDConnectProvider,
  untagOpenIDConnectProvider,
  listOpenIDConnectProviderTags,
];

/**
 * Service-specific credentials of IAM users (API_CreateServiceSpecificCredential.html,
 * API_ListServiceSpecificCredentials.html, API_ResetServiceSpecificCredential.html,
 * API_UpdateServiceSpecificCredential.html, API_DeleteServiceSpecificCredential.html): a user name and
 * password for CodeCommit or Amazon Keyspaces, or an API key for Amazon Bedrock. The password is returned
 * by Create and Reset only and stored sealed, bound to the credential's id.
 */
import type { CredentialStatus, ServiceSpecificCredential } from '../model/entities.js';
import { AwsError, invalidInput, limitExceeded } from '../model/errors.js';
import { newServicePassword, newUniqueId } from '../model/ids.js';
import type { StoreReader } from '../store/types.js';
import { credentialsOf, deleteCredential, requireOwnedCredential, requireOwner, setCredentialStatus, settableStatus, unusedCredentialId } from './credential-owners.js';
import { defineOperation, requestPartition, type OperationContext } from './operation.js';
import { userArn } from '../model/arns.js';
import { paginate, type PageRequest } from './pagination.js';
import { impliedUserTarget } from './user-targets.js';

/** The services IAM issues these credentials for (API_CreateServiceSpecificCredential.html). */
export const SUPPORTED_SERVICES = ['codecommit.amazonaws.com', 'cassandra.amazonaws.com', 'bedrock.amazonaws.com'] as const;
/** Bedrock's credentials are API keys: an alias and a secret rather than a user name and password, optionally expiring. */
const API_KEY_SERVICE = 'bedrock.amazonaws.com';

/** "A maximum of two sets of service-specific credentials for each supported service per user." */
export const CREDENTIALS_PER_USER_PER_SERVICE = 2;

const DAY_MS = 24 * 60 * 60 * 1000;

/** AWS's `ServiceSpecificCredentialMetadata` (the listing form). */
export interface ServiceSpecificCredentialMetadata {
  UserName: string;
  Status: CredentialStatus | 'Expired';
  ServiceUserName?: string;
  ServiceCredentialAlias?: string;
  CreateDate: string;
  ExpirationDate?: string;
  ServiceSpecificCredentialId: string;
  ServiceName: string;
}

/** AWS's `ServiceSpecificCredential`: the metadata with the secret, as Create and Reset return it once. */
export interface ServiceSpecificCredentialView extends ServiceSpecificCredentialMetadata {
  ServicePassword?: string;
  ServiceCredentialSecret?: string;
}

function notSupported(serviceName: string) {
  return new AwsError('NotSupportedService', `No such service ${serviceName} is supported for Service Specific Credentials`, 404);
}

function requireSupportedService(serviceName: string): void {
  if (!(SUPPORTED_SERVICES as readonly string[]).includes(serviceName)) throw notSupported(serviceName);
}

function metadataOf(credential: ServiceSpecificCredential, now: Date): ServiceSpecificCredentialMetadata {
  const { UserName, ServiceUserName, ServiceCredentialAlias, CreateDate, ExpirationDate, ServiceSpecificCredentialId, ServiceName } = credential;
  // An expired API key reports Expired whatever its stored status.
  const status = ExpirationDate && new Date(ExpirationDate) <= now ? 'Expired' : credential.Status;
  return {
    UserName,
    Status: status,
    ...(ServiceUserName ? { ServiceUserName } : {}),
    ...(ServiceCredentialAlias ? { ServiceCredentialAlias } : {}),
    CreateDate,
    ...(ExpirationDate ? { ExpirationDate } : {}),
    ServiceSpecificCredentialId,
    ServiceName,
  };
}

/** The credential with its secret in the member its service uses. */
function viewWithSecret(credential: ServiceSpecificCredential, secret: string, now: Date): ServiceSpecificCredentialView {
  const member = credential.ServiceName === API_KEY_SERVICE ? 'ServiceCredentialSecret' : 'ServicePassword';
  return { ...metadataOf(credential, now), [member]: secret };
}

async function requireOwnedServiceCredential(reader: StoreReader, account: string, owner: string | undefined, id: string): Promise<ServiceSpecificCredential> {
  return requireOwnedCredential<ServiceSpecificCredential>(reader, 'serviceSpecificCredential', account, owner, id);
}

/**
 * The generated user name: `<user>-at-<account>`, and `<user>+1-at-<account>` for a user's second
 * credential for the same service (AWS's ListServiceSpecificCredentials example shows both).
 */
function serviceUserName(userName: string, account: string, taken: readonly ServiceSpecificCredential[]): string {
  const first = `${userName}-at-${account}`;
  const inUse = (name: string) => taken.some((credential) => (credential.ServiceUserName ?? credential.ServiceCredentialAlias) === name);
  return inUse(first) ? `${userName}+1-at-${account}` : first;
}

// ---- CreateServiceSpecificCredential -------------------------------------------------------------

export interface CreateServiceSpecificCredentialInput {
  UserName: string;
  ServiceName: string;
  CredentialAgeDays?: number;
}

export const createServiceSpecificCredential = defineOperation<CreateServiceSpecificCredentialInput, { ServiceSpecificCredential: ServiceSpecificCredentialView }>({
  service: 'iam',
  name: 'CreateServiceSpecificCredential',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:CreateServiceSpecificCredential', input.UserName)];
  },
  async execute(context, input) {
    requireSupportedService(input.ServiceName);
    const isApiKey = input.ServiceName === API_KEY_SERVICE;
    if (input.CredentialAgeDays !== undefined && !isApiKey) throw invalidInput('CredentialAgeDays is only valid for Bedrock API keys.');
    const account = context.accountId;
    const secret = newServicePassword();
    const credential = await context.store.write(async (writer) => {
      const owner = (await requireOwner(writer, context, input.UserName))!;
      const sameService = (await credentialsOf<ServiceSpecificCredential>(writer, 'serviceSpecificCredential', account, owner)).filter(
        (credential) => credential.ServiceName === input.ServiceName,
      );
      if (sameService.length >= CREDENTIALS_PER_USER_PER_SERVICE) {
        throw limitExceeded(`Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: ${CREDENTIALS_PER_USER_PER_SERVICE}`);
      }
      const id = await unusedCredentialId(writer, 'serviceSpecificCredential', () => newUniqueId('ACCA'));
      const name = serviceUserName(owner, account, sameService);
      const created: ServiceSpecificCredential = {
        AccountId: account,
        UserName: owner,
        ServiceSpecificCredentialId: id,
        ServiceName: input.ServiceName,
        ...(isApiKey ? { ServiceCredentialAlias: name } : { ServiceUserName: name }),
        SealedSecret: context.secrets.seal(secret, id),
        Status: 'Active',
        CreateDate: context.now.toISOString(),
        ...(input.CredentialAgeDays !== undefined ? { ExpirationDate: new Date(context.now.getTime() + input.CredentialAgeDays * DAY_MS).toISOString() } : {}),
      };
      await writer.insert('serviceSpecificCredential', account, id, created);
      return created;
    });
    return { ServiceSpecificCredential: viewWithSecret(credential, secret, context.now) };
  },
});

// ---- ListServiceSpecificCredentials --------------------------------------------------------------

export interface ListServiceSpecificCredentialsInput extends PageRequest {
  UserName?: string;
  ServiceName?: string;
  AllUsers?: boolean;
}

export interface ListServiceSpecificCredentialsOutput {
  ServiceSpecificCredentials: ServiceSpecificCredentialMetadata[];
  IsTruncated: boolean;
  Marker?: string;
}

/** Whether a listing covers every user of the account: AllUsers without a UserName to narrow it. */
function listsAllUsers(input: ListServiceSpecificCredentialsInput): boolean {
  return input.AllUsers === true && input.UserName === undefined;
}

export const listServiceSpecificCredentials = defineOperation<ListServiceSpecificCredentialsInput, ListServiceSpecificCredentialsOutput>({
  service: 'iam',
  name: 'ListServiceSpecificCredentials',
  async authorize(context, input) {
    if (listsAllUsers(input)) return [{ action: 'iam:ListServiceSpecificCredentials', resource: userArn(requestPartition(context), context.accountId, '/', '*') }];
    return [await impliedUserTarget(context, 'iam:ListServiceSpecificCredentials', input.UserName)];
  },
  async execute(context, input) {
    if (input.ServiceName !== undefined) requireSupportedService(input.ServiceName);
    const credentials = await context.store.read((reader) => listedCredentials(reader, context, input));
    const matching = credentials.filter((credential) => input.ServiceName === undefined || credential.ServiceName === input.ServiceName);
    const page = paginate(matching, (credential) => credential.ServiceSpecificCredentialId, input);
    const metadata = page.items.map((credential) => metadataOf(credential, context.now));
    return { ServiceSpecificCredentials: metadata, IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  },
});

async function listedCredentials(reader: StoreReader, context: OperationContext, input: ListServiceSpecificCredentialsInput): Promise<ServiceSpecificCredential[]> {
  if (listsAllUsers(input)) return reader.list<ServiceSpecificCredential>('serviceSpecificCredential', context.accountId);
  // The root user has no service-specific credentials: without a user the list is empty.
  const owner = await requireOwner(reader, context, input.UserName);
  return owner === undefined ? [] : credentialsOf<ServiceSpecificCredential>(reader, 'serviceSpecificCredential', context.accountId, owner);
}

// ---- ResetServiceSpecificCredential --------------------------------------------------------------

export interface ResetServiceSpecificCredentialInput {
  UserName?: string;
  ServiceSpecificCredentialId: string;
}

export const resetServiceSpecificCredential = defineOperation<ResetServiceSpecificCredentialInput, { ServiceSpecificCredential: ServiceSpecificCredentialView }>({
  service: 'iam',
  name: 'ResetServiceSpecificCredential',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:ResetServiceSpecificCredential', input.UserName)];
  },
  async execute(context, input) {
    const secret = newServicePassword();
    const credential = await context.store.write(async (writer) => {
      const owner = await requireOwner(writer, context, input.UserName);
      const current = await requireOwnedServiceCredential(writer, context.accountId, owner, input.ServiceSpecificCredentialId);
      const reset: ServiceSpecificCredential = { ...current, SealedSecret: context.secrets.seal(secret, current.ServiceSpecificCredentialId) };
      await writer.put('serviceSpecificCredential', context.accountId, current.ServiceSpecificCredentialId, reset);
      return reset;
    });
    return { ServiceSpecificCredential: viewWithSecret(credential, secret, context.now) };
  },
});

// ---- UpdateServiceSpecificCredential -------------------------------------------------------------

export interface UpdateServiceSpecificCredentialInput {
  UserName?: string;
  ServiceSpecificCredentialId: string;
  Status: CredentialStatus | 'Expired';
}

export const updateServiceSpecificCredential = defineOperation<UpdateServiceSpecificCredentialInput, Record<string, never>>({
  service: 'iam',
  name: 'UpdateServiceSpecificCredential',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:UpdateServiceSpecificCredential', input.UserName)];
  },
  async execute(context, input) {
    const status = settableStatus(input.Status, 'a service-specific credential');
    await setCredentialStatus(context, 'serviceSpecificCredential', input.UserName, input.ServiceSpecificCredentialId, status);
    return {};
  },
});

// ---- DeleteServiceSpecificCredential -------------------------------------------------------------

export interface DeleteServiceSpecificCredentialInput {
  UserName?: string;
  ServiceSpecificCredentialId: string;
}

export const deleteServiceSpecificCredential = defineOperation<DeleteServiceSpecificCredentialInput, Record<string, never>>({
  service: 'iam',
  name: 'DeleteServiceSpecificCredential',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:DeleteServiceSpecificCredential', input.UserName)];
  },
  async execute(context, input) {
    await deleteCredential(context, 'serviceSpecificCredential', input.UserName, input.ServiceSpecificCredentialId);
    return {};
  },
});

/** The service-specific credential operations, for the registry. */
export const SERVICE_SPECIFIC_CREDENTIAL_OPERATIONS = [
  createServiceSpecificCredential,
  listServiceSpecificCredentials,
  resetServiceSpecificCredential,
  updateServiceSpecificCredential,
  deleteServiceSpecificCredential,
];

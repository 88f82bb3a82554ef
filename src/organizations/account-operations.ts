/**
 * Accounts of the organization: CreateAccount (a new Rolecall account, with the
 * OrganizationAccountAccessRole AWS creates in it), DescribeCreateAccountStatus, DescribeAccount,
 * ListAccounts, ListAccountsForParent and MoveAccount (AWS Organizations API Reference).
 */
import type { Account, Role, Tag } from '../model/entities.js';
import { roleArn, rootArn as iamRootArn } from '../model/arns.js';
import { newUniqueId } from '../model/ids.js';
import { defineOrganizationsOperation } from './operation.js';
import { requestTagContext } from '../iam/tags.js';
import type { StoreReader, StoreWriter } from '../store/types.js';
import { accountArn, scopeOf } from './arns.js';
import { authorizeOn, callerOrganization, nodeArn, organizationsTarget } from './authorization.js';
import {
  accountNotFound, constraintViolation, createAccountStatusNotFound, destinationParentNotFound, duplicateAccount, invalidInput,
  parentNotFound, sourceParentNotFound,
} from './errors.js';
import { newAccountId } from '../model/ids.js';
import { newCreateAccountRequestId } from './ids.js';
import { tagsToStore } from './tags.js';
import { accountOutput, createAccountStatusOutput } from './outputs.js';
import { byId, paginate, type PageRequest } from './pagination.js';
import { defaultPolicyIds } from './policy-types.js';
import {
  getCreateAccountStatus, getMember, listMembers, listOrganizationalUnits, saveCreateAccountStatus, saveMember,
  type CreateAccountStatusRecord, type MemberRecord, type OrganizationalUnitRecord, type OrganizationRecord,
} from './records.js';
import { findParent, pathOf, requireManagement } from './scope.js';

/** Accounts per organization, management account included: AWS's default quota (orgs_reference_limits.html). */
export const MAX_ACCOUNTS_PER_ORGANIZATION = 10;
/** The role CreateAccount makes in the new account unless RoleName says otherwise. */
export const DEFAULT_ACCESS_ROLE_NAME = 'OrganizationAccountAccessRole';

type AccountView = ReturnType<typeof accountOutput>;

/** Each account with its path (API_Account.html `Paths`), given every OU of the organization. */
async function accountsWithPaths(reader: StoreReader, organization: OrganizationRecord, members: readonly MemberRecord[]): Promise<AccountView[]> {
  const units = new Map((await listOrganizationalUnits(reader, organization.Id)).map((ou) => [ou.Id, ou]));
  return members.map((member) => {
    const chain: OrganizationalUnitRecord[] = [];
    for (let id = member.ParentId, ou = units.get(id); ou; id = ou.ParentId, ou = units.get(id)) chain.unshift(ou);
    return accountOutput(member, pathOf(organization, chain, member.Id));
  });
}

// ---- CreateAccount ----------------------------------------------------------------------------------

interface CreateAccountInput {
  Email: string;
  AccountName: string;
  RoleName?: string;
  IamUserAccessToBilling?: string;
  Tags?: Tag[];
}

/**
 * The role AWS creates in every new account: trusted by the management account (its root, so any of its
 * principals allowed sts:AssumeRole on it) and holding full administrator rights as an inline policy.
 */
function accessRole(partition: string, accountId: string, roleName: string, management: string, created: string): Role {
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: iamRootArn(partition, management) }, Action: 'sts:AssumeRole' }] };
  const administrator = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  return {
    AccountId: accountId,
    RoleName: roleName,
    RoleId: newUniqueId('AROA'),
    Path: '/',
    Arn: roleArn(partition, accountId, '/', roleName),
    CreateDate: created,
    AssumeRolePolicyDocument: JSON.stringify(trust),
    MaxSessionDuration: 3600,
    Tags: [],
    InlinePolicies: { AdministratorAccess: JSON.stringify(administrator) },
    AttachedPolicyArns: [],
  };
}


/** An account id no Rolecall account has yet. */
async function unusedAccountId(writer: StoreWriter): Promise<string> {
  for (;;) {
    const id = newAccountId();
    if (!(await writer.get<Account>('account', '', id))) return id;
  }
}

/** Creates the account, its membership and its access role; or records why it failed. */
async function createMemberAccount(writer: StoreWriter, organization: OrganizationRecord, input: CreateAccountInput, tags: Tag[], now: string): Promise<CreateAccountStatusRecord> {
  const status: CreateAccountStatusRecord = {
    Record: 'createAccountStatus',
    OrganizationId: organization.Id,
    Id: newCreateAccountRequestId(),
    AccountName: input.AccountName,
    State: 'SUCCEEDED',
    RequestedTimestamp: now,
    CompletedTimestamp: now,
  };
  const email = input.Email.toLowerCase();
  // AWS reports a taken email in the request's status, not as an error of the call.
  if ((await writer.list<Account>('account', '')).some((account) => account.Email?.toLowerCase() === email)) {
    return { ...status, State: 'FAILED', FailureReason: 'EMAIL_ALREADY_EXISTS' };
  }
  const accountId = await unusedAccountId(writer);
  // AWS organizations do not span partitions: the new account is in its organization's.
  const { partition } = scopeOf(organization);
  await writer.insert<Account>('account', '', accountId, { AccountId: accountId, Name: input.AccountName, Email: input.Email, CreateDate: now, Partition: partition });
  await saveMember(writer, {
    Record: 'account',
    OrganizationId: organization.Id,
    Id: accountId,
    Arn: accountArn(scopeOf(organization), organization.Id, accountId),
    Name: input.AccountName,
    Email: input.Email,
    JoinedMethod: 'CREATED',
    JoinedTimestamp: now,
    ParentId: organization.Root.Id,
    PolicyIds: defaultPolicyIds(organization),
    Tags: tags,
  });
  const role = accessRole(partition, accountId, input.RoleName ?? DEFAULT_ACCESS_ROLE_NAME, organization.MasterAccountId, now);
  await writer.insert('role', accountId, role.RoleName, role);
  return { ...status, AccountId: accountId };
}

/**
 * CreateAccount. AWS creates accounts asynchronously; Rolecall's are ready at once, so the status it
 * returns is already SUCCEEDED (or FAILED) — clients that poll DescribeCreateAccountStatus see the same.
 */
export const createAccount = defineOrganizationsOperation<CreateAccountInput, { CreateAccountStatus: ReturnType<typeof createAccountStatusOutput> }>({
  name: 'CreateAccount',
  authorize: (_context, input) => [organizationsTarget('CreateAccount', '*', requestTagContext(input.Tags))],
  async execute(context, input) {
    if (input.RoleName?.startsWith('AWSServiceRoleFor')) throw invalidInput('INVALID_ROLE_NAME');
    const tags = tagsToStore(input.Tags);
    const status = await context.store.write(async (writer) => {
      const organization = await requireManagement(writer, context.accountId);
      if ((await listMembers(writer, organization.Id)).length >= MAX_ACCOUNTS_PER_ORGANIZATION) {
        throw constraintViolation('ACCOUNT_NUMBER_LIMIT_EXCEEDED');
      }
      const status = await createMemberAccount(writer, organization, input, tags, context.now.toISOString());
      await saveCreateAccountStatus(writer, status);
      return status;
    });
    return { CreateAccountStatus: createAccountStatusOutput(status) };
  },
});

export const describeCreateAccountStatus = defineOrganizationsOperation<{ CreateAccountRequestId: string }, { CreateAccountStatus: ReturnType<typeof createAccountStatusOutput> }>({
  name: 'DescribeCreateAccountStatus',
  authorize: () => [organizationsTarget('DescribeCreateAccountStatus', '*')],
  async execute(context, input) {
    const status = await context.store.read(async (reader) => {
      const organization = await requireManagement(reader, context.accountId);
      return getCreateAccountStatus(reader, organization.Id, input.CreateAccountRequestId);
    });
    if (!status) throw createAccountStatusNotFound();
    return { CreateAccountStatus: createAccountStatusOutput(status) };
  },
});

// ---- Describe and list ------------------------------------------------------------------------------

export const describeAccount = defineOrganizationsOperation<{ AccountId: string }, { Account: AccountView }>({
  name: 'DescribeAccount',
  authorize: authorizeOn<{ AccountId: string }>('DescribeAccount', (input) => input.AccountId),
  async execute(context, input) {
    const account = await context.store.read(async (reader) => {
      const organization = await requireManagement(reader, context.accountId);
      const member = await getMember(reader, organization.Id, input.AccountId);
      if (!member) throw accountNotFound();
      return (await accountsWithPaths(reader, organization, [member]))[0]!;
    });
    return { Account: account };
  },
});

export const listAccounts = defineOrganizationsOperation<PageRequest, { Accounts: AccountView[]; NextToken?: string }>({
  name: 'ListAccounts',
  authorize: () => [organizationsTarget('ListAccounts', '*')],
  async execute(context, input) {
    return context.store.read(async (reader) => {
      const organization = await requireManagement(reader, context.accountId);
      const page = paginate(byId(await listMembers(reader, organization.Id)), (member) => member.Id, input);
      const accounts = await accountsWithPaths(reader, organization, page.items);
      return { Accounts: accounts, ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
    });
  },
});

export const listAccountsForParent = defineOrganizationsOperation<{ ParentId: string } & PageRequest, { Accounts: AccountView[]; NextToken?: string }>({
  name: 'ListAccountsForParent',
  authorize: authorizeOn<{ ParentId: string }>('ListAccountsForParent', (input) => input.ParentId),
  async execute(context, input) {
    return context.store.read(async (reader) => {
      const organization = await requireManagement(reader, context.accountId);
      if (!(await findParent(reader, organization, input.ParentId))) throw parentNotFound();
      const children = (await listMembers(reader, organization.Id)).filter((member) => member.ParentId === input.ParentId);
      const page = paginate(byId(children), (member) => member.Id, input);
      const accounts = await accountsWithPaths(reader, organization, page.items);
      return { Accounts: accounts, ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
    });
  },
});

// ---- MoveAccount ------------------------------------------------------------------------------------

interface MoveAccountInput {
  AccountId: string;
  SourceParentId: string;
  DestinationParentId: string;
}

export const moveAccount = defineOrganizationsOperation<MoveAccountInput, Record<string, never>>({
  name: 'MoveAccount',
  authorize: async (context, input) => {
    const organization = await callerOrganization(context);
    return [input.AccountId, input.SourceParentId, input.DestinationParentId].map((id) => organizationsTarget('MoveAccount', nodeArn(organization, id)));
  },
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const organization = await requireManagement(writer, context.accountId);
      if (!(await findParent(writer, organization, input.SourceParentId))) throw sourceParentNotFound();
      if (!(await findParent(writer, organization, input.DestinationParentId))) throw destinationParentNotFound();
      const member = await getMember(writer, organization.Id, input.AccountId);
      if (!member || member.ParentId !== input.SourceParentId) throw accountNotFound();
      if (member.ParentId === input.DestinationParentId) throw duplicateAccount();
      member.ParentId = input.DestinationParentId;
      await saveMember(writer, member);
    });
    return {};
  },
});

export const ACCOUNT_OPERATIONS = [createAccount, describeCreateAccountStatus, describeAccount, listAccounts, listAccountsForParent, moveAccount];

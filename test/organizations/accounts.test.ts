// Accounts of an organization (API_CreateAccount.html, API_DescribeCreateAccountStatus.html,
// API_DescribeAccount.html, API_ListAccounts.html, API_ListAccountsForParent.html, API_MoveAccount.html,
// orgs_manage_accounts_access.html for OrganizationAccountAccessRole, orgs_reference_limits.html).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Account, Role } from '../../src/model/entities.js';
import { MAX_ACCOUNTS_PER_ORGANIZATION } from '../../src/organizations/account-operations.js';
import { evaluate } from '../../src/policy/index.js';
import { attachedIds, call, createAccount, createUnit, MANAGEMENT, newOrganization, rejects } from './fixtures.js';

test('CreateAccount: a new Rolecall account, reported SUCCEEDED with AWS id formats, joined by creation', async () => {
  const org = await newOrganization();
  const { CreateAccountStatus } = await call(org.management, 'CreateAccount', { Email: 'dev@example.com', AccountName: 'dev' });
  assert.match(CreateAccountStatus.Id, /^car-[a-z0-9]{32}$/);
  assert.equal(CreateAccountStatus.State, 'SUCCEEDED');
  assert.equal(CreateAccountStatus.AccountName, 'dev');
  assert.match(CreateAccountStatus.AccountId, /^\d{12}$/);
  assert.equal(CreateAccountStatus.RequestedTimestamp, '2025-03-04T05:06:07.000Z');
  const id = CreateAccountStatus.AccountId;
  const account = await org.store.read((reader) => reader.get<Account>('account', '', id));
  assert.deepEqual(account, { AccountId: id, Name: 'dev', Email: 'dev@example.com', CreateDate: '2025-03-04T05:06:07.000Z', Partition: 'aws' }); // in its organization's partition

  const { Account: described } = await call(org.management, 'DescribeAccount', { AccountId: id });
  assert.deepEqual(described, {
    Id: id,
    Arn: `arn:aws:organizations::${MANAGEMENT}:account/${org.organizationId}/${id}`,
    Email: 'dev@example.com',
    Name: 'dev',
    Status: 'ACTIVE',
    State: 'ACTIVE',
    Paths: [`${org.organizationId}/${org.rootId}/${id}/`],
    JoinedMethod: 'CREATED',
    JoinedTimestamp: '2025-03-04T05:06:07.000Z',
  });
  assert.deepEqual(await call(org.management, 'DescribeCreateAccountStatus', { CreateAccountRequestId: CreateAccountStatus.Id }), { CreateAccountStatus });
  assert.deepEqual(await attachedIds(org, id), ['p-FullAWSAccess']);
});

test('CreateAccount makes OrganizationAccountAccessRole: trusted by the management account, full administrator rights', async () => {
  const org = await newOrganization();
  const id = await createAccount(org, 'dev');
  const role = await org.store.read((reader) => reader.get<Role>('role', id, 'OrganizationAccountAccessRole'));
  assert.ok(role);
  assert.equal(role.Arn, `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`);
  assert.match(role.RoleId, /^AROA[A-Z2-7]{17}$/);
  // The trust policy lets the management account's principals assume it; nobody else.
  const trust = (principal: string) =>
    evaluate({
      request: { principal, action: 'sts:AssumeRole', resource: role.Arn, resourceAccount: id },
      resourcePolicy: { document: role.AssumeRolePolicyDocument },
      resourcePolicyKind: 'trust',
      identityPolicies: [{ document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] } }],
    }).decision;
  assert.equal(trust(`arn:aws:iam::${MANAGEMENT}:user/admin`), 'Allow');
  assert.equal(trust('arn:aws:iam::210987654321:user/admin'), 'ImplicitDeny');
  const administrator = evaluate({
    request: { principal: `arn:aws:sts::${id}:assumed-role/OrganizationAccountAccessRole/s`, action: 'iam:CreateUser', resource: '*' },
    identityPolicies: Object.values(role.InlinePolicies).map((document) => ({ document })),
  });
  assert.deepEqual(Object.keys(role.InlinePolicies), ['AdministratorAccess']);
  assert.equal(administrator.decision, 'Allow');

  const custom = await createAccount(org, 'ops', { RoleName: 'OrgAdmin' });
  assert.ok(await org.store.read((reader) => reader.get<Role>('role', custom, 'OrgAdmin')));
  await rejects(
    call(org.management, 'CreateAccount', { Email: 'x@example.com', AccountName: 'x', RoleName: 'AWSServiceRoleForX' }),
    'InvalidInputException',
    "You provided a role name that isn't valid. A role name can't begin with the reserved prefix 'AWSServiceRoleFor'.",
    'INVALID_ROLE_NAME',
  );
});

test('CreateAccount with an email already in use: the request FAILED with EMAIL_ALREADY_EXISTS, no account made', async () => {
  const org = await newOrganization();
  await createAccount(org, 'dev');
  const { CreateAccountStatus } = await call(org.management, 'CreateAccount', { Email: 'DEV@example.com', AccountName: 'dev2' });
  assert.equal(CreateAccountStatus.State, 'FAILED');
  assert.equal(CreateAccountStatus.FailureReason, 'EMAIL_ALREADY_EXISTS');
  assert.equal(CreateAccountStatus.AccountId, undefined);
  assert.equal((await call(org.management, 'ListAccounts')).Accounts.length, 2);
  const again = await call(org.management, 'DescribeCreateAccountStatus', { CreateAccountRequestId: CreateAccountStatus.Id });
  assert.equal(again.CreateAccountStatus.State, 'FAILED');
});

test('CreateAccount: at most 10 accounts, management account included (ACCOUNT_NUMBER_LIMIT_EXCEEDED)', async () => {
  const org = await newOrganization();
  for (let i = 1; i < MAX_ACCOUNTS_PER_ORGANIZATION; i++) await createAccount(org, `account${i}`);
  await rejects(
    call(org.management, 'CreateAccount', { Email: 'one-more@example.com', AccountName: 'one-more' }),
    'ConstraintViolationException',
    'You attempted to exceed the limit on the number of accounts in an organization.',
    'ACCOUNT_NUMBER_LIMIT_EXCEEDED',
  );
});

test('DescribeCreateAccountStatus and DescribeAccount: AWS not-found errors', async () => {
  const org = await newOrganization();
  await rejects(
    call(org.management, 'DescribeCreateAccountStatus', { CreateAccountRequestId: 'car-00000000000000000000000000000000' }),
    'CreateAccountStatusNotFoundException',
    "We can't find an create account request with the CreateAccountRequestId that you specified.",
  );
  await rejects(call(org.management, 'DescribeAccount', { AccountId: '111111111111' }), 'AccountNotFoundException', "You specified an account that doesn't exist.");
});

test('ListAccounts pages by MaxResults with an opaque NextToken; a foreign token is INVALID_NEXT_TOKEN', async () => {
  const org = await newOrganization();
  const ids = [MANAGEMENT];
  for (const name of ['a', 'b', 'c']) ids.push(await createAccount(org, name));
  const first = await call(org.management, 'ListAccounts', { MaxResults: 3 });
  assert.equal(first.Accounts.length, 3);
  assert.ok(first.NextToken);
  const second = await call(org.management, 'ListAccounts', { MaxResults: 3, NextToken: first.NextToken });
  assert.equal(second.Accounts.length, 1);
  assert.equal(second.NextToken, undefined);
  assert.deepEqual([...first.Accounts, ...second.Accounts].map((account: { Id: string }) => account.Id), ids.sort());
  await rejects(
    call(org.management, 'ListAccounts', { NextToken: 'not a token' }),
    'InvalidInputException',
    'You specified an invalid value for nextToken. You must get the value from the response to a previous call to the API.',
    'INVALID_NEXT_TOKEN',
  );
});

test('MoveAccount and ListAccountsForParent: accounts move between the root and OUs', async () => {
  const org = await newOrganization();
  const dev = await createAccount(org, 'dev');
  const unit = await createUnit(org, 'Workloads');
  assert.deepEqual(await call(org.management, 'MoveAccount', { AccountId: dev, SourceParentId: org.rootId, DestinationParentId: unit }), {});
  const inUnit = await call(org.management, 'ListAccountsForParent', { ParentId: unit });
  assert.deepEqual(inUnit.Accounts.map((account: { Id: string }) => account.Id), [dev]);
  assert.deepEqual(inUnit.Accounts[0].Paths, [`${org.organizationId}/${org.rootId}/${unit}/${dev}/`]);
  const inRoot = await call(org.management, 'ListAccountsForParent', { ParentId: org.rootId });
  assert.deepEqual(inRoot.Accounts.map((account: { Id: string }) => account.Id), [MANAGEMENT]);
  assert.deepEqual((await call(org.management, 'ListParents', { ChildId: dev })).Parents, [{ Id: unit, Type: 'ORGANIZATIONAL_UNIT' }]);
  await rejects(call(org.management, 'ListAccountsForParent', { ParentId: 'ou-zzzz-zzzzzzzz' }), 'ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified.");
});

test('MoveAccount errors: unknown source, destination or account; already in the destination', async () => {
  const org = await newOrganization();
  const dev = await createAccount(org, 'dev');
  const unit = await createUnit(org, 'Workloads');
  const move = (AccountId: string, SourceParentId: string, DestinationParentId: string) =>
    call(org.management, 'MoveAccount', { AccountId, SourceParentId, DestinationParentId });
  await rejects(move(dev, 'ou-zzzz-zzzzzzzz', unit), 'SourceParentNotFoundException', "We can't find a source root or OU with the ParentId that you specified.");
  await rejects(
    move(dev, org.rootId, 'ou-zzzz-zzzzzzzz'),
    'DestinationParentNotFoundException',
    "We can't find the destination container (a root or OU) with the ParentId that you specified.",
  );
  await rejects(move('111111111111', org.rootId, unit), 'AccountNotFoundException', "You specified an account that doesn't exist.");
  await rejects(move(dev, unit, org.rootId), 'AccountNotFoundException', "You specified an account that doesn't exist.");
  await rejects(move(dev, org.rootId, org.rootId), 'DuplicateAccountException', 'That account is already present in the specified destination.');
});

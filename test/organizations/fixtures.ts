// What the Organizations tests share: root callers of several accounts over one in-memory SQLite store,
// calling the operations by their model names, and checks of AWS's error code, message and Reason.
import assert from 'node:assert/strict';
import type { AnyOperation, OperationContext } from '../../src/iam/operation.js';
import { ORGANIZATIONS_OPERATIONS } from '../../src/organizations/index.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/types.js';

export const MANAGEMENT = '123456789012';
export const NOW = new Date('2025-03-04T05:06:07.000Z');

const OPERATIONS = new Map(ORGANIZATIONS_OPERATIONS.map((operation) => [operation.name, operation]));

/** The root user of `account` calling at NOW over `store`. */
export function contextOf(store: Store, account = MANAGEMENT): OperationContext {
  return {
    store,
    secrets: { seal: (secret) => secret, unseal: (sealed) => sealed },
    caller: { accountId: account, arn: `arn:aws:iam::${account}:root`, kind: 'root', userId: account, accessKeyId: 'AKIAROOTROOTROOTROOT' },
    accountId: account,
    requestId: '11111111-2222-3333-4444-555555555555',
    now: NOW,
    region: 'us-east-1',
    sourceIp: '127.0.0.1',
  };
}

/** A fresh store with the default account, as the server bootstraps it. */
export async function newStore(): Promise<Store> {
  const store = new SqliteStore(':memory:');
  await store.write((tx) => tx.insert('account', '', MANAGEMENT, { AccountId: MANAGEMENT, Name: 'default', CreateDate: NOW.toISOString() }));
  return store;
}

export function operation(name: string): AnyOperation {
  const found = OPERATIONS.get(name);
  assert.ok(found, `operation ${name} is registered`);
  return found;
}

/** Executes an operation (authorization is the engine's business, tested apart). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call(context: OperationContext, name: string, input: Record<string, unknown> = {}): Promise<any> {
  return operation(name).execute(context, input);
}

/** Asserts AWS's error code and message, and the Reason member when given. */
export async function rejects(promise: Promise<unknown>, code: string, message: string, reason?: string): Promise<void> {
  await assert.rejects(promise, (error: { code?: string; message?: string; details?: Record<string, string> }) => {
    assert.equal(error.code, code);
    assert.equal(error.message, message);
    assert.equal(error.details?.Reason, reason);
    return true;
  });
}

export const NOT_IN_USE = ['AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.'] as const;
export const MEMBER_DENIED = ['AccessDeniedException', "You don't have permissions to access this resource."] as const;

/** An organization made by MANAGEMENT, with its root id and the context of its management account. */
export interface Organization {
  store: Store;
  management: OperationContext;
  organizationId: string;
  rootId: string;
}

export async function newOrganization(input: Record<string, unknown> = {}): Promise<Organization> {
  const store = await newStore();
  const management = contextOf(store);
  const { Organization } = await call(management, 'CreateOrganization', input);
  const { Roots } = await call(management, 'ListRoots');
  return { store, management, organizationId: Organization.Id, rootId: Roots[0].Id };
}

/** Creates a member account; returns its id. */
export async function createAccount(org: Organization, name: string, more: Record<string, unknown> = {}): Promise<string> {
  const { CreateAccountStatus } = await call(org.management, 'CreateAccount', { Email: `${name}@example.com`, AccountName: name, ...more });
  assert.equal(CreateAccountStatus.State, 'SUCCEEDED');
  return CreateAccountStatus.AccountId;
}

export async function createUnit(org: Organization, name: string, parentId = org.rootId): Promise<string> {
  const { OrganizationalUnit } = await call(org.management, 'CreateOrganizationalUnit', { ParentId: parentId, Name: name });
  return OrganizationalUnit.Id;
}

export async function createPolicy(org: Organization, name: string, content: unknown, type = 'SERVICE_CONTROL_POLICY'): Promise<string> {
  const { Policy } = await call(org.management, 'CreatePolicy', {
    Name: name, Description: `${name} policy`, Type: type, Content: typeof content === 'string' ? content : JSON.stringify(content),
  });
  return Policy.PolicySummary.Id;
}

/** The ids of the policies of a type attached to a target. */
export async function attachedIds(org: Organization, targetId: string, filter = 'SERVICE_CONTROL_POLICY'): Promise<string[]> {
  const { Policies } = await call(org.management, 'ListPoliciesForTarget', { TargetId: targetId, Filter: filter });
  return Policies.map((policy: { Id: string }) => policy.Id).sort();
}

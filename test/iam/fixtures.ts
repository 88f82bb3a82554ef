// What the IAM operation tests share: a root caller's context over a fresh in-memory SQLite store, and
// helpers to call an operation by its model name and to check AWS's error code and message.
import assert from 'node:assert/strict';
import type { AnyOperation, Caller, OperationContext } from '../../src/iam/operation.js';
import { ROLE_AND_POLICY_OPERATIONS } from '../../src/iam/role-operations.js';
import { USER_AND_ACCOUNT_OPERATIONS } from '../../src/iam/user-operations.js';
import { SIMULATION_OPERATIONS } from '../../src/iam/simulate.js';
import { CONTEXT_KEY_OPERATIONS } from '../../src/iam/context-keys.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

export const ACCOUNT = '123456789012';
export const NOW = new Date('2025-03-04T05:06:07.000Z');

const OPERATIONS = new Map(
  [...ROLE_AND_POLICY_OPERATIONS, ...USER_AND_ACCOUNT_OPERATIONS, ...SIMULATION_OPERATIONS, ...CONTEXT_KEY_OPERATIONS].map((operation) => [operation.name, operation]),
);

/**
 * The policy of AWS's GetContextKeysForCustomPolicy example (iam_example_iam_GetContextKeysForCustomPolicy_section.html),
 * for which AWS answers ["aws:username", "aws:CurrentTime"].
 */
export const CONTEXT_KEYS_EXAMPLE = {
  Version: '2012-10-17',
  Statement: {
    Effect: 'Allow',
    Action: 'dynamodb:*',
    Resource: 'arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}',
    Condition: { DateGreaterThan: { 'aws:CurrentTime': '2015-08-16T12:00:00Z' } },
  },
};

/** The root user of `account` calling, at NOW, over `store` (a fresh in-memory one by default). */
export function newContext(account = ACCOUNT, store = new SqliteStore(':memory:')): OperationContext {
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

/** The same context with the IAM user `userName` of the context's account as the caller (no policies are evaluated by `call`). */
export function asUser(context: OperationContext, userName: string): OperationContext {
  const caller: Caller = {
    accountId: context.accountId,
    arn: `arn:aws:iam::${context.accountId}:user/${userName}`,
    kind: 'user',
    userId: 'AIDAEXAMPLEEXAMPLE01',
    accessKeyId: 'AKIAUSERUSERUSERUSER',
    userName,
  };
  return { ...context, caller };
}

export function operation(name: string): AnyOperation {
  const found = OPERATIONS.get(name);
  assert.ok(found, `operation ${name} is registered`);
  return found;
}

/** Executes an operation (no authorization: the root caller may do everything). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call(context: OperationContext, name: string, input: Record<string, unknown>): Promise<any> {
  return operation(name).execute(context, input);
}

/** Asserts the promise fails with exactly AWS's code and message. */
export async function rejects(promise: Promise<unknown>, code: string, message: string): Promise<void> {
  await assert.rejects(promise, (error: { code?: string; message?: string }) => {
    assert.equal(error.code, code);
    assert.equal(error.message, message);
    return true;
  });
}

// What the STS operation tests share: a real in-memory SQLite store and a real server key, IAM entities
// created through the IAM operations, and calls made as the server makes them — the caller resolved from
// its credentials (session tokens included), the operation's targets decided by the policy engine
// (auth/authorize.ts), then the operation executed.
import assert from 'node:assert/strict';
import { authorizeTargets } from '../../src/auth/authorize.js';
import { resolveCredentials } from '../../src/auth/caller.js';
import { newSealingKey, SecretSealer } from '../../src/auth/secrets.js';
import { secretSealing } from '../../src/auth/server-keys.js';
import type { AnyOperation, AuthorizationTarget, Caller, OperationContext, SecretSealing } from '../../src/iam/operation.js';
import { ROLE_AND_POLICY_OPERATIONS } from '../../src/iam/role-operations.js';
import { USER_AND_ACCOUNT_OPERATIONS } from '../../src/iam/user-operations.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { checkSessionMayCall } from '../../src/sts/session-limits.js';
import { STS_OPERATIONS } from '../../src/sts/operations.js';

export const ACCOUNT_A = '111111111111';
export const ACCOUNT_B = '222222222222';
export const NOW = new Date('2025-03-04T05:06:07.000Z');

export interface Credentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken?: string;
}

const IAM = new Map([...ROLE_AND_POLICY_OPERATIONS, ...USER_AND_ACCOUNT_OPERATIONS].map((operation) => [operation.name, operation]));
const STS = new Map(STS_OPERATIONS.map((operation) => [operation.name, operation]));

/** A JSON policy document from statements. */
export function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** One Rolecall "server": a store and a server key; callers act on it at a given time. */
export class World {
  readonly store = new SqliteStore(':memory:');
  readonly sealer: SecretSealer;
  readonly secrets: SecretSealing;
  now = NOW;

  constructor(sealer = new SecretSealer([newSealingKey('k1')])) {
    this.sealer = sealer;
    this.secrets = secretSealing(sealer);
  }

  /** The context of `caller` at the world's current time. */
  contextOf(caller: Caller): OperationContext {
    return {
      store: this.store,
      secrets: this.secrets,
      caller,
      accountId: caller.accountId,
      requestId: '11111111-2222-3333-4444-555555555555',
      now: this.now,
      region: 'us-east-1',
      sourceIp: '192.0.2.10',
    };
  }

  /** The root user of `account`. */
  root(account = ACCOUNT_A): OperationContext {
    return this.contextOf({ accountId: account, arn: `arn:aws:iam::${account}:root`, kind: 'root', userId: account, accessKeyId: 'AKIAROOTROOTROOTROOT' });
  }

  private readonly admins = new Map<string, Credentials>();

  /**
   * An administrator user of `account` (allowed everything), signed in. AssumeRole needs one: AWS refuses
   * the root user ("Roles may not be assumed by root accounts.").
   */
  async admin(account = ACCOUNT_A): Promise<OperationContext> {
    let credentials = this.admins.get(account);
    if (!credentials) {
      credentials = (await this.createUser('admin', { all: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }, account)).credentials;
      this.admins.set(account, credentials);
    }
    return this.signIn(credentials);
  }

  /** The caller the server would see for these credentials (throws AWS's error as the server does). */
  async signIn(credentials: Credentials): Promise<OperationContext> {
    const resolved = await resolveCredentials(this.store, this.secrets, credentials.AccessKeyId, credentials.SessionToken, this.now);
    assert.ok(resolved, `credentials ${credentials.AccessKeyId} authenticate someone`);
    assert.equal(resolved.secret, credentials.SecretAccessKey, 'the signing secret is the one handed out');
    return this.contextOf(resolved.caller);
  }

  /** Runs an IAM operation as the given context (authorized like any call). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async iam(context: OperationContext, name: string, input: Record<string, unknown>): Promise<any> {
    return this.invoke(context, 'iam', operationOf(IAM, name), input);
  }

  /** Runs an STS operation as the given context. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async sts(context: OperationContext, name: string, input: Record<string, unknown> = {}): Promise<any> {
    return this.invoke(context, 'sts', operationOf(STS, name), input);
  }

  /** The decision alone: whether `context` may perform `target` (no operation executed). */
  async allowed(context: OperationContext, target: AuthorizationTarget): Promise<boolean> {
    try {
      await this.store.read((reader) => authorizeTargets(context, reader, [target]));
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'AccessDenied') return false;
      throw error;
    }
  }

  private async invoke(context: OperationContext, service: string, operation: AnyOperation, input: Record<string, unknown>): Promise<unknown> {
    checkSessionMayCall(context.caller, service, operation.name);
    const targets = await operation.authorize(context, input);
    await this.store.read((reader) => authorizeTargets(context, reader, targets));
    return operation.execute(context, input);
  }

  /** Creates a role as the account's root user. */
  async createRole(name: string, trust: string, options: { account?: string; inline?: Record<string, string>; more?: Record<string, unknown> } = {}): Promise<{ Arn: string; RoleId: string }> {
    const root = this.root(options.account);
    const { Role } = await this.iam(root, 'CreateRole', { RoleName: name, AssumeRolePolicyDocument: trust, ...options.more });
    for (const [policyName, document] of Object.entries(options.inline ?? {})) {
      await this.iam(root, 'PutRolePolicy', { RoleName: name, PolicyName: policyName, PolicyDocument: document });
    }
    return Role;
  }

  /** Creates a user with inline policies and an access key, as the account's root user. */
  async createUser(name: string, inline: Record<string, string> = {}, account = ACCOUNT_A): Promise<{ arn: string; userId: string; credentials: Credentials }> {
    const root = this.root(account);
    const { User } = await this.iam(root, 'CreateUser', { UserName: name });
    for (const [policyName, document] of Object.entries(inline)) {
      await this.iam(root, 'PutUserPolicy', { UserName: name, PolicyName: policyName, PolicyDocument: document });
    }
    const { AccessKey } = await this.iam(root, 'CreateAccessKey', { UserName: name });
    return { arn: User.Arn, userId: User.UserId, credentials: { AccessKeyId: AccessKey.AccessKeyId, SecretAccessKey: AccessKey.SecretAccessKey } };
  }
}

function operationOf(registry: Map<string, AnyOperation>, name: string): AnyOperation {
  const found = registry.get(name);
  assert.ok(found, `operation ${name} is registered`);
  return found;
}

/** Asserts the promise fails with exactly AWS's code and message. */
export async function rejects(promise: Promise<unknown>, code: string, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: { code?: string; message?: string }) => {
    assert.equal(error.code, code, `error ${error.code}: ${error.message}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message ?? '', message);
    return true;
  });
}

/** The credentials of an AssumeRole or GetSessionToken answer. */
export function credentialsOf(output: { Credentials: Credentials }): Credentials {
  return output.Credentials;
}

// What the AssumeRoleWithWebIdentity tests share: a store with an OIDC provider registered for a real local
// issuer, roles whose trust policies follow the IRSA pattern (the seeds' 002/003 documents), and the
// unsigned request's context (the server gives such calls an anonymous caller).
import assert from 'node:assert/strict';
import { secretSealing } from '../../src/auth/server-keys.js';
import { newSealingKey, SecretSealer } from '../../src/auth/secrets.js';
import type { OperationContext } from '../../src/iam/operation.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { OidcKeyCache, type OidcKeyCacheOptions } from '../../src/sts/oidc-discovery.js';
import { createAssumeRoleWithWebIdentity, type AssumeRoleWithWebIdentityInput, type AssumeRoleWithWebIdentityOutput } from '../../src/sts/web-identity.js';
import { call, newContext } from '../iam/fixtures.js';
import { TestOidcIssuer, type SigningAlgorithm } from './oidc-issuer.js';

export const ACCOUNT = '111111111111';
export const NOW = new Date('2025-03-04T05:06:07.000Z');
export const PAGE = 'API_AssumeRoleWithWebIdentity.html';
export const SUBJECT = 'system:serviceaccount:payments:payments-api';
export const AUDIENCE = 'sts.amazonaws.com';

export interface WorldOptions {
  alg?: SigningAlgorithm;
  path?: string;
  clientIds?: string[];
  keys?: OidcKeyCacheOptions;
  clockSkewSeconds?: number;
}

/** A store, a running issuer registered as an OIDC provider in ACCOUNT, and the operation under test. */
export class WebIdentityWorld {
  readonly store: SqliteStore;
  readonly issuer: TestOidcIssuer;
  readonly providerArn: string;
  readonly keys: OidcKeyCache;
  readonly operation: ReturnType<typeof createAssumeRoleWithWebIdentity>;
  readonly #sealing = secretSealing(new SecretSealer([newSealingKey('test')]));

  private constructor(store: SqliteStore, issuer: TestOidcIssuer, providerArn: string, options: WorldOptions) {
    this.store = store;
    this.issuer = issuer;
    this.providerArn = providerArn;
    this.keys = new OidcKeyCache(options.keys);
    this.operation = createAssumeRoleWithWebIdentity({ keys: this.keys, ...(options.clockSkewSeconds !== undefined ? { clockSkewSeconds: options.clockSkewSeconds } : {}) });
  }

  static async start(options: WorldOptions = {}): Promise<WebIdentityWorld> {
    const store = new SqliteStore(':memory:');
    const issuer = await TestOidcIssuer.start({ path: options.path ?? '/id/EXAMPLED539D4633E53DE1B71EXAMPLE', alg: options.alg ?? 'RS256' });
    const created = await call(newContext(ACCOUNT, store), 'CreateOpenIDConnectProvider', {
      Url: issuer.providerUrl,
      ClientIDList: options.clientIds ?? [AUDIENCE],
    });
    return new WebIdentityWorld(store, issuer, created.OpenIDConnectProviderArn, options);
  }

  /** The root user of `account` (for IAM set-up calls). */
  admin(account = ACCOUNT): OperationContext {
    return newContext(account, this.store);
  }

  /** An unsigned request's context at `now`. */
  unsigned(now = NOW): OperationContext {
    return {
      store: this.store,
      secrets: this.#sealing,
      caller: { accountId: '', arn: '', kind: 'anonymous', userId: '', accessKeyId: '' },
      accountId: '',
      requestId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      now,
      region: 'us-east-1',
      sourceIp: '192.0.2.10',
    };
  }

  /** The IRSA trust policy of the seeds: Federated provider, StringEquals (or another operator) on `:sub` and `:aud`. */
  irsaTrustPolicy(conditions: Record<string, Record<string, unknown>> = this.subAndAud(SUBJECT), actions: string | string[] = 'sts:AssumeRoleWithWebIdentity'): string {
    return JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: this.providerArn }, Action: actions, Condition: conditions }],
    });
  }

  /** `StringEquals` on `<issuer-host-path>:sub` and `:aud`. */
  subAndAud(sub: string, aud = AUDIENCE): Record<string, Record<string, unknown>> {
    return { StringEquals: { [`${this.issuer.hostPath}:sub`]: sub, [`${this.issuer.hostPath}:aud`]: aud } };
  }

  /** Creates a role in ACCOUNT (or `account`) and returns its ARN. */
  async createRole(name: string, trustPolicy = this.irsaTrustPolicy(), extra: Record<string, unknown> = {}, account = ACCOUNT): Promise<string> {
    const created = await call(this.admin(account), 'CreateRole', { RoleName: name, AssumeRolePolicyDocument: trustPolicy, ...extra });
    return created.Role.Arn as string;
  }

  /** A token valid at `now` from the issuer, with `overrides` applied to its claims. */
  token(overrides: Record<string, unknown> = {}, now = NOW): Promise<string> {
    return this.issuer.mint(this.issuer.claims(now, overrides));
  }

  /** Calls the operation unsigned at `now`. */
  assume(input: Partial<AssumeRoleWithWebIdentityInput> & { RoleArn: string; WebIdentityToken: string }, now = NOW): Promise<AssumeRoleWithWebIdentityOutput> {
    return this.operation.execute(this.unsigned(now), { RoleSessionName: 'payments-api', ...input });
  }

  async close(): Promise<void> {
    await this.issuer.close();
    await this.store.close();
  }
}

/** Asserts the promise fails with exactly AWS's code and message, and that the message quotes no token. */
export async function rejectsWith(promise: Promise<unknown>, code: string, message: string | RegExp, token?: string): Promise<void> {
  await assert.rejects(promise, (error: { code?: string; message?: string }) => {
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message ?? '', message);
    if (token) {
      const [, payload = '', signature = ''] = token.split('.');
      assert.ok(!(error.message ?? '').includes(token), 'the error quotes the token');
      if (payload.length > 8) assert.ok(!(error.message ?? '').includes(payload), 'the error quotes the token claims');
      if (signature.length > 8) assert.ok(!(error.message ?? '').includes(signature), 'the error quotes the signature');
    }
    return true;
  });
}

export const PROVIDER_NOT_FOUND = (iss: string) => `No OpenIDConnect provider found in your account for ${iss}`;

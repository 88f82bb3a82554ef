// Two Rolecall replicas on one PostgreSQL database, the issue's concurrency rule: "two servers on one
// PostgreSQL creating the same role name at once → exactly one succeeds, the other gets EntityAlreadyExists;
// nothing is half-written" (API_CreateRole.html: EntityAlreadyExists, HTTP 409, "Role with name X already
// exists."). Both servers are real child processes sharing ROLECALL_SERVER_KEYS and the root key, as a
// replicated deployment would; each round signs both requests first and then sends them in the same tick.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { QueryClient, xmlText, xmlTexts, type QueryResponse } from '../../bench/server/query-client.js';
import { BENCH_ROOT_CREDENTIALS, startRolecallProcess, type RolecallProcess } from '../../bench/server/rolecall-process.js';
import { createTestDatabase, type TestDatabase } from '../store/pg-test-database.js';

const ROUNDS = 20;
const TRUST_POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

interface Replica {
  name: 'A' | 'B';
  server: RolecallProcess;
  client: QueryClient;
}

function roleOf(response: QueryResponse): { RoleId?: string; Description?: string } {
  return { RoleId: xmlText(response.body, 'RoleId'), Description: xmlText(response.body, 'Description') };
}

describe('two replicas on one PostgreSQL database', () => {
  let database: TestDatabase;
  const replicas: Replica[] = [];

  before(async () => {
    database = await createTestDatabase();
    const env = { ROLECALL_SERVER_KEYS: `k1:${randomBytes(32).toString('base64')}` };
    // One after the other: the first start migrates the new database and bootstraps the account.
    for (const name of ['A', 'B'] as const) {
      const server = await startRolecallProcess({ databaseUrl: database.url, env });
      replicas.push({ name, server, client: new QueryClient(server.url, BENCH_ROOT_CREDENTIALS, { maxSockets: 2 }) });
    }
    // Open the kept-alive connections now, so that a round's two requests leave without connection setup.
    for (const replica of replicas) assert.equal((await replica.client.call('ListRoles')).status, 200);
  });

  after(async () => {
    for (const replica of replicas) replica.client.close();
    await Promise.all(replicas.map((replica) => replica.server.stop()));
    await database?.drop();
  });

  test(`${ROUNDS} rounds of CreateRole for one name on both at once: one 200, one EntityAlreadyExists 409, both serve the winner`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const RoleName = `race-${round}`;
      const signed = await Promise.all(
        replicas.map((replica) => replica.client.sign('CreateRole', { RoleName, AssumeRolePolicyDocument: TRUST_POLICY, Description: `created on ${replica.name}` })),
      );
      const answers = await Promise.all(replicas.map((replica, i) => replica.client.send(signed[i]!)));

      const statuses = answers.map((answer) => answer.status).sort();
      assert.deepEqual(statuses, [200, 409], `round ${round}: one CreateRole succeeds and one conflicts (got ${answers.map((a) => a.body).join('\n')})`);
      const winner = answers.find((answer) => answer.status === 200)!;
      const loser = answers.find((answer) => answer.status === 409)!;
      assert.equal(xmlText(loser.body, 'Type'), 'Sender');
      assert.equal(xmlText(loser.body, 'Code'), 'EntityAlreadyExists');
      assert.equal(xmlText(loser.body, 'Message'), `Role with name ${RoleName} already exists.`);

      const created = roleOf(winner);
      assert.match(created.RoleId ?? '', /^AROA[A-Z0-9]{17}$/);
      for (const replica of replicas) {
        const read = await replica.client.call('GetRole', { RoleName });
        assert.equal(read.status, 200, `round ${round}: GetRole on ${replica.name}`);
        assert.deepEqual(roleOf(read), created, `round ${round}: replica ${replica.name} serves the winner's role`);
      }
    }

    // Nothing was created twice under the name, on either side.
    for (const replica of replicas) {
      const listed = await replica.client.call('ListRoles', { PathPrefix: '/', MaxItems: '1000' });
      assert.equal(listed.status, 200);
      const raced = xmlTexts(listed.body, 'RoleName').filter((name) => name.startsWith('race-'));
      assert.equal(raced.length, ROUNDS, `replica ${replica.name} lists each raced role once`);
    }
  });

  test('a role created on one replica is readable on the other at once', async () => {
    for (const [writer, reader] of [replicas, [...replicas].reverse()]) {
      const RoleName = `written-on-${writer!.name}`;
      const created = await writer!.client.call('CreateRole', { RoleName, AssumeRolePolicyDocument: TRUST_POLICY, Description: `from ${writer!.name}` });
      assert.equal(created.status, 200, created.body);
      const read = await reader!.client.call('GetRole', { RoleName });
      assert.equal(read.status, 200, `GetRole on ${reader!.name} right after CreateRole on ${writer!.name}: ${read.body}`);
      assert.deepEqual(roleOf(read), roleOf(created));
      assert.equal(decodeURIComponent(xmlText(read.body, 'AssumeRolePolicyDocument') ?? ''), TRUST_POLICY);
    }
  });
});

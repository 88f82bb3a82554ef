// Durability end to end: the issue's proof "kill -9 the server during a stream of writes; every acknowledged
// write is there on restart", i.e. DESIGN.md's "a write is durable before the response" (SQLite WAL with
// synchronous=FULL; PostgreSQL COMMIT). The real server runs as a child process; eight clients stream
// CreateRole + PutRolePolicy (API_CreateRole.html, API_PutRolePolicy.html) until it gets SIGKILL a random
// 300-800 ms after the first acknowledgement; on restart every acknowledged role and inline policy must be
// there with the exact document text, and every role that exists must hold the document it was sent with.
import { after, before, describe, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { QueryClient, xmlText, type QueryResponse } from '../../bench/server/query-client.js';
import { BENCH_ROOT_CREDENTIALS, startRolecallProcess, type RolecallProcess, type RolecallProcessOptions } from '../../bench/server/rolecall-process.js';
import { openStore } from '../../src/store/open-store.js';
import { createTestDatabase, type TestDatabase } from '../store/pg-test-database.js';

const WRITERS = 8;
const CYCLES = 3;
// Each cycle's roles stay on the account across cycles: 8 writers x 35 roles x 3 cycles = 840 keeps the
// test under IAM's 1,000 RolesPerAccount quota however fast the server writes.
const MAX_WRITES_PER_WRITER = 35;
const POLICY_NAME = 'durable-inline';

interface SentRole {
  trust: string;
  policy: string;
}

interface Acknowledged {
  trust: string;
  /** Set once PutRolePolicy was answered 200. */
  policy?: string;
}

/** Documents with irregular whitespace and a non-ASCII character, so any reformatting or re-encoding shows. */
function sentDocuments(name: string): SentRole {
  return {
    trust: `{"Version":"2012-10-17",\n  "Statement": [ {"Effect":"Allow", "Principal":{"Service":"ec2.amazonaws.com"},\t"Action":"sts:AssumeRole",\n    "Condition":{"StringEquals":{"sts:ExternalId":"${name}-ü"}}} ]}`,
    policy: `{ "Version": "2012-10-17", "Statement": [{"Effect": "Allow","Action": ["s3:GetObject"],\n "Resource": "arn:aws:s3:::${name}/*"}] }`,
  };
}

function decodedDocument(response: QueryResponse, element: string): string | undefined {
  const encoded = xmlText(response.body, element);
  return encoded === undefined ? undefined : decodeURIComponent(encoded);
}

/** True for a transport failure of a request that was cut off by the kill. */
async function answered(request: Promise<QueryResponse>): Promise<QueryResponse | undefined> {
  try {
    return await request;
  } catch {
    return undefined;
  }
}

/**
 * Streams writes from WRITERS clients until the server is killed, recording in `sent` every role whose
 * CreateRole went out and in `acknowledged` every write answered 200.
 */
async function writeUntilKilled(server: RolecallProcess, cycle: number, acknowledged: Map<string, Acknowledged>, sent: Map<string, SentRole>): Promise<void> {
  const client = new QueryClient(server.url, BENCH_ROOT_CREDENTIALS, { maxSockets: WRITERS });
  let firstAcknowledgement!: () => void;
  let reachedKillCount!: () => void;
  let acknowledgedThisCycle = 0;
  const acknowledgedOnce = new Promise<void>((resolve) => (firstAcknowledgement = resolve));
  const unexpected: string[] = [];

  const writer = async (index: number) => {
    for (let i = 0; i < MAX_WRITES_PER_WRITER; i++) {
      const RoleName = `durable-${cycle}-${index}-${i}`;
      const documents = sentDocuments(RoleName);
      sent.set(RoleName, documents);
      const created = await answered(client.call('CreateRole', { RoleName, AssumeRolePolicyDocument: documents.trust }));
      if (!created) return;
      if (created.status !== 200) {
        unexpected.push(`CreateRole ${RoleName}: HTTP ${created.status} ${created.body}`);
        return;
      }
      const written: Acknowledged = { trust: documents.trust };
      acknowledged.set(RoleName, written);
      firstAcknowledgement();
      if (++acknowledgedThisCycle >= killAfterAcknowledged) reachedKillCount();
      const put = await answered(client.call('PutRolePolicy', { RoleName, PolicyName: POLICY_NAME, PolicyDocument: documents.policy }));
      if (!put) return;
      if (put.status !== 200) {
        unexpected.push(`PutRolePolicy ${RoleName}: HTTP ${put.status} ${put.body}`);
        return;
      }
      written.policy = documents.policy;
    }
  };
  // Kill mid-stream: after a random 300-800 ms, or as soon as a random 20-200 of this cycle's writes are
  // acknowledged, whichever comes first — so the kill lands while writes are in flight even when the
  // server is fast enough to finish the cycle's writes within the delay.
  const killAfterAcknowledged = 20 + Math.floor(Math.random() * 180);
  const enoughAcknowledged = new Promise<void>((resolve) => (reachedKillCount = resolve));
  const killer = async () => {
    await acknowledgedOnce;
    await Promise.race([delay(300 + Math.floor(Math.random() * 500)), enoughAcknowledged]);
    await server.kill();
  };
  const writers = Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(i)));
  // If every writer stopped before any acknowledgement, the killer would wait forever: release it.
  void writers.then(() => firstAcknowledgement());
  await Promise.all([writers, killer()]);
  client.close();
  assert.deepEqual(unexpected, [], 'every write sent while the server was up is acknowledged');
}

/** Every acknowledged role and inline policy, read back through the API, has the exact text it was sent with. */
async function assertAcknowledgedWritesSurvived(client: QueryClient, acknowledged: Map<string, Acknowledged>): Promise<void> {
  const missing: string[] = [];
  const entries = [...acknowledged.entries()];
  const reader = async () => {
    for (let entry = entries.pop(); entry; entry = entries.pop()) {
      const [RoleName, written] = entry;
      const role = await client.call('GetRole', { RoleName });
      if (role.status !== 200) missing.push(`role ${RoleName}: HTTP ${role.status}`);
      else if (decodedDocument(role, 'AssumeRolePolicyDocument') !== written.trust) missing.push(`role ${RoleName}: trust policy differs`);
      if (written.policy === undefined) continue;
      const policy = await client.call('GetRolePolicy', { RoleName, PolicyName: POLICY_NAME });
      if (policy.status !== 200) missing.push(`inline policy of ${RoleName}: HTTP ${policy.status}`);
      else if (decodedDocument(policy, 'PolicyDocument') !== written.policy) missing.push(`inline policy of ${RoleName}: document differs`);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, reader));
  assert.deepEqual(missing, [], 'every acknowledged write is there after kill -9 and restart');
}

/** Every stored role is one that was sent, with the document it was sent with: nothing half-written or mixed up. */
async function assertStoredRolesAreWhole(client: QueryClient, sent: Map<string, SentRole>, acknowledgedCount: number): Promise<number> {
  const stored = new Map<string, string | undefined>();
  let marker: string | undefined;
  for (let page = 0; page < 100; page++) {
    const listed = await client.call('ListRoles', { MaxItems: '1000', ...(marker ? { Marker: marker } : {}) });
    assert.equal(listed.status, 200, listed.body);
    for (const [, member] of listed.body.matchAll(/<member>([\s\S]*?)<\/member>/g)) {
      const name = xmlText(member!, 'RoleName')!;
      const trust = xmlText(member!, 'AssumeRolePolicyDocument');
      stored.set(name, trust === undefined ? undefined : decodeURIComponent(trust));
    }
    if (xmlText(listed.body, 'IsTruncated') !== 'true') break;
    marker = xmlText(listed.body, 'Marker');
  }
  assert.ok(stored.size >= acknowledgedCount, `ListRoles shows at least the ${acknowledgedCount} acknowledged roles (it shows ${stored.size})`);
  for (const [name, trust] of stored) {
    assert.ok(sent.has(name), `role ${name} was sent by this test`);
    assert.equal(trust, sent.get(name)!.trust, `role ${name} holds the trust policy it was created with`);
  }
  return stored.size;
}

/** Every acknowledged CreateRole has its CloudTrail event: audit events of changes are written before the answer. */
async function assertAcknowledgedWritesAudited(storeOptions: RolecallProcessOptions, acknowledged: Map<string, Acknowledged>): Promise<void> {
  const store = await openStore(storeOptions.databaseUrl ? { databaseUrl: storeOptions.databaseUrl } : { dataDir: storeOptions.dataDir! });
  try {
    const events = await store.queryAudit({ eventName: 'CreateRole' });
    const audited = new Set(
      events.filter((e) => e.errorCode === undefined).map((e) => (e.event.requestParameters as { roleName?: string } | null)?.roleName),
    );
    const unaudited = [...acknowledged.keys()].filter((roleName) => !audited.has(roleName));
    assert.deepEqual(unaudited, [], 'every acknowledged CreateRole is in the audit trail after kill -9');
  } finally {
    await store.close();
  }
}

/** Three rounds of stream-writes / kill -9 / restart on one store; each restart is checked against everything acknowledged so far. */
async function killAndRestartThreeTimes(storeOptions: RolecallProcessOptions, note: (message: string) => void): Promise<void> {
  const acknowledged = new Map<string, Acknowledged>();
  const sent = new Map<string, SentRole>();
  let server = await startRolecallProcess(storeOptions);
  try {
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const before = acknowledged.size;
      await writeUntilKilled(server, cycle, acknowledged, sent);
      assert.ok(acknowledged.size > before, `cycle ${cycle} acknowledged some writes before the kill`);
      assert.equal(server.child.signalCode, 'SIGKILL', 'the server died of SIGKILL');

      server = await startRolecallProcess(storeOptions);
      const client = new QueryClient(server.url, BENCH_ROOT_CREDENTIALS, { maxSockets: WRITERS });
      try {
        await assertAcknowledgedWritesSurvived(client, acknowledged);
        await assertAcknowledgedWritesAudited(storeOptions, acknowledged);
        const stored = await assertStoredRolesAreWhole(client, sent, acknowledged.size);
        note(`cycle ${cycle}: ${acknowledged.size} roles acknowledged so far, ${stored} stored after the restart`);
      } finally {
        client.close();
      }
    }
  } finally {
    await server.stop();
  }
}

describe('kill -9 during a stream of writes loses nothing acknowledged', () => {
  test('SQLite (WAL, synchronous=FULL): three kill -9 and restart cycles on one data folder', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rolecall-durability-'));
    try {
      await killAndRestartThreeTimes({ dataDir }, (message) => t.diagnostic(message));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('PostgreSQL', () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase();
    });
    after(async () => {
      await database?.drop();
    });

    test('three kill -9 and restart cycles on one database', async (t) => {
      // PostgreSQL keeps no sealing keys of its own: every restart gets the same ones (issue 12.6).
      const env = { ROLECALL_SERVER_KEYS: `k1:${randomBytes(32).toString('base64')}` };
      await killAndRestartThreeTimes({ databaseUrl: database.url, env }, (message) => t.diagnostic(message));
    });
  });
});

// The node agent against the real server (reference/pod-identity.md §3): credentials for a real pod token,
// EKS Auth's refusals passed through with their status and body form, and the agent serving from its
// cache through a Rolecall outage, then recovering. The issue names a 30-second outage; the property is
// the same for any length shorter than the credentials' lifetime, so the server is down here only as long
// as the requests take: it is stopped (SIGTERM) and started again on the same port and data.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreatePodIdentityAssociationCommand, EKSClient } from '@aws-sdk/client-eks';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { startPodIdentityAgent, type RunningAgent } from '../../src/k8s/pod-identity-agent.js';
import { resolveRolecallEndpoint, type RolecallEndpoint } from '../../src/k8s/rolecall-endpoint.js';
import { mintServiceAccountToken } from '../../src/k8s/service-account-tokens.js';
import { ACCOUNT_ID, ROOT } from '../e2e/harness.js';
import { CLI, runCommand } from './aoscloud-cluster.js';

/** `rolecall serve` on a given port and data folder, restartable. */
class ServerProcess {
  private child: ChildProcess | undefined;
  port = 0;
  constructor(private readonly dataDir: string) {}

  async start(): Promise<void> {
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ROLECALL_'))), ROLECALL_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, ROLECALL_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey };
    const child = spawn(process.execPath, [CLI, 'serve', '--port', String(this.port), '--data', this.dataDir, '--quiet'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    process.once('exit', () => child.kill('SIGKILL'));
    await new Promise<void>((resolve, reject) => {
      let log = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
        if (match) {
          this.port = Number(match[1]);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`server exited ${code}: ${log}`)));
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
}

let server: ServerProcess;
let agent: RunningAgent;
let eks: RolecallEndpoint;

function credentialsFrom(agentPort: number, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request({ host: '127.0.0.1', port: agentPort, path: '/v1/credentials', headers: { Authorization: token } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

async function podToken(serviceAccount: string): Promise<string> {
  const minted = await mintServiceAccountToken(eks, { clusterName: 'nodes', namespace: 'jobs', serviceAccount, audience: 'pods.eks.amazonaws.com', expirationSeconds: 3600, podName: `${serviceAccount}-0`, podUid: crypto.randomUUID(), nodeName: 'node-1' });
  return minted.token;
}

before(async () => {
  server = new ServerProcess(join(await mkdtemp(join(tmpdir(), 'rolecall-agent-e2e-')), 'data'));
  await server.start();
  const env = { AWS_ACCESS_KEY_ID: ROOT.accessKeyId, AWS_SECRET_ACCESS_KEY: ROOT.secretAccessKey, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: server.url, PATH: process.env.PATH, HOME: tmpdir() };
  const created = await runCommand(process.execPath, [CLI, 'cluster', 'create', 'nodes'], env, tmpdir());
  assert.equal(created.status, 0, created.stderr);
  const credentials = { accessKeyId: ROOT.accessKeyId, secretAccessKey: ROOT.secretAccessKey };
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] };
  await new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials }).send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  await new EKSClient({ endpoint: server.url, region: 'us-east-1', credentials }).send(
    new CreatePodIdentityAssociationCommand({ clusterName: 'nodes', namespace: 'jobs', serviceAccount: 'worker', roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/worker` }),
  );
  // The node authenticates as the root user here; in a cluster it is the node's own identity.
  eks = await resolveRolecallEndpoint('eks', { endpointUrl: server.url, region: 'us-east-1', credentials });
  const eksAuth = await resolveRolecallEndpoint('eks-auth', { endpointUrl: server.url, region: 'us-east-1', credentials });
  // Renewal after 1 ms: every cache hit also tries a background refresh, so the outage is met by one.
  agent = await startPodIdentityAgent({ clusterName: 'nodes', eksAuth, bindHosts: ['127.0.0.1'], port: 0, retentionMs: 1 });
});

after(async () => {
  await agent?.close();
  await server?.stop();
});

test('pod-identity.md §3: a pod token gets the role credentials as JSON with AccountId and an RFC 3339 Expiration', async () => {
  const answer = await credentialsFrom(agent.port, await podToken('worker'));
  assert.equal(answer.status, 200, answer.body);
  const body = JSON.parse(answer.body) as Record<string, string>;
  assert.deepEqual(Object.keys(body), ['AccessKeyId', 'SecretAccessKey', 'Token', 'AccountId', 'Expiration']);
  assert.match(body['AccessKeyId']!, /^ASIA/);
  assert.equal(body['AccountId'], ACCOUNT_ID);
  assert.match(body['Expiration']!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  // Six-hour credentials (pod-identity.md §2).
  assert.ok(Date.parse(body['Expiration']!) - Date.now() > 5 * 3600_000);
});

test('pod-identity.md §3: EKS Auth refusals keep their status, body [requestId]: (Code): message, fault: client', async () => {
  const noAssociation = await credentialsFrom(agent.port, await podToken('nobody'));
  assert.equal(noAssociation.status, 404);
  assert.match(noAssociation.body, /^\[[\w-]+\]: \(ResourceNotFoundException\): .+, fault: client\n$/);
});

test('reliability: the agent serves cached credentials while Rolecall is down, refuses only what it never had, and recovers', async () => {
  const token = await podToken('worker');
  const before = await credentialsFrom(agent.port, token);
  assert.equal(before.status, 200, before.body);
  const otherToken = await podToken('worker');

  await server.stop();
  const during = await credentialsFrom(agent.port, token);
  assert.equal(during.status, 200, during.body);
  assert.deepEqual(JSON.parse(during.body), JSON.parse(before.body), 'the cached credentials, unchanged');
  const uncached = await credentialsFrom(agent.port, otherToken);
  assert.equal(uncached.status, 500, 'a token the agent never saw cannot be served while Rolecall is down');
  assert.match(agent.metrics.render(), /^pod_identity_cache_errors\{code="unreachable",type="transport"\} [1-9]\d*$/m);

  await server.start(); // the same port and data: Rolecall is back
  const recovered = await credentialsFrom(agent.port, otherToken);
  assert.equal(recovered.status, 200, recovered.body);
  assert.notEqual(JSON.parse(recovered.body).AccessKeyId, JSON.parse(before.body).AccessKeyId);
  const still = await credentialsFrom(agent.port, token);
  assert.equal(still.status, 200);
});

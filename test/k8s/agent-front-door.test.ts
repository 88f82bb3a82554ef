// The node agent's answers that come before any EKS Auth call (reference/pod-identity.md §3 "Request
// handling"): the one path, the Host rule, the raw token's checks, Go's plain-text error form, and a 500
// when EKS Auth cannot be reached. Real HTTP on loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { startPodIdentityAgent, rfc3339Nano } from '../../src/k8s/pod-identity-agent.js';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function get(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; type: string | undefined; nosniff: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request({ host: '127.0.0.1', port, path, headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode!, type: response.headers['content-type'], nosniff: response.headers['x-content-type-options'] as string | undefined, body }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'k' })}.${part(claims)}.${Buffer.from('signature').toString('base64url')}`;
}

test('pod-identity.md §3: /v1/credentials only, the Host rule, the token checks, each error as Go http.Error text', async (t) => {
  const upstreamPort = await closedPort();
  const agent = await startPodIdentityAgent({
    clusterName: 'dev',
    eksAuth: { service: 'eks-auth', url: `http://127.0.0.1:${upstreamPort}`, region: 'us-east-1', credentials: async () => ({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' }) },
    bindHosts: ['127.0.0.1'],
    port: 0,
  });
  t.after(() => agent.close());
  const { port } = agent;
  const now = Math.floor(Date.now() / 1000);
  const valid = jwt({ iss: 'https://issuer', sub: 'system:serviceaccount:default:app', aud: ['pods.eks.amazonaws.com'], iat: now, nbf: now, exp: now + 3600 });

  const notFound = await get(port, '/v1/other', { Host: '169.254.170.23' });
  assert.deepEqual([notFound.status, notFound.body], [404, '404 page not found\n']);

  const wrongHost = await get(port, '/v1/credentials', { Host: 'metadata.internal', Authorization: valid });
  assert.equal(wrongHost.status, 403);
  assert.equal(wrongHost.body, 'Access Denied. Called agent through invalid address, please use either [169.254.170.23 fd00:ec2::23 127.0.0.1] address not metadata.internal\n');
  assert.equal(wrongHost.type, 'text/plain; charset=utf-8');
  assert.equal(wrongHost.nosniff, 'nosniff');
  assert.equal((await get(port, '/v1/credentials', { Host: 'localhost', Authorization: valid })).status, 403, 'only the bound loopback address, not localhost');

  for (const host of ['169.254.170.23', '169.254.170.23:80', '[fd00:ec2::23]', '[fd00:ec2::23]:80', `127.0.0.1:${port}`]) {
    const empty = await get(port, '/v1/credentials', { Host: host });
    assert.deepEqual([empty.status, empty.body], [400, 'Service account token cannot be empty\n'], host);
  }
  const unparsable = await get(port, '/v1/credentials', { Host: '169.254.170.23', Authorization: 'Bearer abc' });
  assert.equal(unparsable.status, 400);
  assert.match(unparsable.body, /^Service account token cannot be parsed: /);
  const expired = await get(port, '/v1/credentials', { Host: '169.254.170.23', Authorization: jwt({ exp: now - 10 }) });
  assert.deepEqual([expired.status, expired.body], [400, 'Service account token failed basic claim validations: token has invalid claims: token is expired\n']);
  const early = await get(port, '/v1/credentials', { Host: '169.254.170.23', Authorization: jwt({ nbf: now + 600, exp: now + 3600 }) });
  assert.deepEqual([early.status, early.body], [400, 'Service account token failed basic claim validations: token has invalid claims: token is not valid yet\n']);

  // A well-formed token goes to EKS Auth; with EKS Auth unreachable, the pod gets a 500.
  const unreachable = await get(port, '/v1/credentials', { Host: '169.254.170.23', Authorization: valid });
  assert.equal(unreachable.status, 500);
  assert.match(unreachable.body, /^Unable to fetch credentials from EKS Auth: /);
  assert.match(agent.metrics.render(), /^pod_identity_http_response\{code="400"\} 8$/m);
});

test('pod-identity.md §3: Expiration is RFC 3339 with only the fraction digits needed (Go time.RFC3339Nano)', () => {
  assert.equal(rfc3339Nano(Date.UTC(2026, 11, 5, 18, 0, 0, 0)), '2026-12-05T18:00:00Z');
  assert.equal(rfc3339Nano(Date.UTC(2026, 11, 5, 18, 0, 0, 500)), '2026-12-05T18:00:00.5Z');
  assert.equal(rfc3339Nano(Date.UTC(2026, 11, 5, 18, 0, 0, 123)), '2026-12-05T18:00:00.123Z');
});

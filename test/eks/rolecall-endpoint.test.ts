/**
 * The client side of every Rolecall program: the endpoint, region, profile and credentials are found as
 * the AWS CLI finds them (configuration-endpoints.html: flag, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL,
 * the profile's `services` section, the profile's endpoint_url; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS), and
 * JSON requests are SigV4-signed so that Rolecall's own verifier (src/auth/sigv4.ts) accepts them.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { verifySigV4 } from '../../src/auth/sigv4.js';
import {
  EndpointConfigurationError, resolveRolecallEndpoint, RolecallApiError, sdkClientConfig, signedJsonRequest,
} from '../../src/k8s/rolecall-endpoint.js';

const KEYS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
let dir: string;
let configFile: string;
let server: Server;
let serverUrl: string;
/** What the test server saw of the last request. */
let seen: { service: string; region: string; method: string; path: string; query: string; body: string } | undefined;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-endpoint-'));
  configFile = join(dir, 'config');
  await writeFile(
    configFile,
    [
      '[default]', 'region = eu-west-1', 'endpoint_url = http://profile.example:1', 'services = dev', '',
      '[profile plain]', 'region = ap-south-1', '',
      '[profile quiet]', 'region = us-west-2', 'endpoint_url = http://quiet.example:3', 'ignore_configured_endpoint_urls = true', '',
      '[services dev]', 'eks =', '  endpoint_url = http://services-eks.example:2', 'eks_auth =', '  endpoint_url = http://services-auth.example:4', '',
    ].join('\n'),
  );
  // A stand-in API that verifies every signature with Rolecall's own SigV4 verifier.
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const [path, query = ''] = (request.url ?? '/').split('?');
      verifySigV4({ method: request.method ?? 'GET', path: path!, query, headers: request.headersDistinct, body }, async (id) => (id === KEYS.accessKeyId ? KEYS.secretAccessKey : undefined))
        .then((signature) => {
          seen = { service: signature.service, region: signature.region, method: request.method ?? '', path: path!, query, body: body.toString('utf8') };
          if (path!.endsWith('/missing')) {
            response.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/coral/', 'x-amzn-requestid': 'req-404' });
            response.end(JSON.stringify({ message: 'No cluster found for name: missing.' }));
            return;
          }
          response.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-200' });
          response.end(JSON.stringify({ ok: true }));
        })
        .catch((error: { code?: string; message: string }) => {
          response.writeHead(403, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ __type: `com.amazon.coral#${error.code ?? 'Unknown'}`, message: error.message }));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

const baseEnv = () => ({ AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') });

test('endpoint: --endpoint-url beats every configured endpoint, and a trailing slash is dropped', async () => {
  const env = { ...baseEnv(), AWS_ENDPOINT_URL_EKS: 'http://env-eks.example', AWS_ENDPOINT_URL: 'http://env.example' };
  const endpoint = await resolveRolecallEndpoint('eks', { endpointUrl: 'http://flag.example:8470/', env, credentials: KEYS });
  assert.equal(endpoint.url, 'http://flag.example:8470');
});

test('endpoint: AWS_ENDPOINT_URL_EKS / AWS_ENDPOINT_URL_EKS_AUTH beat AWS_ENDPOINT_URL, which beats the profile', async () => {
  const env = { ...baseEnv(), AWS_ENDPOINT_URL_EKS: 'http://env-eks.example', AWS_ENDPOINT_URL: 'http://env.example' };
  assert.equal((await resolveRolecallEndpoint('eks', { env, credentials: KEYS })).url, 'http://env-eks.example');
  assert.equal((await resolveRolecallEndpoint('eks-auth', { env, credentials: KEYS })).url, 'http://env.example');
  const authEnv = { ...env, AWS_ENDPOINT_URL_EKS_AUTH: 'http://env-auth.example' };
  assert.equal((await resolveRolecallEndpoint('eks-auth', { env: authEnv, credentials: KEYS })).url, 'http://env-auth.example');
});

test("endpoint: the profile's services section, then its endpoint_url; ignore_configured_endpoint_urls falls back to AWS", async () => {
  const env = baseEnv();
  assert.equal((await resolveRolecallEndpoint('eks', { env, credentials: KEYS })).url, 'http://services-eks.example:2');
  assert.equal((await resolveRolecallEndpoint('eks-auth', { env, credentials: KEYS })).url, 'http://services-auth.example:4');
  assert.equal((await resolveRolecallEndpoint('iam', { env, credentials: KEYS })).url, 'http://profile.example:1');
  const quiet = await resolveRolecallEndpoint('eks', { env: { ...env, AWS_PROFILE: 'quiet', AWS_ENDPOINT_URL: 'http://env.example' }, credentials: KEYS });
  assert.equal(quiet.url, 'https://eks.us-west-2.amazonaws.com');
  const ignored = await resolveRolecallEndpoint('eks-auth', { env: { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL: 'http://env.example' }, credentials: KEYS });
  assert.equal(ignored.url, 'https://eks-auth.eu-west-1.api.aws');
});

test("endpoint: with nothing configured each partition's AWS endpoint is the one the SDK clients' own endpoint rules give (aws-cn, GovCloud, ISO, EUSC)", async () => {
  const clients = { iam: IAMClient, sts: STSClient, eks: EKSClient } as const;
  for (const region of ['us-east-1', 'cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'eusc-de-east-1']) {
    const env = { AWS_CONFIG_FILE: join(dir, 'absent'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'absent'), AWS_REGION: region };
    for (const [service, Client] of Object.entries(clients)) {
      const client = new Client({ region, credentials: KEYS });
      const expected = client.config.endpointProvider({ Region: region, UseFIPS: false, UseDualStack: false }).url.href.replace(/\/$/, '');
      client.destroy();
      assert.equal((await resolveRolecallEndpoint(service as keyof typeof clients, { env, credentials: KEYS })).url, expected, `${service} in ${region}`);
    }
  }
  // EKS Auth answers only on the dual-stack host of the region's partition.
  const china = await resolveRolecallEndpoint('eks-auth', { env: { AWS_CONFIG_FILE: join(dir, 'absent'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'absent'), AWS_REGION: 'cn-north-1' }, credentials: KEYS });
  assert.equal(china.url, 'https://eks-auth.cn-north-1.api.amazonwebservices.com.cn');
});

test('region: --region, AWS_REGION, AWS_DEFAULT_REGION, then the profile (--profile beats AWS_PROFILE); none is an error', async () => {
  const env = baseEnv();
  assert.equal((await resolveRolecallEndpoint('eks', { env, credentials: KEYS, region: 'sa-east-1' })).region, 'sa-east-1');
  assert.equal((await resolveRolecallEndpoint('eks', { env: { ...env, AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'ca-central-1' }, credentials: KEYS })).region, 'us-east-2');
  assert.equal((await resolveRolecallEndpoint('eks', { env: { ...env, AWS_DEFAULT_REGION: 'ca-central-1' }, credentials: KEYS })).region, 'ca-central-1');
  assert.equal((await resolveRolecallEndpoint('eks', { env, credentials: KEYS })).region, 'eu-west-1');
  assert.equal((await resolveRolecallEndpoint('eks', { env: { ...env, AWS_PROFILE: 'quiet' }, profile: 'plain', credentials: KEYS })).region, 'ap-south-1');
  await assert.rejects(resolveRolecallEndpoint('eks', { env: { AWS_CONFIG_FILE: join(dir, 'none') }, credentials: KEYS }), EndpointConfigurationError);
});

test('endpoint: a URL that is not http(s), or carries a query or user info, is refused', async () => {
  for (const endpointUrl of ['ftp://example.com', 'http://example.com/?a=1', 'http://user:pw@example.com', 'not a url']) {
    await assert.rejects(resolveRolecallEndpoint('eks', { endpointUrl, region: 'us-east-1', env: baseEnv(), credentials: KEYS }), EndpointConfigurationError, endpointUrl);
  }
});

test('credentials: the default chain reads AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; sdkClientConfig hands them to SDK clients', async () => {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  process.env.AWS_ACCESS_KEY_ID = KEYS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = KEYS.secretAccessKey;
  try {
    const endpoint = await resolveRolecallEndpoint('eks', { endpointUrl: serverUrl, region: 'us-east-1', env: baseEnv() });
    const config = sdkClientConfig(endpoint);
    assert.equal(config.endpoint, serverUrl);
    assert.equal((await config.credentials()).accessKeyId, KEYS.accessKeyId);
  } finally {
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    else process.env.AWS_ACCESS_KEY_ID = saved.id;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
  }
});

test('signedJsonRequest: signed for the service and region, path, query and JSON body as sent; Rolecall verifies it', async () => {
  const endpoint = await resolveRolecallEndpoint('eks-auth', { endpointUrl: serverUrl, region: 'us-west-2', env: baseEnv(), credentials: KEYS });
  const answer = await signedJsonRequest<{ ok: boolean }>(endpoint, {
    method: 'POST',
    path: `/clusters/${encodeURIComponent('dev cluster')}/assume-role-for-pod-identity`,
    query: { a: 'x y', b: ['1', '2'] },
    body: { token: 'a.b.c' },
  });
  assert.deepEqual(answer.body, { ok: true });
  assert.equal(answer.requestId, 'req-200');
  assert.deepEqual(seen, {
    service: 'eks-auth', region: 'us-west-2', method: 'POST', path: '/clusters/dev%20cluster/assume-role-for-pod-identity',
    query: 'a=x%20y&b=1&b=2', body: '{"token":"a.b.c"}',
  });
});

test('signedJsonRequest: an error answer is a RolecallApiError with the code from x-amzn-errortype or __type', async () => {
  const endpoint = await resolveRolecallEndpoint('eks', { endpointUrl: serverUrl, region: 'us-east-1', env: baseEnv(), credentials: KEYS });
  const missing = await signedJsonRequest(endpoint, { method: 'GET', path: '/clusters/missing' }).catch((error: unknown) => error);
  assert.ok(missing instanceof RolecallApiError);
  assert.deepEqual([missing.code, missing.status, missing.message, missing.requestId], ['ResourceNotFoundException', 404, 'No cluster found for name: missing.', 'req-404']);
  const wrongKey = { accessKeyId: KEYS.accessKeyId, secretAccessKey: 'not-the-secret' };
  const badEndpoint = await resolveRolecallEndpoint('eks', { endpointUrl: serverUrl, region: 'us-east-1', env: baseEnv(), credentials: wrongKey });
  const refused = await signedJsonRequest(badEndpoint, { method: 'GET', path: '/clusters' }).catch((error: unknown) => error);
  assert.ok(refused instanceof RolecallApiError);
  assert.equal(refused.code, 'SignatureDoesNotMatch');
  assert.equal(refused.status, 403);
});

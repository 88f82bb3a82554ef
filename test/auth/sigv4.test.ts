/**
 * SigV4 verification against AWS's own signers: @smithy/signature-v4 (what SDK v3 uses), the real
 * @aws-sdk/client-iam and client-sts, botocore (what the AWS CLI and boto3 use), and the published
 * vectors of AWS's SigV4 test suite. Each failure checks AWS's error code, HTTP status and message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { IAMClient, ListRolesCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  verifySigV4,
  SignatureMismatchError,
  type SigV4Request,
  type SecretLookup,
  type VerifyOptions,
} from '../../src/auth/sigv4.js';
import { AwsError } from '../../src/policy/index.js';

const AKID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const OTHER_AKID = 'AKIAI44QH8DHBEXAMPLE';
const OTHER_SECRET = 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY';
const SESSION_AKID = 'ASIAIOSFODNN7EXAMPLE';
const SESSION_SECRET = 'sessionSecretKeyEXAMPLEsessionSecretKeyEX';
const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLE//////////wEaDEXAMPLETOKEN+/=';
const NOW = new Date('2026-11-23T07:30:00Z');
const HOST = '127.0.0.1:4599';
const IAM: VerifyOptions = { now: NOW, expectedServices: ['iam', 'sts'] };

const secrets = new Map([
  [AKID, SECRET],
  [OTHER_AKID, OTHER_SECRET],
  [SESSION_AKID, SESSION_SECRET],
]);
const lookup: SecretLookup = async (id) => secrets.get(id);

// ---------------------------------------------------------------------------------------------------
// Signing with the SDK's signer, then turning the signed request into what the server receives

interface Outgoing {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
}

interface SignOptions {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  service?: string;
  region?: string;
  signingDate?: Date;
  expiresIn?: number;
}

function signer(o: SignOptions): SignatureV4 {
  return new SignatureV4({
    credentials: {
      accessKeyId: o.accessKeyId ?? AKID,
      secretAccessKey: o.secretAccessKey ?? SECRET,
      ...(o.sessionToken === undefined ? {} : { sessionToken: o.sessionToken }),
    },
    region: o.region ?? 'us-east-1',
    service: o.service ?? 'iam',
    sha256: Sha256,
  });
}

function toSmithy(out: Outgoing) {
  return {
    method: out.method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4599,
    path: out.path,
    query: out.query ?? {},
    headers: { host: HOST, ...out.headers },
    ...(out.body === undefined ? {} : { body: out.body }),
  };
}

/** The query string as an HTTP client puts it on the wire (RFC 3986 percent-encoding). */
function wireQuery(query: Record<string, string | string[] | null | undefined>): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${enc(key)}=${enc(v)}`);
  }
  return parts.join('&');
}

function received(signed: {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null | undefined>;
  headers: Record<string, string>;
  body?: unknown;
}): SigV4Request {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  return {
    method: signed.method,
    path: signed.path,
    query: wireQuery(signed.query ?? {}),
    headers,
    body: Buffer.from(typeof signed.body === 'string' ? signed.body : ''),
  };
}

async function signedRequest(out: Outgoing, o: SignOptions = {}): Promise<SigV4Request> {
  const signed = await signer(o).sign(toSmithy(out), { signingDate: o.signingDate ?? NOW });
  return received(signed as Parameters<typeof received>[0]);
}

async function presignedRequest(out: Outgoing, o: SignOptions = {}): Promise<SigV4Request> {
  const signed = await signer(o).presign(toSmithy(out), {
    signingDate: o.signingDate ?? NOW,
    expiresIn: o.expiresIn ?? 900,
  });
  return received(signed as Parameters<typeof received>[0]);
}

const listRoles: Outgoing = {
  method: 'POST',
  path: '/',
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  body: 'Action=ListRoles&Version=2010-05-08&PathPrefix=%2Fteam%20a%2F',
};

async function rejects(promise: Promise<unknown>, code: string, status: number, message: string | RegExp) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof AwsError, `expected an AwsError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.httpStatus, status);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

// ---------------------------------------------------------------------------------------------------
// AWS's SigV4 test suite (AKIDEXAMPLE, 20150830T123600Z, us-east-1, service "service")

const SUITE_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SUITE_OPTIONS: VerifyOptions = { now: new Date('2015-08-30T12:36:00Z') };
const suiteLookup: SecretLookup = async (id) => (id === 'AKIDEXAMPLE' ? SUITE_SECRET : undefined);

function suiteRequest(method: string, path: string, query: string, signature: string): SigV4Request {
  return {
    method,
    path,
    query,
    headers: {
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        `SignedHeaders=host;x-amz-date, Signature=${signature}`,
    },
    body: Buffer.alloc(0),
  };
}

const VANILLA = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';
const SUITE: [name: string, method: string, path: string, query: string, signature: string][] = [
  ['get-vanilla', 'GET', '/', '', VANILLA],
  ['get-vanilla-query-order-key-case', 'GET', '/', 'Param2=value2&Param1=value1', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'],
  [
    'get-vanilla-query-unreserved',
    'GET',
    '/',
    '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197',
  ],
  ['get-vanilla-empty-query-key', 'GET', '/', 'Param1=value1', 'a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb'],
  ['get-vanilla-utf8-query', 'GET', '/', '%E1%88%B4=bar', '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04'],
  // The suite writes the request line before encoding ("/ሴ", "/example space/").
  ['get-utf8', 'GET', '/ሴ', '', '8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85'],
  ['get-space-normalized', 'GET', '/example space/', '', '652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741'],
  // Path normalization: these all canonicalize to "/" and so carry get-vanilla's signature.
  ['get-relative', 'GET', '/example/..', '', VANILLA],
  ['get-relative-relative', 'GET', '/example1/example2/../..', '', VANILLA],
  ['get-slash', 'GET', '//', '', VANILLA],
  ['get-slash-dot-slash', 'GET', '/./', '', VANILLA],
  ['post-vanilla', 'POST', '/', '', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
  ['post-vanilla-query', 'POST', '/', 'Param1=value1', '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11'],
];

for (const [name, method, path, query, signature] of SUITE) {
  test(`AWS SigV4 test suite: ${name} verifies`, async () => {
    const result = await verifySigV4(suiteRequest(method, path, query, signature), suiteLookup, SUITE_OPTIONS);
    assert.equal(result.accessKeyId, 'AKIDEXAMPLE');
    assert.equal(result.service, 'service');
    assert.equal(result.region, 'us-east-1');
    assert.deepEqual(result.signedHeaders, ['host', 'x-amz-date']);
    assert.equal(result.date.toISOString(), '2015-08-30T12:36:00.000Z');
  });
}

test('AWS SigV4 test suite: get-vanilla with one hex digit changed is SignatureDoesNotMatch', async () => {
  const wrong = `${VANILLA.slice(0, -1)}0`;
  await rejects(verifySigV4(suiteRequest('GET', '/', '', wrong), suiteLookup, SUITE_OPTIONS), 'SignatureDoesNotMatch', 403, MISMATCH);
});

// ---------------------------------------------------------------------------------------------------
// The header form, signed by the SDK's signer

test('header form: a Query-protocol POST with a form body, as the AWS CLI sends it, verifies', async () => {
  const result = await verifySigV4(await signedRequest(listRoles), lookup, IAM);
  assert.equal(result.accessKeyId, AKID);
  assert.equal(result.service, 'iam');
  assert.equal(result.region, 'us-east-1');
  assert.equal(result.form, 'header');
  assert.equal(result.securityToken, undefined);
  assert.equal(result.date.getTime(), NOW.getTime());
  assert.ok(result.signedHeaders.includes('host'));
});

test('header form: query parameters with spaces, ~, *, unicode and repeated keys verify (RFC 3986 canonical query)', async () => {
  const request = await signedRequest({
    method: 'GET',
    path: '/',
    query: {
      Action: 'ListRoles',
      PathPrefix: "/a b/~*!'()+&=/",
      Tag: ['zeta', 'alpha', 'Mid'],
      'ключ': 'значение ✓ 😀',
      Empty: '',
    },
  });
  assert.match(request.query, /%2A/, 'the wire query encodes * as %2A');
  const result = await verifySigV4(request, lookup, IAM);
  assert.equal(result.accessKeyId, AKID);
});

test('header form: a + in the query is a space (form encoding, as URLSearchParams writes it)', async () => {
  const request = await signedRequest({ method: 'GET', path: '/', query: { Action: 'ListRoles', PathPrefix: '/a b/' } });
  assert.match(request.query, /%20/);
  const plus = { ...request, query: request.query.replace(/%20/g, '+') };
  assert.equal((await verifySigV4(plus, lookup, IAM)).accessKeyId, AKID);
  // A literal plus is %2B on the wire, and signs differently from a space.
  const literal = { ...request, query: request.query.replace(/%20/g, '%2B') };
  await rejects(verifySigV4(literal, lookup, IAM), 'SignatureDoesNotMatch', 403, MISMATCH);
});

test('header form: a path with an encoded space is double-encoded for non-S3 services', async () => {
  const request = await signedRequest({ method: 'GET', path: '/a%20b/c~d/' });
  assert.equal(request.path, '/a%20b/c~d/');
  assert.equal((await verifySigV4(request, lookup, IAM)).accessKeyId, AKID);
});

test('header form: a path with dot segments is normalized before signing', async () => {
  const request = await signedRequest({ method: 'GET', path: '/x/./y/../z' });
  assert.equal((await verifySigV4(request, lookup, IAM)).accessKeyId, AKID);
});

test('header form: header values are trimmed and inner whitespace runs collapsed', async () => {
  const request = await signedRequest({
    method: 'GET',
    path: '/',
    headers: { 'x-amz-meta-note': '  two   spaces\tand a tab  ' },
  });
  assert.ok(request.headers['authorization']?.toString().includes('x-amz-meta-note'));
  assert.equal(request.headers['x-amz-meta-note'], '  two   spaces\tand a tab  ');
  assert.equal((await verifySigV4(request, lookup, IAM)).accessKeyId, AKID);
});

test('header form: session credentials pass X-Amz-Security-Token to the lookup and return it', async () => {
  const seen: (string | undefined)[] = [];
  const request = await signedRequest(listRoles, {
    accessKeyId: SESSION_AKID,
    secretAccessKey: SESSION_SECRET,
    sessionToken: SESSION_TOKEN,
  });
  const result = await verifySigV4(
    request,
    async (id, { securityToken }) => {
      seen.push(securityToken);
      return secrets.get(id);
    },
    IAM,
  );
  assert.equal(result.accessKeyId, SESSION_AKID);
  assert.equal(result.securityToken, SESSION_TOKEN);
  assert.deepEqual(seen, [SESSION_TOKEN]);
});

test('header form: STS may be signed for any region', async () => {
  const request = await signedRequest(
    { ...listRoles, body: 'Action=GetCallerIdentity&Version=2011-06-15' },
    { service: 'sts', region: 'eu-west-3' },
  );
  const result = await verifySigV4(request, lookup, IAM);
  assert.equal(result.service, 'sts');
  assert.equal(result.region, 'eu-west-3');
});

test('header form: a repeated header is canonicalized as its values joined by commas', async () => {
  // Canonical request written out by hand per the SigV4 spec; the SDK signs its string to sign.
  const bodyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const canonical = [
    'GET',
    '/',
    '',
    `host:${HOST}`,
    'my-header1:value2,value2,value1',
    'x-amz-date:20261123T073000Z',
    '',
    'host;my-header1;x-amz-date',
    bodyHash,
  ].join('\n');
  const signature = await signStringToSign(canonical, '20261123/us-east-1/iam/aws4_request', '20261123T073000Z');
  const request: SigV4Request = {
    method: 'GET',
    path: '/',
    query: '',
    headers: {
      host: HOST,
      'my-header1': ['value2', ' value2 ', 'value1'],
      'x-amz-date': '20261123T073000Z',
      authorization: `AWS4-HMAC-SHA256 Credential=${AKID}/20261123/us-east-1/iam/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=${signature}`,
    },
    body: Buffer.alloc(0),
  };
  assert.equal((await verifySigV4(request, lookup, IAM)).accessKeyId, AKID);
});

test('header form: the Date header stands in for X-Amz-Date', async () => {
  const canonical = ['GET', '/', '', 'date:Mon, 23 Nov 2026 07:30:00 GMT', `host:${HOST}`, '', 'date;host', sha256Empty()].join('\n');
  const signature = await signStringToSign(canonical, '20261123/us-east-1/iam/aws4_request', '20261123T073000Z');
  const request: SigV4Request = {
    method: 'GET',
    path: '/',
    query: '',
    headers: {
      host: HOST,
      date: 'Mon, 23 Nov 2026 07:30:00 GMT',
      authorization: `AWS4-HMAC-SHA256 Credential=${AKID}/20261123/us-east-1/iam/aws4_request, SignedHeaders=date;host, Signature=${signature}`,
    },
    body: Buffer.alloc(0),
  };
  const result = await verifySigV4(request, lookup, IAM);
  assert.equal(result.date.toISOString(), '2026-11-23T07:30:00.000Z');
});

function sha256Empty(): string {
  return 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
}

/** Signs a hand-written canonical request through the SDK signer's signString. */
async function signStringToSign(canonicalRequest: string, scope: string, amzDate: string): Promise<string> {
  const hash = new Sha256();
  hash.update(canonicalRequest);
  const hex = Buffer.from(await hash.digest()).toString('hex');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex].join('\n');
  return signer({}).sign(stringToSign, { signingDate: NOW });
}

// ---------------------------------------------------------------------------------------------------
// The presigned form

test('presigned form: a presigned GetCallerIdentity URL verifies (X-Amz-Expires within the limit)', async () => {
  const request = await presignedRequest(
    { method: 'GET', path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } },
    { service: 'sts', expiresIn: 60 },
  );
  assert.match(request.query, /X-Amz-Signature=/);
  const result = await verifySigV4(request, lookup, IAM);
  assert.equal(result.form, 'presigned');
  assert.equal(result.service, 'sts');
  assert.deepEqual(result.signedHeaders, ['host']);
});

test('presigned form: session credentials carry X-Amz-Security-Token in the query', async () => {
  const request = await presignedRequest(
    { method: 'GET', path: '/', query: { Action: 'ListRoles', Version: '2010-05-08', PathPrefix: '/a b/' } },
    { accessKeyId: SESSION_AKID, secretAccessKey: SESSION_SECRET, sessionToken: SESSION_TOKEN },
  );
  assert.match(request.query, /X-Amz-Security-Token=/);
  const result = await verifySigV4(request, lookup, IAM);
  assert.equal(result.securityToken, SESSION_TOKEN);
});

test('presigned form: valid until X-Amz-Date + X-Amz-Expires, then RequestExpired', async () => {
  const request = await presignedRequest({ method: 'GET', path: '/', query: { Action: 'ListRoles' } }, { expiresIn: 60 });
  const at = (seconds: number): VerifyOptions => ({ ...IAM, now: new Date(NOW.getTime() + seconds * 1000) });
  assert.equal((await verifySigV4(request, lookup, at(60))).accessKeyId, AKID);
  await rejects(verifySigV4(request, lookup, at(61)), 'RequestExpired', 400, 'Request has expired.');
});

test('presigned form: a long X-Amz-Expires outlives the 15-minute skew window', async () => {
  const request = await presignedRequest({ method: 'GET', path: '/', query: { Action: 'ListRoles' } }, { expiresIn: 3 * 3600 });
  const later: VerifyOptions = { ...IAM, now: new Date(NOW.getTime() + 2 * 3600 * 1000) };
  assert.equal((await verifySigV4(request, lookup, later)).accessKeyId, AKID);
});

test('presigned form: a URL dated more than 15 minutes ahead is not yet current', async () => {
  const request = await presignedRequest(
    { method: 'GET', path: '/', query: { Action: 'ListRoles' } },
    { signingDate: new Date('2026-11-23T08:00:00Z') },
  );
  await rejects(
    verifySigV4(request, lookup, IAM),
    'SignatureDoesNotMatch',
    403,
    'Signature not yet current: 20261123T080000Z is still later than 20261123T074500Z (20261123T073000Z + 15 min.)',
  );
});

test('presigned form: X-Amz-Expires must be a number of seconds up to a week', async () => {
  const request = await presignedRequest({ method: 'GET', path: '/', query: { Action: 'ListRoles' } });
  const withExpires = (value: string) => ({ ...request, query: request.query.replace(/X-Amz-Expires=\d+/, `X-Amz-Expires=${value}`) });
  await rejects(verifySigV4(withExpires('604801'), lookup, IAM), 'IncompleteSignature', 400, 'X-Amz-Expires must be less than a week (in seconds) that is; 604800');
  await rejects(verifySigV4(withExpires('-5'), lookup, IAM), 'IncompleteSignature', 400, 'X-Amz-Expires must be non-negative');
  await rejects(verifySigV4(withExpires('soon'), lookup, IAM), 'IncompleteSignature', 400, 'X-Amz-Expires should be a number');
  // In range but not what was signed: the signature covers X-Amz-Expires.
  await rejects(verifySigV4(withExpires('604800'), lookup, IAM), 'SignatureDoesNotMatch', 403, MISMATCH);
});

test('presigned form: each missing parameter is named', async () => {
  const request = await presignedRequest({ method: 'GET', path: '/', query: { Action: 'ListRoles' } });
  const without = request.query
    .split('&')
    .filter((p) => !p.startsWith('X-Amz-Credential=') && !p.startsWith('X-Amz-SignedHeaders='))
    .join('&');
  await rejects(
    verifySigV4({ ...request, query: without }, lookup, IAM),
    'IncompleteSignature',
    400,
    "AWS query-string parameters must include 'X-Amz-Credential'. Re-examine the query-string parameters. " +
      "AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
  );
});

test('presigned form: an Authorization header as well is refused', async () => {
  const request = await presignedRequest({ method: 'GET', path: '/', query: { Action: 'ListRoles' } });
  const header = (await signedRequest({ method: 'GET', path: '/' })).headers['authorization'] as string;
  await rejects(
    verifySigV4({ ...request, headers: { ...request.headers, authorization: header } }, lookup, IAM),
    'IncompleteSignature',
    400,
    /^Only one auth mechanism allowed/,
  );
});

test('presigned form: tampering with a query parameter or the path is SignatureDoesNotMatch', async () => {
  const request = await presignedRequest({ method: 'GET', path: '/', query: { Action: 'ListRoles', MaxItems: '5' } });
  await rejects(verifySigV4({ ...request, query: request.query.replace('MaxItems=5', 'MaxItems=6') }, lookup, IAM), 'SignatureDoesNotMatch', 403, MISMATCH);
  await rejects(verifySigV4({ ...request, query: `${request.query}&Extra=1` }, lookup, IAM), 'SignatureDoesNotMatch', 403, MISMATCH);
  await rejects(verifySigV4({ ...request, path: '/other' }, lookup, IAM), 'SignatureDoesNotMatch', 403, MISMATCH);
});

// ---------------------------------------------------------------------------------------------------
// Real AWS clients

class Captured extends Error {
  constructor(readonly request: { method: string; path: string; query?: Record<string, string | string[] | null>; headers: Record<string, string>; body?: unknown }) {
    super('captured');
  }
}

/** The request a real SDK client would send, caught before it leaves the process. */
async function capture(send: (handler: { handle: (request: unknown) => Promise<never> }) => Promise<unknown>): Promise<SigV4Request> {
  const handler = {
    handle: async (request: unknown): Promise<never> => {
      throw new Captured(request as Captured['request']);
    },
  };
  try {
    await send(handler);
  } catch (err) {
    if (err instanceof Captured) return received(err.request);
    throw err;
  }
  throw new Error('the client sent nothing');
}

const sdkNow = (request: SigV4Request): VerifyOptions => {
  const amzDate = String(request.headers['x-amz-date']);
  const iso = `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`;
  return { expectedServices: ['iam', 'sts'], now: new Date(iso) };
};

test('@aws-sdk/client-iam: CreateRole with a policy document and tags verifies', async () => {
  const request = await capture((requestHandler) =>
    new IAMClient({
      region: 'us-east-1',
      endpoint: `http://${HOST}`,
      credentials: { accessKeyId: AKID, secretAccessKey: SECRET },
      requestHandler,
      maxAttempts: 1,
    }).send(
      new CreateRoleCommand({
        RoleName: 'app role',
        Path: '/team a/',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
        Tags: [{ Key: 'team', Value: 'é ~*' }],
      }),
    ),
  );
  assert.match(request.body.toString(), /Action=CreateRole/);
  const result = await verifySigV4(request, lookup, sdkNow(request));
  assert.equal(result.service, 'iam');
  assert.equal(result.region, 'us-east-1');
});

test('@aws-sdk/client-iam: with a custom endpoint the SDK signs IAM for its configured region', async () => {
  const request = await capture((requestHandler) =>
    new IAMClient({
      region: 'eu-central-1',
      endpoint: `http://${HOST}`,
      credentials: { accessKeyId: AKID, secretAccessKey: SECRET, sessionToken: SESSION_TOKEN },
      requestHandler,
      maxAttempts: 1,
    }).send(new ListRolesCommand({ PathPrefix: '/' })),
  );
  assert.match(String(request.headers['authorization']), /\/eu-central-1\/iam\/aws4_request/);
  // AWS's IAM refuses any region but us-east-1 ...
  await rejects(
    verifySigV4(request, lookup, sdkNow(request)),
    'SignatureDoesNotMatch',
    403,
    "Credential should be scoped to a valid region, not 'eu-central-1'. ",
  );
  // ... and a server that wants such clients to work unchanged allows every region for iam.
  const result = await verifySigV4(request, lookup, { ...sdkNow(request), regionsByService: { iam: ['*'] } });
  assert.equal(result.region, 'eu-central-1');
  assert.equal(result.securityToken, SESSION_TOKEN);
});

test('@aws-sdk/client-sts: GetCallerIdentity with session credentials verifies for a regional endpoint', async () => {
  const request = await capture((requestHandler) =>
    new STSClient({
      region: 'ap-southeast-2',
      endpoint: `http://${HOST}`,
      credentials: { accessKeyId: SESSION_AKID, secretAccessKey: SESSION_SECRET, sessionToken: SESSION_TOKEN },
      requestHandler,
      maxAttempts: 1,
    }).send(new GetCallerIdentityCommand({})),
  );
  const result = await verifySigV4(request, lookup, sdkNow(request));
  assert.equal(result.service, 'sts');
  assert.equal(result.region, 'ap-southeast-2');
  assert.equal(result.securityToken, SESSION_TOKEN);
});

// ---------------------------------------------------------------------------------------------------
// botocore, the signer of the AWS CLI and boto3

const BOTOCORE_SIGN = `
import json, sys
from urllib.parse import urlsplit
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
spec = json.load(sys.stdin)
creds = Credentials(spec["akid"], spec["secret"], spec.get("token"))
req = AWSRequest(method=spec["method"], url=spec["url"], data=spec.get("body"), headers=spec.get("headers", {}))
if spec.get("expires"):
    SigV4QueryAuth(creds, spec["service"], spec["region"], expires=spec["expires"]).add_auth(req)
else:
    SigV4Auth(creds, spec["service"], spec["region"]).add_auth(req)
p = req.prepare()
parts = urlsplit(p.url)
body = p.body if isinstance(p.body, str) else (p.body or b"").decode()
print(json.dumps({"method": p.method, "path": parts.path, "query": parts.query, "headers": dict(p.headers), "body": body, "host": parts.netloc}))
`;

function botocoreSigned(spec: Record<string, unknown>): SigV4Request {
  const run = spawnSync('python3', ['-c', BOTOCORE_SIGN], { input: JSON.stringify(spec), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout) as { method: string; path: string; query: string; headers: Record<string, string>; body: string; host: string };
  const headers: Record<string, string> = { host: out.host };
  for (const [name, value] of Object.entries(out.headers)) headers[name.toLowerCase()] = value;
  return { method: out.method, path: out.path || '/', query: out.query, headers, body: Buffer.from(out.body) };
}

const optionsAt = (request: SigV4Request): VerifyOptions => {
  const amzDate =
    request.headers['x-amz-date'] !== undefined
      ? String(request.headers['x-amz-date'])
      : (/X-Amz-Date=(\d{8}T\d{6}Z)/.exec(request.query)?.[1] as string);
  return sdkNow({ ...request, headers: { 'x-amz-date': amzDate } });
};

test('botocore (AWS CLI): a form-encoded ListRoles POST verifies', async () => {
  const request = botocoreSigned({
    akid: AKID,
    secret: SECRET,
    service: 'iam',
    region: 'us-east-1',
    method: 'POST',
    url: `http://${HOST}/`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: 'Action=ListRoles&Version=2010-05-08&PathPrefix=%2Fteam%20a%2F',
  });
  const result = await verifySigV4(request, lookup, optionsAt(request));
  assert.equal(result.accessKeyId, AKID);
  assert.equal(result.service, 'iam');
});

test('botocore (AWS CLI): a GET with encoded query values and a session token verifies', async () => {
  const request = botocoreSigned({
    akid: SESSION_AKID,
    secret: SESSION_SECRET,
    token: SESSION_TOKEN,
    service: 'sts',
    region: 'us-west-2',
    method: 'GET',
    // botocore signs the URL's query as written, so it is written as botocore itself encodes (quote, safe '-_.~').
    url: `http://${HOST}/?Action=GetCallerIdentity&Version=2011-06-15&Note=a%20b~%2A%E2%9C%93&Note=a`,
  });
  const result = await verifySigV4(request, lookup, optionsAt(request));
  assert.equal(result.securityToken, SESSION_TOKEN);
});

test('botocore (boto3 generate_presigned_url): a presigned STS URL verifies', async () => {
  const request = botocoreSigned({
    akid: AKID,
    secret: SECRET,
    service: 'sts',
    region: 'us-east-1',
    method: 'GET',
    url: `http://${HOST}/?Action=GetCallerIdentity&Version=2011-06-15`,
    expires: 60,
  });
  assert.match(request.query, /X-Amz-Signature=/);
  const result = await verifySigV4(request, lookup, optionsAt(request));
  assert.equal(result.form, 'presigned');
});

// ---------------------------------------------------------------------------------------------------
// Tampering with each signed part

test('tampering: method, path, query, a signed header, body and signature each give SignatureDoesNotMatch', async () => {
  const base = await signedRequest({ ...listRoles, path: '/api', query: { Marker: 'abc' } });
  assert.equal((await verifySigV4(base, lookup, IAM)).accessKeyId, AKID, 'the untouched request verifies');
  const auth = String(base.headers['authorization']);
  const tampered: [string, SigV4Request][] = [
    ['method', { ...base, method: 'PUT' }],
    ['path', { ...base, path: '/apI' }],
    ['query', { ...base, query: 'Marker=abd' }],
    ['signed header', { ...base, headers: { ...base.headers, 'content-type': 'application/json' } }],
    ['host header', { ...base, headers: { ...base.headers, host: 'evil.example' } }],
    ['body', { ...base, body: Buffer.from(String(listRoles.body).replace('ListRoles', 'ListUsers')) }],
    ['signature', { ...base, headers: { ...base.headers, authorization: auth.replace(/Signature=([0-9a-f])/, (_, c: string) => `Signature=${c === '0' ? '1' : '0'}`) } }],
    ['truncated signature', { ...base, headers: { ...base.headers, authorization: auth.slice(0, -2) } }],
  ];
  for (const [what, request] of tampered) {
    await assert.rejects(verifySigV4(request, lookup, IAM), (err: unknown) => {
      assert.ok(err instanceof SignatureMismatchError, `${what}: ${String(err)}`);
      assert.equal(err.code, 'SignatureDoesNotMatch');
      assert.equal(err.httpStatus, 403);
      assert.equal(err.message, MISMATCH);
      return true;
    });
  }
});

test('tampering: the mismatch error keeps the canonical request and string to sign for debugging', async () => {
  const base = await signedRequest({ method: 'GET', path: '/p', query: { B: '2', A: '1 1' } });
  await assert.rejects(verifySigV4({ ...base, method: 'DELETE' }, lookup, IAM), (err: unknown) => {
    assert.ok(err instanceof SignatureMismatchError);
    assert.match(err.canonicalRequest, /^DELETE\n\/p\nA=1%201&B=2\n/);
    assert.match(err.stringToSign, /^AWS4-HMAC-SHA256\n20261123T073000Z\n20261123\/us-east-1\/iam\/aws4_request\n[0-9a-f]{64}$/);
    assert.ok(!err.message.includes(SECRET));
    return true;
  });
});

test('tampering: the debug copy of the canonical request does not carry the session token', async () => {
  const header = await signedRequest(listRoles, { accessKeyId: SESSION_AKID, secretAccessKey: SESSION_SECRET, sessionToken: SESSION_TOKEN });
  const presigned = await presignedRequest(
    { method: 'GET', path: '/', query: { Action: 'ListRoles' } },
    { accessKeyId: SESSION_AKID, secretAccessKey: SESSION_SECRET, sessionToken: SESSION_TOKEN },
  );
  for (const request of [header, presigned]) {
    await assert.rejects(verifySigV4({ ...request, method: 'PATCH' }, lookup, IAM), (err: unknown) => {
      assert.ok(err instanceof SignatureMismatchError);
      assert.ok(!err.canonicalRequest.includes(SESSION_TOKEN));
      assert.ok(!err.canonicalRequest.includes(encodeURIComponent(SESSION_TOKEN)));
      assert.match(err.canonicalRequest, /<redacted>/);
      return true;
    });
  }
});

test('tampering: an unsigned header may be added or changed freely', async () => {
  const base = await signedRequest(listRoles);
  const extra = { ...base, headers: { ...base.headers, 'user-agent': 'aws-cli/1.45', 'x-forwarded-for': '10.0.0.1' } };
  assert.equal((await verifySigV4(extra, lookup, IAM)).accessKeyId, AKID);
});

test('tampering: an x-amz-content-sha256 that does not match the body is SignatureDoesNotMatch', async () => {
  const request = await signedRequest({ ...listRoles, headers: { ...listRoles.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  await rejects(verifySigV4(request, lookup, IAM), 'SignatureDoesNotMatch', 403, MISMATCH);
});

test('tampering: X-Amz-Date moved within the same day is SignatureDoesNotMatch', async () => {
  const base = await signedRequest(listRoles);
  const moved = { ...base, headers: { ...base.headers, 'x-amz-date': '20261123T073100Z' } };
  await rejects(verifySigV4(moved, lookup, IAM), 'SignatureDoesNotMatch', 403, MISMATCH);
});

test('tampering: X-Amz-Date on another day than the credential scope', async () => {
  const base = await signedRequest(listRoles);
  const moved = { ...base, headers: { ...base.headers, 'x-amz-date': '20261124T000100Z' } };
  await rejects(
    verifySigV4(moved, lookup, { ...IAM, now: new Date('2026-11-24T00:01:00Z') }),
    'SignatureDoesNotMatch',
    403,
    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261123' != '20261124', from '20261124T000100Z'.",
  );
});

test('tampering: the credential scope region, for a service that accepts any region, is SignatureDoesNotMatch', async () => {
  const base = await signedRequest({ ...listRoles, body: 'Action=GetCallerIdentity&Version=2011-06-15' }, { service: 'sts' });
  const auth = String(base.headers['authorization']).replace('/us-east-1/', '/us-west-2/');
  await rejects(verifySigV4({ ...base, headers: { ...base.headers, authorization: auth } }, lookup, IAM), 'SignatureDoesNotMatch', 403, MISMATCH);
});

test('tampering: the credential scope service changed to another served service is SignatureDoesNotMatch', async () => {
  const base = await signedRequest(listRoles);
  const auth = String(base.headers['authorization']).replace('/iam/', '/sts/');
  await rejects(verifySigV4({ ...base, headers: { ...base.headers, authorization: auth } }, lookup, IAM), 'SignatureDoesNotMatch', 403, MISMATCH);
});

test('tampering: another existing access key id is SignatureDoesNotMatch', async () => {
  const base = await signedRequest(listRoles);
  const auth = String(base.headers['authorization']).replace(AKID, OTHER_AKID);
  await rejects(verifySigV4({ ...base, headers: { ...base.headers, authorization: auth } }, lookup, IAM), 'SignatureDoesNotMatch', 403, MISMATCH);
});

test('InvalidClientTokenId: an unknown access key id (AWS common errors)', async () => {
  const request = await signedRequest(listRoles, { accessKeyId: 'AKIAUNKNOWNKEY000000' });
  await rejects(verifySigV4(request, lookup, IAM), 'InvalidClientTokenId', 403, 'The security token included in the request is invalid.');
});

test('errors thrown by the secret lookup (e.g. ExpiredToken for a session) reach the caller unchanged', async () => {
  const request = await signedRequest(listRoles, { accessKeyId: SESSION_AKID, secretAccessKey: SESSION_SECRET, sessionToken: SESSION_TOKEN });
  const expired = new AwsError('ExpiredToken', 'The security token included in the request is expired', 400);
  await assert.rejects(verifySigV4(request, async () => Promise.reject(expired), IAM), (err: unknown) => err === expired);
});

// ---------------------------------------------------------------------------------------------------
// Credential scope rules

test('credential scope: IAM must be signed for us-east-1', async () => {
  const request = await signedRequest(listRoles, { region: 'us-east-2' });
  await rejects(verifySigV4(request, lookup, IAM), 'SignatureDoesNotMatch', 403, "Credential should be scoped to a valid region, not 'us-east-2'. ");
});

test('credential scope: a service this endpoint does not serve', async () => {
  const request = await signedRequest(listRoles, { service: 'ec2' });
  await rejects(verifySigV4(request, lookup, IAM), 'SignatureDoesNotMatch', 403, "Credential should be scoped to correct service: 'iam'. ");
});

test('credential scope: the terminator must be aws4_request', async () => {
  const base = await signedRequest(listRoles);
  const auth = String(base.headers['authorization']).replace('/aws4_request', '/aws5_request');
  await rejects(
    verifySigV4({ ...base, headers: { ...base.headers, authorization: auth } }, lookup, IAM),
    'SignatureDoesNotMatch',
    403,
    "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ",
  );
});

test('credential scope: other regions may be allowed per service', async () => {
  const request = await signedRequest(listRoles, { region: 'us-gov-west-1' });
  const result = await verifySigV4(request, lookup, { ...IAM, regionsByService: { iam: ['us-east-1', 'us-gov-west-1'] } });
  assert.equal(result.region, 'us-gov-west-1');
});

// ---------------------------------------------------------------------------------------------------
// Clock skew (15 minutes either way)

test('clock skew: a request signed more than 15 minutes ago has expired', async () => {
  const request = await signedRequest(listRoles, { signingDate: new Date('2026-11-23T07:00:00Z') });
  await rejects(
    verifySigV4(request, lookup, IAM),
    'SignatureDoesNotMatch',
    403,
    'Signature expired: 20261123T070000Z is now earlier than 20261123T071500Z (20261123T073000Z - 15 min.)',
  );
});

test('clock skew: a request signed more than 15 minutes ahead is not yet current', async () => {
  const request = await signedRequest(listRoles, { signingDate: new Date('2026-11-23T08:00:00Z') });
  await rejects(
    verifySigV4(request, lookup, IAM),
    'SignatureDoesNotMatch',
    403,
    'Signature not yet current: 20261123T080000Z is still later than 20261123T074500Z (20261123T073000Z + 15 min.)',
  );
});

test('clock skew: exactly 15 minutes either way is still accepted', async () => {
  for (const signingDate of [new Date('2026-11-23T07:15:00Z'), new Date('2026-11-23T07:45:00Z')]) {
    const request = await signedRequest(listRoles, { signingDate });
    assert.equal((await verifySigV4(request, lookup, IAM)).date.getTime(), signingDate.getTime());
  }
});

// ---------------------------------------------------------------------------------------------------
// Missing and malformed authentication

test('MissingAuthenticationToken: no Authorization header and no presigned parameters', async () => {
  await rejects(
    verifySigV4({ method: 'POST', path: '/', query: '', headers: { host: HOST }, body: Buffer.from('Action=ListRoles') }, lookup, IAM),
    'MissingAuthenticationToken',
    403,
    'Request is missing Authentication Token',
  );
});

const bare = (authorization: string, extra: Record<string, string> = { 'x-amz-date': '20261123T073000Z' }): SigV4Request => ({
  method: 'GET',
  path: '/',
  query: '',
  headers: { host: HOST, ...extra, authorization },
  body: Buffer.alloc(0),
});

test('IncompleteSignature: a bare token as Authorization header names every missing part', async () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
  await rejects(
    verifySigV4(bare(jwt, {}), lookup, IAM),
    'IncompleteSignature',
    400,
    "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
      "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either " +
      `a 'X-Amz-Date' or a 'Date' header. Authorization=${jwt}`,
  );
});

test('IncompleteSignature: a Bearer token is a part without an equal sign', async () => {
  await rejects(
    verifySigV4(bare('Bearer eyJhbGciOiJIUzI1NiJ9'), lookup, IAM),
    'IncompleteSignature',
    400,
    "'eyJhbGciOiJIUzI1NiJ9' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer eyJhbGciOiJIUzI1NiJ9'.",
  );
});

test('IncompleteSignature: a header without Signature', async () => {
  const header = `AWS4-HMAC-SHA256 Credential=${AKID}/20261123/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date`;
  await rejects(
    verifySigV4(bare(header), lookup, IAM),
    'IncompleteSignature',
    400,
    `Authorization header requires 'Signature' parameter. Authorization=${header}`,
  );
});

test('IncompleteSignature: a space after "Credential=" leaves a part without an equal sign', async () => {
  const header = `AWS4-HMAC-SHA256 Credential= ${AKID}/20261123/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;
  await rejects(
    verifySigV4(bare(header), lookup, IAM),
    'IncompleteSignature',
    400,
    `'${AKID}/20261123/us-east-1/iam/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
  );
});

test('IncompleteSignature: a credential without five parts', async () => {
  const header = `AWS4-HMAC-SHA256 Credential=${AKID}/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;
  await rejects(
    verifySigV4(bare(header), lookup, IAM),
    'IncompleteSignature',
    400,
    `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${AKID}/us-east-1/iam/aws4_request'`,
  );
});

test('IncompleteSignature: host must be signed', async () => {
  const header = `AWS4-HMAC-SHA256 Credential=${AKID}/20261123/us-east-1/iam/aws4_request, SignedHeaders=x-amz-date, Signature=abc`;
  await rejects(verifySigV4(bare(header), lookup, IAM), 'IncompleteSignature', 400, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
});

test('IncompleteSignature: another algorithm', async () => {
  const header = `AWS4-HMAC-SHA512 Credential=${AKID}/20261123/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;
  await rejects(verifySigV4(bare(header), lookup, IAM), 'IncompleteSignature', 400, "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'.");
});

test('IncompleteSignature: an X-Amz-Date that is not ISO 8601 basic format', async () => {
  const header = `AWS4-HMAC-SHA256 Credential=${AKID}/20261123/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;
  for (const date of ['2026-11-23T07:30:00Z', '20261323T073000Z']) {
    await rejects(
      verifySigV4(bare(header, { 'x-amz-date': date }), lookup, IAM),
      'IncompleteSignature',
      400,
      `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`,
    );
  }
});

/**
 * Property-based fuzzing of every parser that faces the network or a user: policy JSON, the Query and
 * JSON protocol decoders, SigV4 headers and presigned URLs, session tokens, web identity JWTs, YAML
 * manifests and AdmissionReview documents. Each property says: whatever the input, the parser answers
 * or throws its AWS-style error (nothing else); its work stays linear in the input (counted steps, never
 * wall time); and where a round trip exists, it comes back unchanged. The test suite runs each property
 * a few thousand times in all; `npm run fuzz` runs them as long as asked.
 */
import fc from 'fast-check';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignJWT, generateKeyPair } from 'jose';
import { stringify } from 'yaml';
import { AwsError } from '../../src/policy/errors.js';
import { evaluate } from '../../src/policy/index.js';
import { parsePolicy } from '../../src/policy/parse.js';
import { meterWork } from '../../src/policy/work-meter.js';
import { decodeJsonRequest } from '../../src/protocol/json-decode.js';
import { decodeQueryRequest, loadServiceModel } from '../../src/protocol/index.js';
import { verifySigV4 } from '../../src/auth/sigv4.js';
import { newSealingKey, SecretSealer } from '../../src/auth/secrets.js';
import { secretSealing } from '../../src/auth/server-keys.js';
import { openSessionToken, sealSessionClaims, type SessionClaims } from '../../src/sts/session-token.js';
import { readWebIdentityToken } from '../../src/sts/web-identity-token.js';
import { ManifestError, parseManifestText } from '../../src/declare/manifests.js';
import { reviewAdmission, type AdmissionContext } from '../../src/k8s/admission-review.js';
import { DEFAULT_MUTATION_SETTINGS } from '../../src/k8s/pod-mutation.js';
import { WebhookMetrics } from '../../src/k8s/webhook-metrics.js';

/** One fuzzed parser: `check(runs)` throws a counterexample on failure. */
export interface FuzzProperty {
  name: string;
  check(runs: number, seed?: number): Promise<void>;
}

/** Runs `work`; a thrown value must be an AwsError (or `allowed`), anything else is a finding. */
async function onlyAwsErrors(work: () => unknown, allowed?: (error: unknown) => boolean): Promise<unknown> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AwsError || allowed?.(error)) return undefined;
    throw new Error(`threw something other than an AWS error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}

function linear(steps: number, size: number, perUnit: number, what: string): void {
  if (steps > perUnit * (size + 1) + 64) throw new Error(`${what}: ${steps} steps for input size ${size}`);
}

const iam = loadServiceModel('iam');
const sts = loadServiceModel('sts');
const organizations = loadServiceModel('organizations');

const assertProperty = (property: fc.IAsyncProperty<unknown[]> | fc.IProperty<unknown[]>, runs: number, seed?: number) =>
  fc.assert(property as fc.IAsyncProperty<unknown[]>, { numRuns: runs, ...(seed === undefined ? {} : { seed }) });

// --- Policy JSON -----------------------------------------------------------------------------------------

const globChar = fc.constantFrom('a', 'b', '*', '?', ':', '/', '$', '{', '}', 'S');
const glob = fc.array(globChar, { maxLength: 24 }).map((c) => c.join(''));
const policyDocument = fc.record({
  Version: fc.constantFrom('2012-10-17', '2008-10-17'),
  Statement: fc.array(
    fc.record({
      Effect: fc.constantFrom('Allow', 'Deny'),
      Action: fc.oneof(glob.map((g) => `s3:${g}`), fc.constant('*')),
      Resource: fc.oneof(glob.map((g) => `arn:aws:s3:::${g}`), glob),
      Condition: fc.constantFrom(undefined, 'StringLike', 'ArnLike', 'ForAnyValue:StringNotLikeIfExists').map((op) => (op ? { [op]: { 'aws:PrincipalTag/t': ['a*b?*', '${aws:username}*'] } } : undefined)),
    }, { requiredKeys: ['Effect', 'Action', 'Resource'] }),
    { minLength: 1, maxLength: 4 },
  ),
});

const policyJson: FuzzProperty = {
  name: 'policy JSON: any text parses or gets MalformedPolicyDocument; evaluation of wildcard policies stays within pattern × value',
  async check(runs, seed) {
    await assertProperty(fc.asyncProperty(fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))), async (text) => {
      await onlyAwsErrors(() => parsePolicy(text));
    }), runs, seed);
    await assertProperty(fc.asyncProperty(policyDocument, glob, async (document, value) => {
      const resource = `arn:aws:s3:::${value}`;
      const { steps } = meterWork(() => onlyAwsErrors(() => evaluate({ request: { principal: 'arn:aws:iam::111122223333:user/u', action: `s3:${value}`, resource, context: { 'aws:PrincipalTag/t': value, 'aws:username': 'u' } }, identityPolicies: [{ document }] })));
      const patternSize = JSON.stringify(document).length;
      linear(steps, patternSize * (resource.length + 1), 4, 'policy evaluation');
    }), Math.ceil(runs / 2), seed);
  },
};

// --- Query and JSON protocol decoders ------------------------------------------------------------------

const segment = fc.oneof(fc.constantFrom('RoleName', 'Tags', 'member', 'Key', 'Value', 'PolicyArns', 'arn', 'entry', 'MaxSessionDuration', 'DurationSeconds', 'Path', '1', '2', '10', '01', ''), fc.string({ maxLength: 4 }));
const parameterName = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('.'));
const queryParams = fc.record({
  action: fc.constantFrom('CreateRole', 'TagRole', 'AssumeRole', 'AssumeRoleWithWebIdentity', 'ListRoles', 'Nope'),
  pairs: fc.array(fc.tuple(parameterName, fc.string({ maxLength: 12 })), { maxLength: 40 }),
});

const queryDecoder: FuzzProperty = {
  name: 'Query decoder: any parameters decode or get an AWS error, in steps linear in the parameter names',
  async check(runs, seed) {
    await assertProperty(fc.asyncProperty(queryParams, async ({ action, pairs }) => {
      const model = action.startsWith('Assume') ? sts : iam;
      const params = new URLSearchParams([['Action', action], ['Version', model.metadata.apiVersion], ...pairs]);
      const segments = pairs.reduce((sum, [name]) => sum + name.split('.').length, 2);
      const { steps } = meterWork(() => onlyAwsErrors(() => decodeQueryRequest(model, params)));
      linear(steps, segments, 4, 'Query decoding');
    }), runs, seed);
    // Round trip: tags encoded as the SDKs encode them decode to the same list.
    const tags = fc.array(fc.record({ Key: fc.string({ minLength: 1, maxLength: 8 }), Value: fc.string({ maxLength: 8 }) }), { maxLength: 12 });
    await assertProperty(fc.asyncProperty(tags, async (list) => {
      const params = new URLSearchParams({ Action: 'TagRole', Version: '2010-05-08', RoleName: 'r' });
      list.forEach((tag, i) => {
        params.append(`Tags.member.${i + 1}.Key`, tag.Key);
        params.append(`Tags.member.${i + 1}.Value`, tag.Value);
      });
      const decoded = decodeQueryRequest(iam, new URLSearchParams(params.toString())).input;
      const expected = list.length === 0 ? undefined : list;
      if (JSON.stringify(decoded.Tags) !== JSON.stringify(expected)) throw new Error(`round trip: ${JSON.stringify(list)} -> ${JSON.stringify(decoded.Tags)}`);
    }), Math.ceil(runs / 4), seed);
  },
};

const jsonDecoder: FuzzProperty = {
  name: 'JSON decoder: any body decodes or gets an AWS error, in steps linear in the JSON values',
  async check(runs, seed) {
    const body = fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.record({ ResourceId: fc.jsonValue(), Tags: fc.jsonValue(), Name: fc.jsonValue() }).map((v) => JSON.stringify(v)));
    const target = fc.constantFrom('AWSOrganizationsV20161128.TagResource', 'AWSOrganizationsV20161128.CreatePolicy', 'AWSOrganizationsV20161128.ListAccounts', 'Nope.Nope');
    await assertProperty(fc.asyncProperty(target, body, async (t, text) => {
      const { steps } = meterWork(() => onlyAwsErrors(() => decodeJsonRequest(organizations, t, text)));
      linear(steps, text.length, 1, 'JSON decoding');
    }), runs, seed);
  },
};

// --- SigV4 ---------------------------------------------------------------------------------------------

const CREDENTIALS = { accessKeyId: 'AKIAFUZZFUZZFUZZFUZZ', secretAccessKey: 'fuzz/secret/key/fuzz/secret/key/fuzz+key' };
const lookupSecret = async (id: string) => (id === CREDENTIALS.accessKeyId ? CREDENTIALS.secretAccessKey : undefined);
const signer = new SignatureV4({ credentials: CREDENTIALS, region: 'us-east-1', service: 'iam', sha256: Sha256 });
const queryText = fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ maxLength: 6 })), { maxLength: 5 });

const sigv4: FuzzProperty = {
  name: 'SigV4: random Authorization headers and presigned queries get AWS errors; requests the AWS SDK signer signs (header and presigned) verify',
  async check(runs, seed) {
    const authorization = fc.oneof(
      fc.string(),
      fc.tuple(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), fc.string({ maxLength: 70 })).map(
        ([credential, headers, signature]) => `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${headers}, Signature=${signature}`,
      ),
    );
    await assertProperty(fc.asyncProperty(authorization, fc.string({ maxLength: 40 }), async (header, query) => {
      await onlyAwsErrors(() => verifySigV4({ method: 'POST', path: '/', query, headers: { host: 'h', authorization: header, 'x-amz-date': '20261205T000000Z' }, body: Buffer.alloc(0) }, lookupSecret));
      await onlyAwsErrors(() => verifySigV4({ method: 'GET', path: '/', query: `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${query}&X-Amz-Signature=${header.slice(0, 64)}`, headers: { host: 'h' }, body: Buffer.alloc(0) }, lookupSecret));
    }), runs, seed);
    await assertProperty(fc.asyncProperty(queryText, fc.string({ maxLength: 40 }), fc.boolean(), async (pairs, body, presign) => {
      const query = Object.fromEntries(pairs);
      const request = { method: presign ? 'GET' : 'POST', protocol: 'http:', hostname: 'h', path: '/', query, headers: { host: 'h' }, body: presign ? undefined : body };
      const signed = presign ? await signer.presign(request, { signingDate: new Date() }) : await signer.sign(request, { signingDate: new Date() });
      const rawQuery = Object.entries(signed.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
      const verified = await verifySigV4({ method: signed.method, path: '/', query: rawQuery, headers: signed.headers as Record<string, string>, body: Buffer.from(presign ? '' : body) }, lookupSecret);
      if (verified.accessKeyId !== CREDENTIALS.accessKeyId) throw new Error('round trip: signed request not verified');
    }), Math.ceil(runs / 4), seed);
  },
};

// --- Session tokens ------------------------------------------------------------------------------------

const sealing = secretSealing(new SecretSealer([newSealingKey('k1')]));
const sessionTokens: FuzzProperty = {
  name: 'session tokens: any token text gets InvalidClientTokenId/ExpiredToken; sealed claims open to themselves',
  async check(runs, seed) {
    await assertProperty(fc.asyncProperty(fc.oneof(fc.string(), fc.base64String(), fc.stringMatching(/^[A-Za-z0-9_-]{0,200}$/)), async (token) => {
      await onlyAwsErrors(() => openSessionToken(sealing, 'ASIAFUZZ', token, new Date()));
    }), runs, seed);
    await assertProperty(fc.asyncProperty(fc.string({ maxLength: 32 }), fc.string({ maxLength: 64 }), async (sessionName, secret) => {
      const claims = { v: 1, principal: 'role', issuedBy: 'AssumeRole', accessKeyId: 'ASIAFUZZ', secretAccessKey: secret, account: '111122223333', arn: `arn:aws:sts::111122223333:assumed-role/r/${sessionName}`, userId: `AROAX:${sessionName}`, issuedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 3_600_000).toISOString() } as unknown as SessionClaims;
      const opened = openSessionToken(sealing, 'ASIAFUZZ', sealSessionClaims(sealing, claims), new Date());
      if (JSON.stringify(opened) !== JSON.stringify(claims)) throw new Error('round trip: claims changed');
    }), Math.ceil(runs / 4), seed);
  },
};

// --- Web identity JWTs ---------------------------------------------------------------------------------

const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const webIdentityJwts: FuzzProperty = {
  name: 'web identity JWTs: any compact text gets InvalidIdentityToken; tokens jose signs read back their claims',
  async check(runs, seed) {
    const part = fc.oneof(fc.string({ maxLength: 20 }).map(base64url), fc.jsonValue({ maxDepth: 2 }).map(base64url), fc.stringMatching(/^[A-Za-z0-9_-]{0,20}$/));
    const compact = fc.oneof(fc.string(), fc.tuple(part, part, part).map((p) => p.join('.')), fc.record({ alg: fc.constantFrom('RS256', 'none', 'HS256', 'ES256'), crit: fc.constantFrom(undefined, ['b64']) }).map((h) => `${base64url(h)}.${base64url({ sub: 'x' })}.sig`));
    await assertProperty(fc.asyncProperty(compact, async (text) => {
      await onlyAwsErrors(() => readWebIdentityToken(text));
    }), runs, seed);
    const { privateKey } = await generateKeyPair('RS256');
    await assertProperty(fc.asyncProperty(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !['iat', 'exp', 'nbf'].includes(k)), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 5 }), async (claims) => {
      const token = await new SignJWT(claims as Record<string, unknown>).setProtectedHeader({ alg: 'RS256', kid: 'k' }).sign(privateKey);
      const read = readWebIdentityToken(token);
      if (JSON.stringify(read.claims) !== JSON.stringify(JSON.parse(JSON.stringify(claims)))) throw new Error('round trip: claims changed');
    }), Math.max(10, Math.ceil(runs / 20)), seed);
  },
};

// --- YAML manifests ------------------------------------------------------------------------------------

const yamlManifests: FuzzProperty = {
  name: 'YAML manifests: any text parses or gets a ManifestError; mappings written as YAML read back unchanged',
  async check(runs, seed) {
    const yamlish = fc.array(fc.constantFrom('a: 1\n', '- x\n', '---\n', 'kind: List\nitems: [1]\n', '&a [*a]\n', '{', '"', 'k: !!binary x\n', '  b: c\n', 'key: *ref\n'), { maxLength: 8 }).map((p) => p.join(''));
    await assertProperty(fc.asyncProperty(fc.oneof(fc.string(), yamlish), async (text) => {
      await onlyAwsErrors(() => parseManifestText(text, 'fuzz.yaml'), (error) => error instanceof ManifestError);
    }), runs, seed);
    const mapping = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 5 });
    await assertProperty(fc.asyncProperty(mapping, async (object) => {
      const plain = JSON.parse(JSON.stringify(object)) as Record<string, unknown>;
      if (plain.kind === 'List') return;
      const [document] = parseManifestText(stringify(plain), 'fuzz.yaml');
      if (JSON.stringify(document?.object) !== JSON.stringify(plain)) throw new Error(`round trip: ${JSON.stringify(plain)} -> ${JSON.stringify(document?.object)}`);
    }), Math.ceil(runs / 4), seed);
  },
};

// --- AdmissionReview -----------------------------------------------------------------------------------

const admissionContext: AdmissionContext = {
  settings: DEFAULT_MUTATION_SETTINGS,
  serviceAccounts: { annotations: async () => ({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/r' }), close: async () => undefined },
  podIdentity: undefined,
  metrics: new WebhookMetrics(),
  randomInteger: () => 86400,
  log: () => undefined,
  lookupTimeoutMs: 1000,
};

const admissionReviews: FuzzProperty = {
  name: 'AdmissionReview: any JSON document gets an AdmissionReview answer carrying the request uid, never an exception',
  async check(runs, seed) {
    const review = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record({ apiVersion: fc.jsonValue({ maxDepth: 0 }), kind: fc.jsonValue({ maxDepth: 0 }), request: fc.record({ uid: fc.jsonValue({ maxDepth: 0 }), namespace: fc.jsonValue({ maxDepth: 0 }), object: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ metadata: fc.jsonValue({ maxDepth: 2 }), spec: fc.record({ serviceAccountName: fc.jsonValue({ maxDepth: 0 }), containers: fc.array(fc.record({ name: fc.jsonValue({ maxDepth: 0 }), env: fc.jsonValue({ maxDepth: 2 }), volumeMounts: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }), { maxLength: 3 }), volumes: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }) }, { requiredKeys: [] })) }, { requiredKeys: [] }) }, { requiredKeys: [] }),
    );
    await assertProperty(fc.asyncProperty(review, async (body) => {
      const answer = await reviewAdmission(body, admissionContext);
      const response = answer.response as { uid?: unknown } | undefined;
      if (typeof response?.uid !== 'string') throw new Error(`answer without a response uid: ${JSON.stringify(answer)}`);
    }), runs, seed);
  },
};

/** Every fuzzed parser, cheapest first. */
export const FUZZ_PROPERTIES: readonly FuzzProperty[] = [policyJson, queryDecoder, jsonDecoder, sigv4, sessionTokens, webIdentityJwts, yamlManifests, admissionReviews];

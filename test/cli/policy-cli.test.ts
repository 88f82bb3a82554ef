/**
 * `rolecall policy eval` and `rolecall policy validate`, end to end: the built CLI is spawned with real
 * stdin and stdout, exactly as a user or a CI pipeline runs it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

const ACCOUNT = '111122223333';
const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;
const OBJECT = 'arn:aws:s3:::reports/2024/q1.csv';

interface LineError {
  code: string;
  message: string;
  policy?: string;
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], stdin = ''): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Runs `policy eval` over the given lines and parses its output lines. */
async function evalLines(lines: Array<object | string>, args: string[] = []): Promise<Array<Record<string, unknown>>> {
  const stdin = lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n';
  const run = await runCli(['policy', 'eval', ...args], stdin);
  assert.equal(run.code, 0, run.stderr);
  const output = run.stdout.split('\n');
  assert.equal(output.pop(), '', 'output ends with a newline');
  return output.map((line) => JSON.parse(line) as Record<string, unknown>);
}

const readReports = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'ReadReports', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' }],
};

const denyDeletes = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Everything', Effect: 'Allow', Action: 's3:*', Resource: '*' },
    { Sid: 'NoDeletes', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
  ],
};

const readFromOffice = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    },
  ],
};

function bobRequest(action: string, context?: Record<string, unknown>): Record<string, unknown> {
  return { principal: BOB, action, resource: OBJECT, resourceAccount: ACCOUNT, ...(context ? { context } : {}) };
}

test('eval: an identity Allow decides Allow and names the allowing statement (reference_policies_evaluation-logic.html)', async () => {
  const [result] = await evalLines([{ request: bobRequest('s3:GetObject'), identityPolicies: [{ name: 'read', document: readReports }] }]);
  assert.equal(result!.decision, 'Allow');
  assert.deepEqual(result!.missingContextKeys, []);
  const decisive = result!.decisive as Array<Record<string, unknown>>;
  assert.equal(decisive.length, 1);
  assert.equal(decisive[0]!.policyType, 'identity');
  assert.equal(decisive[0]!.policyName, 'read');
  assert.equal(decisive[0]!.sid, 'ReadReports');
  assert.equal(decisive[0]!.effect, 'Allow');
  assert.equal('explain' in result!, false, 'no explain without --explain');
});

test('eval: an explicit Deny overrides an Allow and is reported as ExplicitDeny (reference_policies_evaluation-logic_policy-eval-denyallow.html)', async () => {
  const [result] = await evalLines([{ request: bobRequest('s3:DeleteObject'), identityPolicies: [{ name: 'no-deletes', document: denyDeletes }] }]);
  assert.equal(result!.decision, 'ExplicitDeny');
  const decisive = result!.decisive as Array<Record<string, unknown>>;
  assert.deepEqual(
    decisive.map((ref) => [ref.policyType, ref.sid, ref.effect]),
    [['identity', 'NoDeletes', 'Deny']],
  );
});

test('eval: no applicable Allow is an ImplicitDeny with no deciding statement (reference_policies_evaluation-logic.html)', async () => {
  const [result] = await evalLines([{ request: bobRequest('s3:PutObject'), identityPolicies: [{ name: 'read', document: readReports }] }]);
  assert.equal(result!.decision, 'ImplicitDeny');
  assert.deepEqual(result!.decisive, []);
});

test('eval: a condition key the request lacks is reported in missingContextKeys; given, it allows (reference_policies_elements_condition.html)', async () => {
  const policies = [{ name: 'office', document: readFromOffice }];
  const [missing, inside, outside] = await evalLines([
    { request: bobRequest('s3:GetObject'), identityPolicies: policies },
    { request: bobRequest('s3:GetObject', { 'aws:SourceIp': '10.1.2.3' }), identityPolicies: policies },
    { request: bobRequest('s3:GetObject', { 'aws:SourceIp': '192.0.2.1' }), identityPolicies: policies },
  ]);
  assert.equal(missing!.decision, 'ImplicitDeny');
  assert.deepEqual(missing!.missingContextKeys, ['aws:SourceIp']);
  assert.equal(inside!.decision, 'Allow');
  assert.deepEqual(inside!.missingContextKeys, []);
  assert.equal(outside!.decision, 'ImplicitDeny');
  assert.deepEqual(outside!.missingContextKeys, []);
});

test('eval: multivalued context keys arrive as arrays (reference_policies_condition-single-vs-multi-valued-context-keys.html)', async () => {
  const teamOnly = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { 'ForAnyValue:StringEquals': { 'aws:PrincipalTag/team': ['analytics'] } },
      },
    ],
  };
  const [member, other] = await evalLines([
    { request: bobRequest('s3:GetObject', { 'aws:PrincipalTag/team': ['web', 'analytics'] }), identityPolicies: [teamOnly] },
    { request: bobRequest('s3:GetObject', { 'aws:PrincipalTag/team': ['web'] }), identityPolicies: [teamOnly] },
  ]);
  assert.equal(member!.decision, 'Allow');
  assert.equal(other!.decision, 'ImplicitDeny');
});

test('eval: a policy may be wrapped with a name, given bare, or given as a JSON string — same decision (reference_policies_grammar.html)', async () => {
  const results = await evalLines([
    { request: bobRequest('s3:GetObject'), identityPolicies: [{ name: 'read', document: readReports }] },
    { request: bobRequest('s3:GetObject'), identityPolicies: [readReports] },
    { request: bobRequest('s3:GetObject'), identityPolicies: [{ name: 'read', document: JSON.stringify(readReports) }] },
  ]);
  assert.deepEqual(
    results.map((result) => result.decision),
    ['Allow', 'Allow', 'Allow'],
  );
  const names = results.map((result) => (result.decisive as Array<Record<string, unknown>>)[0]!.policyName);
  assert.deepEqual(names, ['read', undefined, 'read']);
});

test('eval: a permissions boundary never grants; effective permissions are the intersection (access_policies_boundaries.html)', async () => {
  const boundaryWithoutS3 = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] };
  const [result] = await evalLines([
    { request: bobRequest('s3:GetObject'), identityPolicies: [readReports], permissionsBoundary: { name: 'ec2-only', document: boundaryWithoutS3 } },
  ]);
  assert.equal(result!.decision, 'ImplicitDeny');
});

test('eval: a role trust policy naming the caller allows sts:AssumeRole without an identity policy (API_AssumeRole.html)', async () => {
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: BOB }, Action: 'sts:AssumeRole' }],
  };
  const request = { principal: BOB, action: 'sts:AssumeRole', resource: `arn:aws:iam::${ACCOUNT}:role/deployer` };
  const [trusted, notNamed] = await evalLines([
    { request, resourcePolicy: { name: 'trust', document: trust }, resourcePolicyKind: 'trust' },
    { request: { ...request, principal: `arn:aws:iam::${ACCOUNT}:user/eve` }, resourcePolicy: trust, resourcePolicyKind: 'trust' },
  ]);
  assert.equal(trusted!.decision, 'Allow');
  assert.equal(notNamed!.decision, 'ImplicitDeny');
});

test('eval: every SCP level must allow; a level without an Allow denies (orgs_manage_policies_scps_evaluation.html)', async () => {
  const fullAccess = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  const ec2Only = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] };
  const [allowedEverywhere, blockedAtOu] = await evalLines([
    { request: bobRequest('s3:GetObject'), identityPolicies: [readReports], serviceControlPolicies: [[fullAccess], [fullAccess]], managementAccount: '999999999999' },
    { request: bobRequest('s3:GetObject'), identityPolicies: [readReports], serviceControlPolicies: [[fullAccess], [ec2Only]], managementAccount: '999999999999' },
  ]);
  assert.equal(allowedEverywhere!.decision, 'Allow');
  assert.equal(blockedAtOu!.decision, 'ImplicitDeny');
});

test('eval: an invalid policy yields MalformedPolicyDocument on its line and the stream goes on (API_PutUserPolicy.html)', async () => {
  const withPrincipal = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }],
  };
  const [before, invalid, after] = await evalLines([
    { request: bobRequest('s3:GetObject'), identityPolicies: [readReports] },
    { request: bobRequest('s3:GetObject'), identityPolicies: [readReports, { name: 'bad', document: withPrincipal }] },
    { request: bobRequest('s3:GetObject'), identityPolicies: [readReports] },
  ]);
  assert.equal(before!.decision, 'Allow');
  const error = invalid!.error as LineError;
  assert.equal(error.code, 'MalformedPolicyDocument');
  assert.match(error.message, /principal/i);
  assert.equal(error.policy, 'identityPolicies[1]');
  assert.equal('decision' in invalid!, false);
  assert.equal(after!.decision, 'Allow');
});

test('eval: each policy is validated for its kind — a Principal is required in a resource or key policy, forbidden in an SCP; a trust policy takes no Resource (reference_policies_elements_principal.html)', async () => {
  const noPrincipal = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECT }] };
  const trustWithResource = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: BOB }, Action: 'sts:AssumeRole', Resource: '*' }],
  };
  const [resourceLine, scpLine, keyLine, trustLine] = await evalLines([
    { request: bobRequest('s3:GetObject'), resourcePolicy: noPrincipal },
    {
      request: bobRequest('s3:GetObject'),
      identityPolicies: [readReports],
      serviceControlPolicies: [[{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }]],
    },
    { request: { principal: BOB, action: 'kms:Decrypt', resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k1` }, resourcePolicy: noPrincipal, resourcePolicyKind: 'key' },
    { request: { principal: BOB, action: 'sts:AssumeRole', resource: `arn:aws:iam::${ACCOUNT}:role/r` }, resourcePolicy: trustWithResource, resourcePolicyKind: 'trust' },
  ]);
  assert.deepEqual(
    [(resourceLine!.error as LineError).code, (resourceLine!.error as LineError).policy],
    ['MalformedPolicyDocument', 'resourcePolicy'],
  );
  assert.deepEqual(
    [(scpLine!.error as LineError).code, (scpLine!.error as LineError).policy],
    ['MalformedPolicyDocument', 'serviceControlPolicies[0][0]'],
  );
  assert.deepEqual(keyLine!.error, resourceLine!.error, 'a key policy is validated as a resource-based policy');
  const trustError = trustLine!.error as LineError;
  assert.deepEqual([trustError.code, trustError.policy], ['MalformedPolicyDocument', 'resourcePolicy']);
  assert.match(trustError.message, /Resource/);
});

test('eval: the size quota is not checked per line — documents are judged on grammar only (reference_iam-quotas.html)', async () => {
  const manyResources = Array.from({ length: 400 }, (_, i) => `arn:aws:s3:::reports/part-${i}-padding-to-make-this-long`);
  const oversized = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: [...manyResources, 'arn:aws:s3:::reports/*'] }] };
  assert.ok(JSON.stringify(oversized).length > 6144);
  const [result] = await evalLines([{ request: bobRequest('s3:GetObject'), identityPolicies: [oversized] }]);
  assert.equal(result!.decision, 'Allow');
});

test('eval: bad JSON and missing request fields yield InvalidInput naming the line; blank lines are skipped', async () => {
  const results = await evalLines([
    '{"request": {',
    '',
    { identityPolicies: [readReports] },
    '   ',
    { request: { principal: BOB, resource: OBJECT } },
    { request: bobRequest('s3:GetObject'), identityPolicy: [readReports] },
    '[1,2]',
    { request: bobRequest('s3:GetObject'), identityPolicies: [readReports] },
  ]);
  assert.equal(results.length, 6, 'one output line per non-blank input line');
  const errors = results.slice(0, 5).map((result) => result.error as LineError);
  assert.deepEqual(
    errors.map((error) => error.code),
    ['InvalidInput', 'InvalidInput', 'InvalidInput', 'InvalidInput', 'InvalidInput'],
  );
  assert.match(errors[0]!.message, /^line 1: not valid JSON/);
  assert.match(errors[1]!.message, /^line 3: request is required/);
  assert.match(errors[2]!.message, /^line 5: request\.action is required/);
  assert.match(errors[3]!.message, /^line 6: .*"identityPolicy"/);
  assert.match(errors[4]!.message, /^line 7: the line must be a JSON object/);
  assert.equal(results[5]!.decision, 'Allow');
});

test('eval: a CRLF stream and a last line without a newline are both read', async () => {
  const line = JSON.stringify({ request: bobRequest('s3:GetObject'), identityPolicies: [readReports] });
  const run = await runCli(['policy', 'eval'], `${line}\r\n${line}`);
  assert.equal(run.code, 0, run.stderr);
  const decisions = run.stdout.trimEnd().split('\n').map((output) => (JSON.parse(output) as { decision: string }).decision);
  assert.deepEqual(decisions, ['Allow', 'Allow']);
});

test('eval: a long stream is answered line for line, in order (reference_policies_evaluation-logic.html)', async () => {
  const actions = Array.from({ length: 3000 }, (_, i) => ['s3:GetObject', 's3:DeleteObject', 's3:PutObject'][i % 3]!);
  const results = await evalLines(
    actions.map((action) => ({ request: bobRequest(action), identityPolicies: [readReports, { name: 'no-deletes', document: denyDeletes }] })),
  );
  assert.equal(results.length, actions.length);
  const expected = { 's3:GetObject': 'Allow', 's3:DeleteObject': 'ExplicitDeny', 's3:PutObject': 'Allow' } as Record<string, string>;
  results.forEach((result, i) => assert.equal(result.decision, expected[actions[i]!], `line ${i + 1}`));
});

test('eval --explain: adds a summary and per-statement matches; denials name the deciding policy type (reference_policies_evaluation-logic.html)', async () => {
  const [allowed, denied] = await evalLines(
    [
      { request: bobRequest('s3:GetObject'), identityPolicies: [{ name: 'read', document: readReports }] },
      { request: bobRequest('s3:DeleteObject'), identityPolicies: [{ name: 'no-deletes', document: denyDeletes }] },
    ],
    ['--explain'],
  );
  const allowExplain = allowed!.explain as { summary: string; statements: Array<Record<string, unknown>> };
  assert.equal(allowed!.decision, 'Allow');
  assert.equal(typeof allowExplain.summary, 'string');
  assert.ok(allowExplain.summary.length > 0);
  const readStatement = allowExplain.statements.find((statement) => statement.sid === 'ReadReports');
  assert.ok(readStatement, 'the allowing statement is explained');
  assert.equal(readStatement.applies, true);
  assert.equal((readStatement.action as { matched: boolean }).matched, true);

  const denyExplain = denied!.explain as { deniedBy?: string; statements: Array<Record<string, unknown>> };
  assert.equal(denied!.decision, 'ExplicitDeny');
  assert.equal(denyExplain.deniedBy, 'identity');
  const noDeletes = denyExplain.statements.find((statement) => statement.sid === 'NoDeletes');
  assert.equal(noDeletes?.applies, true);
});

test('eval: unknown options and arguments are usage errors (exit 2)', async () => {
  const option = await runCli(['policy', 'eval', '--verbose']);
  assert.equal(option.code, 2);
  assert.match(option.stderr, /unknown option '--verbose'/);
  const argument = await runCli(['policy', 'eval', 'requests.jsonl']);
  assert.equal(argument.code, 2);
  assert.match(argument.stderr, /read from stdin/);
});

test('validate: a valid identity policy prints "valid" and exits 0 (access_policies_create.html)', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'rolecall-validate-'));
  try {
    const file = join(directory, 'read.json');
    await writeFile(file, JSON.stringify(readReports));
    const run = await runCli(['policy', 'validate', file, '--kind', 'identity']);
    assert.deepEqual([run.code, run.stdout], [0, 'valid\n']);
    const equalsForm = await runCli(['policy', 'validate', '--kind=identity', file]);
    assert.deepEqual([equalsForm.code, equalsForm.stdout], [0, 'valid\n']);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});

test('validate: an invalid document prints "CODE: message" as AWS does and exits 1 (API_CreatePolicy.html)', async () => {
  const withPrincipal = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: BOB }, Action: 's3:GetObject', Resource: '*' }],
  });
  const identity = await runCli(['policy', 'validate', '-', '--kind', 'identity'], withPrincipal);
  assert.equal(identity.code, 1);
  assert.match(identity.stdout, /^MalformedPolicyDocument: .*principal.*\n$/i);
  const resource = await runCli(['policy', 'validate', '-', '--kind', 'resource'], withPrincipal);
  assert.deepEqual([resource.code, resource.stdout], [0, 'valid\n']);
  const notJson = await runCli(['policy', 'validate', '-', '--kind', 'identity'], '{"Statement": [');
  assert.equal(notJson.code, 1);
  assert.match(notJson.stdout, /^MalformedPolicyDocument: /);
});

test('validate: the size quota applies — an identity policy over 6,144 characters is refused (reference_iam-quotas.html)', async () => {
  const manyResources = Array.from({ length: 400 }, (_, i) => `arn:aws:s3:::reports/part-${i}-padding-to-make-this-long`);
  const oversized = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: manyResources }] });
  const run = await runCli(['policy', 'validate', '-', '--kind', 'identity'], oversized);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^(LimitExceeded|MalformedPolicyDocument): /);
});

test('validate: usage errors exit 2 — missing FILE or --kind, unknown kind, unreadable file', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['policy', 'validate', '--kind', 'identity'], /FILE is required/],
    [['policy', 'validate', 'policy.json'], /--kind is required/],
    [['policy', 'validate', 'policy.json', '--kind', 'bucket'], /unknown kind 'bucket'/],
    [['policy', 'validate', 'policy.json', '--kind'], /needs a value/],
    [['policy', 'validate', join(tmpdir(), 'rolecall-no-such-file.json'), '--kind', 'identity'], /cannot read/],
  ];
  for (const [args, message] of cases) {
    const run = await runCli(args);
    assert.equal(run.code, 2, args.join(' '));
    assert.match(run.stderr, message);
    assert.equal(run.stdout, '');
  }
});

test('help: rolecall, rolecall policy and each subcommand describe their usage', async () => {
  const top = await runCli(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /rolecall policy eval \[--explain\]/);
  assert.match(top.stdout, /rolecall policy validate FILE --kind/);
  const policy = await runCli(['policy', '--help']);
  assert.equal(policy.code, 0);
  assert.match(policy.stdout, /eval \[--explain\]/);
  assert.match(policy.stdout, /identity\|resource\|trust\|scp\|rcp\|boundary\|session/);
  const evalHelp = await runCli(['policy', 'eval', '--help']);
  assert.deepEqual([evalHelp.code, evalHelp.stdout.startsWith('Usage: rolecall policy eval')], [0, true]);
  const validateHelp = await runCli(['policy', 'validate', '--help']);
  assert.deepEqual([validateHelp.code, validateHelp.stdout.startsWith('Usage: rolecall policy validate')], [0, true]);
  const missing = await runCli(['policy']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /a subcommand is required/);
  const unknown = await runCli(['policy', 'simulate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown subcommand 'simulate'/);
});

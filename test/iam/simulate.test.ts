// SimulatePrincipalPolicy and SimulateCustomPolicy over a real (in-memory) SQLite store, with entities
// created through the IAM operations; each test names the AWS page whose behaviour it checks
// (API_SimulatePrincipalPolicy.html, API_SimulateCustomPolicy.html, API_EvaluationResult.html,
// API_Statement.html, access_policies_testing-policies.html) or the seed it replays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { SecretSealer, newSealingKey } from '../../src/auth/secrets.js';
import { secretSealing } from '../../src/auth/server-keys.js';
import { AwsError } from '../../src/model/errors.js';
import type { Caller, OperationContext } from '../../src/iam/operation.js';
import { createRole, putRolePermissionsBoundary } from '../../src/iam/roles.js';
import { createUser } from '../../src/iam/users.js';
import { addUserToGroup, createGroup } from '../../src/iam/groups.js';
import { createPolicy } from '../../src/iam/managed-policies.js';
import { attachGroupPolicy, attachRolePolicy, attachUserPolicy } from '../../src/iam/attachments.js';
import { putGroupPolicy, putRolePolicy, putUserPolicy } from '../../src/iam/inline-policies.js';
import { getAwsManagedPolicy } from '../../src/iam/aws-managed-policies.js';
import {
  simulateCustomPolicy,
  simulatePrincipalPolicy,
  statementSpans,
  type ContextEntry,
  type EvaluationResult,
  type SimulateCustomPolicyInput,
  type SimulatePrincipalPolicyInput,
} from '../../src/iam/simulate.js';

const SEED_ACCOUNT = '012345678901';
const OTHER_ACCOUNT = '210987654321';
const NOW = new Date('2024-05-01T12:00:00.000Z');
const SECRETS = secretSealing(new SecretSealer([newSealingKey('test')]));

function rootOf(account: string): Caller {
  return { accountId: account, arn: `arn:aws:iam::${account}:root`, kind: 'root', userId: account, accessKeyId: 'AKIAROOTROOTROOTROOT' };
}

function setup(account = SEED_ACCOUNT): OperationContext {
  return {
    store: new SqliteStore(':memory:'),
    secrets: SECRETS,
    caller: rootOf(account),
    accountId: account,
    requestId: 'req-1',
    now: NOW,
    region: 'us-east-1',
    sourceIp: '192.0.2.10',
  };
}

async function rejectsWith(promise: Promise<unknown>, code: string, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AwsError, `expected an AwsError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

function principal(context: OperationContext, input: Partial<SimulatePrincipalPolicyInput> & Pick<SimulatePrincipalPolicyInput, 'PolicySourceArn' | 'ActionNames'>) {
  return simulatePrincipalPolicy.execute(context, input);
}

function custom(context: OperationContext, input: Partial<SimulateCustomPolicyInput> & Pick<SimulateCustomPolicyInput, 'PolicyInputList' | 'ActionNames'>) {
  return simulateCustomPolicy.execute(context, input);
}

function resultFor(results: EvaluationResult[], action: string, resource?: string): EvaluationResult {
  const found = results.find((result) => result.EvalActionName === action && (resource === undefined || result.EvalResourceName === resource));
  assert.ok(found, `no result for ${action} ${resource ?? ''}`);
  return found;
}

const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const TRUST_EKS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

// The seed 003 identity policy, as printed there (two-space indentation). The seed's policy names
// my-app-bucket while its simulate-principal-policy example asks about my-bucket; the bucket is the
// example's here so that the two snippets meet.
const SEED_POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:PutObject"
      ],
      "Resource": "arn:aws:s3:::my-bucket/*",
      "Condition": {
        "StringEquals": {
          "s3:prefix": ["uploads/", "exports/"]
        }
      }
    },
    {
      "Effect": "Deny",
      "Action": "s3:DeleteObject",
      "Resource": "arn:aws:s3:::my-bucket/*"
    }
  ]
}`;

const PAYMENTS_ROLE = `arn:aws:iam::${SEED_ACCOUNT}:role/PaymentsApiRole`;
const SEED_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];
const SEED_RESOURCE = 'arn:aws:s3:::my-bucket/*';

async function paymentsRole(context: OperationContext): Promise<void> {
  await createRole.execute(context, { RoleName: 'PaymentsApiRole', AssumeRolePolicyDocument: TRUST_EKS });
  await putRolePolicy.execute(context, { RoleName: 'PaymentsApiRole', PolicyName: 'PaymentsS3Access', PolicyDocument: SEED_POLICY });
}

test('seed 003: simulate-principal-policy on PaymentsApiRole reports the missing s3:prefix and the explicit Deny', async () => {
  const context = setup();
  await paymentsRole(context);
  const output = await principal(context, { PolicySourceArn: PAYMENTS_ROLE, ActionNames: SEED_ACTIONS, ResourceArns: [SEED_RESOURCE] });

  assert.equal(output.IsTruncated, false);
  assert.deepEqual(
    output.EvaluationResults.map((result) => [result.EvalActionName, result.EvalResourceName, result.EvalDecision]),
    [
      ['s3:GetObject', SEED_RESOURCE, 'implicitDeny'],
      ['s3:PutObject', SEED_RESOURCE, 'implicitDeny'],
      ['s3:DeleteObject', SEED_RESOURCE, 'explicitDeny'],
    ],
  );
  const get = resultFor(output.EvaluationResults, 's3:GetObject');
  assert.deepEqual(get.MatchedStatements, []);
  // With resources named, the missing keys are listed per resource (API_EvaluationResult.html).
  assert.deepEqual(get.MissingContextValues, []);
  assert.deepEqual(get.ResourceSpecificResults, [
    { EvalResourceName: SEED_RESOURCE, EvalResourceDecision: 'implicitDeny', MatchedStatements: [], MissingContextValues: ['s3:prefix'] },
  ]);
  assert.deepEqual(get.EvalDecisionDetails, {}, 'same account with a named resource: present but empty');
  assert.deepEqual(get.OrganizationsDecisionDetail, { AllowedByOrganizations: true });
  assert.equal(get.PermissionsBoundaryDecisionDetail, undefined, 'the role has no boundary');

  const remove = resultFor(output.EvaluationResults, 's3:DeleteObject');
  // The Deny is the second statement: it starts where the first one ends (line 16, past its `}`).
  const denyStatement = {
    SourcePolicyId: 'role_PaymentsApiRole_PaymentsS3Access',
    SourcePolicyType: 'IAM Policy',
    StartPosition: { Line: 16, Column: 6 },
    EndPosition: { Line: 21, Column: 6 },
  };
  assert.deepEqual(remove.MatchedStatements, [denyStatement]);
  assert.deepEqual(remove.ResourceSpecificResults?.[0]?.MatchedStatements, [denyStatement]);
  assert.deepEqual(remove.ResourceSpecificResults?.[0]?.MissingContextValues, []);
});

test('seed 003: with s3:prefix in the context GetObject and PutObject are allowed; DeleteObject stays denied', async () => {
  const context = setup();
  await paymentsRole(context);
  const output = await principal(context, {
    PolicySourceArn: PAYMENTS_ROLE,
    ActionNames: SEED_ACTIONS,
    ResourceArns: [SEED_RESOURCE],
    ContextEntries: [{ ContextKeyName: 's3:prefix', ContextKeyValues: ['uploads/'], ContextKeyType: 'string' }],
  });
  const allowStatement = {
    SourcePolicyId: 'role_PaymentsApiRole_PaymentsS3Access',
    SourcePolicyType: 'IAM Policy',
    // Line 3 is `  "Statement": [`: the first statement starts just past the `[` (API_Statement.html positions).
    StartPosition: { Line: 3, Column: 17 },
    EndPosition: { Line: 16, Column: 6 },
  };
  for (const action of ['s3:GetObject', 's3:PutObject']) {
    const result = resultFor(output.EvaluationResults, action);
    assert.equal(result.EvalDecision, 'allowed');
    assert.deepEqual(result.MatchedStatements, [allowStatement]);
    assert.deepEqual(result.ResourceSpecificResults?.[0]?.MissingContextValues, []);
  }
  assert.equal(resultFor(output.EvaluationResults, 's3:DeleteObject').EvalDecision, 'explicitDeny');

  const otherPrefix = await principal(context, {
    PolicySourceArn: PAYMENTS_ROLE,
    ActionNames: ['s3:GetObject'],
    ResourceArns: [SEED_RESOURCE],
    ContextEntries: [{ ContextKeyName: 's3:prefix', ContextKeyValues: ['private/'], ContextKeyType: 'string' }],
  });
  assert.equal(otherPrefix.EvaluationResults[0]?.EvalDecision, 'implicitDeny');
});

test('without ResourceArns the resource is "*" and missing keys are reported at the top (API_EvaluationResult.html)', async () => {
  const context = setup();
  await paymentsRole(context);
  // A policy for `*` so that the conditioned statement applies to the resource `*`.
  await putRolePolicy.execute(context, {
    RoleName: 'PaymentsApiRole',
    PolicyName: 'ListWithPrefix',
    PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { StringLike: { 's3:prefix': 'uploads/*' } } }],
    }),
  });
  const output = await principal(context, { PolicySourceArn: PAYMENTS_ROLE, ActionNames: ['s3:ListBucket'] });
  const [result] = output.EvaluationResults;
  assert.equal(result?.EvalResourceName, '*');
  assert.equal(result?.EvalDecision, 'implicitDeny');
  assert.deepEqual(result?.MissingContextValues, ['s3:prefix']);
  assert.equal(result?.ResourceSpecificResults, undefined);
  assert.equal(result?.EvalDecisionDetails, undefined, 'same account and `*`: not returned');
});

test('a managed policy is reported by its name, an AWS managed one with positions in its document', async () => {
  const context = setup();
  await createRole.execute(context, { RoleName: 'Reader', AssumeRolePolicyDocument: TRUST_EKS });
  await attachRolePolicy.execute(context, { RoleName: 'Reader', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
  const output = await principal(context, { PolicySourceArn: `arn:aws:iam::${SEED_ACCOUNT}:role/Reader`, ActionNames: ['s3:GetObject', 's3:PutObject'] });

  // The catalog prints AWS managed policies with four-space indentation: one statement from line 4 to 14.
  const lines = getAwsManagedPolicy('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')!.Document.split('\n');
  assert.equal(lines[2], '    "Statement": [');
  assert.equal(lines[13], '        }');
  assert.deepEqual(resultFor(output.EvaluationResults, 's3:GetObject').MatchedStatements, [
    { SourcePolicyId: 'AmazonS3ReadOnlyAccess', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 3, Column: 19 }, EndPosition: { Line: 14, Column: 10 } },
  ]);
  assert.equal(resultFor(output.EvaluationResults, 's3:PutObject').EvalDecision, 'implicitDeny');

  const created = await createPolicy.execute(context, { PolicyName: 'Deployments', PolicyDocument: ALLOW_ALL });
  await attachRolePolicy.execute(context, { RoleName: 'Reader', PolicyArn: created.Policy.Arn });
  const both = await principal(context, { PolicySourceArn: `arn:aws:iam::${SEED_ACCOUNT}:role/Reader`, ActionNames: ['s3:GetObject'] });
  assert.deepEqual(
    both.EvaluationResults[0]?.MatchedStatements.map((statement) => statement.SourcePolicyId),
    ['AmazonS3ReadOnlyAccess', 'Deployments'],
  );
});

test('a user is simulated with its groups\' policies; a group with its own (API_SimulatePrincipalPolicy.html)', async () => {
  const context = setup();
  await createUser.execute(context, { UserName: 'alice' });
  await createGroup.execute(context, { GroupName: 'devs' });
  await addUserToGroup.execute(context, { GroupName: 'devs', UserName: 'alice' });
  const allow = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
  await putUserPolicy.execute(context, { UserName: 'alice', PolicyName: 'Own', PolicyDocument: allow('sqs:SendMessage') });
  await putGroupPolicy.execute(context, { GroupName: 'devs', PolicyName: 'Team', PolicyDocument: allow('sqs:ReceiveMessage') });
  const logs = await createPolicy.execute(context, { PolicyName: 'Logs', PolicyDocument: allow('logs:PutLogEvents') });
  await attachGroupPolicy.execute(context, { GroupName: 'devs', PolicyArn: logs.Policy.Arn });
  const actions = ['sqs:SendMessage', 'sqs:ReceiveMessage', 'logs:PutLogEvents'];

  const asUser = await principal(context, { PolicySourceArn: `arn:aws:iam::${SEED_ACCOUNT}:user/alice`, ActionNames: actions });
  assert.deepEqual(
    asUser.EvaluationResults.map((result) => [result.EvalDecision, result.MatchedStatements.map((statement) => statement.SourcePolicyId)]),
    [
      ['allowed', ['user_alice_Own']],
      ['allowed', ['group_devs_Team']],
      ['allowed', ['Logs']],
    ],
  );

  const asGroup = await principal(context, { PolicySourceArn: `arn:aws:iam::${SEED_ACCOUNT}:group/devs`, ActionNames: actions });
  assert.deepEqual(
    asGroup.EvaluationResults.map((result) => result.EvalDecision),
    ['implicitDeny', 'allowed', 'allowed'],
  );
});

test('CallerArn: the calls are simulated as that user with the source\'s policies (API_SimulatePrincipalPolicy.html)', async () => {
  const context = setup();
  await createUser.execute(context, { UserName: 'david' });
  await putUserPolicy.execute(context, {
    UserName: 'david',
    PolicyName: 'Home',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:username}/*' }] }),
  });
  const input = { PolicySourceArn: `arn:aws:iam::${SEED_ACCOUNT}:user/david`, ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::home/bob/notes.txt'] };
  assert.equal((await principal(context, input)).EvaluationResults[0]?.EvalDecision, 'implicitDeny');
  const asBob = await principal(context, { ...input, CallerArn: `arn:aws:iam::${SEED_ACCOUNT}:user/bob` });
  assert.equal(asBob.EvaluationResults[0]?.EvalDecision, 'allowed');

  // A group has no caller of its own: keys naming the caller are missing.
  await createGroup.execute(context, { GroupName: 'homes' });
  await putGroupPolicy.execute(context, {
    GroupName: 'homes',
    PolicyName: 'Home',
    PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { StringEquals: { 'aws:username': 'bob' } } }],
    }),
  });
  const group = await principal(context, { PolicySourceArn: `arn:aws:iam::${SEED_ACCOUNT}:group/homes`, ActionNames: ['s3:ListBucket'] });
  assert.equal(group.EvaluationResults[0]?.EvalDecision, 'implicitDeny');
  assert.deepEqual(group.EvaluationResults[0]?.MissingContextValues, ['aws:username']);
});

const BOUNDARY_GET_ONLY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
    { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
  ],
});

test('the permissions boundary caps the role and is reported in PermissionsBoundaryDecisionDetail (access_policies_boundaries.html)', async () => {
  const context = setup();
  await createRole.execute(context, { RoleName: 'Builder', AssumeRolePolicyDocument: TRUST_EKS });
  await putRolePolicy.execute(context, { RoleName: 'Builder', PolicyName: 'Everything', PolicyDocument: ALLOW_ALL });
  const boundary = await createPolicy.execute(context, { PolicyName: 'GetOnlyBoundary', PolicyDocument: BOUNDARY_GET_ONLY });
  await putRolePermissionsBoundary.execute(context, { RoleName: 'Builder', PermissionsBoundary: boundary.Policy.Arn });
  const source = `arn:aws:iam::${SEED_ACCOUNT}:role/Builder`;

  const output = await principal(context, { PolicySourceArn: source, ActionNames: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] });
  const get = resultFor(output.EvaluationResults, 's3:GetObject');
  assert.equal(get.EvalDecision, 'allowed');
  assert.deepEqual(get.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: true });
  assert.deepEqual(
    get.MatchedStatements.map((statement) => [statement.SourcePolicyId, statement.SourcePolicyType]),
    [
      ['role_Builder_Everything', 'IAM Policy'],
      ['GetOnlyBoundary', 'Permissions Boundary Policy'],
    ],
  );
  const put = resultFor(output.EvaluationResults, 's3:PutObject');
  assert.equal(put.EvalDecision, 'implicitDeny');
  assert.deepEqual(put.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: false });
  assert.deepEqual(put.MatchedStatements, []);
  const remove = resultFor(output.EvaluationResults, 's3:DeleteObject');
  assert.equal(remove.EvalDecision, 'explicitDeny');
  assert.deepEqual(remove.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: false });
  assert.deepEqual(remove.MatchedStatements.map((statement) => statement.SourcePolicyType), ['Permissions Boundary Policy']);

  // PermissionsBoundaryPolicyInputList replaces the role's boundary for the simulation.
  const replaced = await principal(context, {
    PolicySourceArn: source,
    ActionNames: ['s3:GetObject', 's3:PutObject'],
    PermissionsBoundaryPolicyInputList: [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }] })],
  });
  assert.deepEqual(
    replaced.EvaluationResults.map((result) => [result.EvalDecision, result.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary]),
    [
      ['implicitDeny', false],
      ['allowed', true],
    ],
  );
  assert.deepEqual(resultFor(replaced.EvaluationResults, 's3:PutObject').MatchedStatements[1], {
    SourcePolicyId: 'PermissionsBoundaryPolicyInputList.1',
    SourcePolicyType: 'Permissions Boundary Policy',
    StartPosition: { Line: 1, Column: 38 },
    EndPosition: { Line: 1, Column: 95 },
  });
});

// AWS CLI's simulate-custom-policy example (awscli/examples/iam/simulate-custom-policy.rst): this one-line
// policy's statement is reported from Line 1, Column 38 to Line 1, Column 167.
const CURRENT_TIME_POLICY =
  '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';

test('AWS CLI example: simulate-custom-policy with an aws:CurrentTime date context entry', async () => {
  const context = setup();
  const entry = (date: string): ContextEntry[] => [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: [date], ContextKeyType: 'date' }];
  const later = await custom(context, { PolicyInputList: [CURRENT_TIME_POLICY], ActionNames: ['dynamodb:CreateBackup'], ContextEntries: entry('2019-04-25T11:00:00Z') });
  assert.deepEqual(later.EvaluationResults, [
    {
      EvalActionName: 'dynamodb:CreateBackup',
      EvalResourceName: '*',
      EvalDecision: 'allowed',
      MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 167 } }],
      MissingContextValues: [],
      OrganizationsDecisionDetail: { AllowedByOrganizations: true },
    },
  ]);
  const earlier = await custom(context, { PolicyInputList: [CURRENT_TIME_POLICY], ActionNames: ['dynamodb:CreateBackup'], ContextEntries: entry('2014-04-25T11:00:00Z') });
  assert.equal(earlier.EvaluationResults[0]?.EvalDecision, 'implicitDeny');
  assert.deepEqual(earlier.EvaluationResults[0]?.MatchedStatements, []);
  assert.deepEqual(earlier.EvaluationResults[0]?.MissingContextValues, []);
});

// One statement per ContextKeyType (API_ContextEntry.html), each allowing its own action.
const TYPED_CONDITIONS: Array<{ type: ContextEntry['ContextKeyType']; key: string; operator: string; policy: string | string[]; matching: string[]; other: string[] }> = [
  { type: 'string', key: 'test:Colour', operator: 'StringEquals', policy: 'blue', matching: ['blue'], other: ['red'] },
  { type: 'stringList', key: 'test:Colours', operator: 'ForAnyValue:StringEquals', policy: 'red', matching: ['green', 'red'], other: ['green'] },
  { type: 'numeric', key: 'test:Count', operator: 'NumericLessThan', policy: '10', matching: ['7'], other: ['12'] },
  { type: 'numericList', key: 'test:Counts', operator: 'ForAnyValue:NumericGreaterThan', policy: '100', matching: ['5', '500'], other: ['5', '50'] },
  { type: 'boolean', key: 'aws:SecureTransport', operator: 'Bool', policy: 'true', matching: ['true'], other: ['false'] },
  { type: 'booleanList', key: 'test:Flags', operator: 'ForAnyValue:Bool', policy: 'true', matching: ['false', 'true'], other: ['false'] },
  { type: 'ip', key: 'aws:SourceIp', operator: 'IpAddress', policy: '203.0.113.0/24', matching: ['203.0.113.7'], other: ['198.51.100.7'] },
  { type: 'ipList', key: 'test:Hops', operator: 'ForAnyValue:IpAddress', policy: '10.0.0.0/8', matching: ['192.0.2.1', '10.1.2.3'], other: ['192.0.2.1'] },
  { type: 'binary', key: 'test:Blob', operator: 'BinaryEquals', policy: 'QmluYXJ5VmFsdWU=', matching: ['QmluYXJ5VmFsdWU='], other: ['T3RoZXI='] },
  { type: 'binaryList', key: 'test:Blobs', operator: 'ForAnyValue:BinaryEquals', policy: 'QmluYXJ5VmFsdWU=', matching: ['T3RoZXI=', 'QmluYXJ5VmFsdWU='], other: ['T3RoZXI='] },
  { type: 'date', key: 'aws:CurrentTime', operator: 'DateGreaterThan', policy: '2018-08-16T12:00:00Z', matching: ['2019-04-25T11:00:00Z'], other: ['2014-04-25T11:00:00Z'] },
  { type: 'dateList', key: 'test:Dates', operator: 'ForAnyValue:DateLessThan', policy: '2020-01-01T00:00:00Z', matching: ['2030-01-01T00:00:00Z', '2019-06-01T00:00:00Z'], other: ['2030-01-01T00:00:00Z'] },
];

test('context entries of every ContextKeyType reach the conditions as their type (API_ContextEntry.html)', async () => {
  const context = setup();
  const actionOf = (type: string | undefined) => `test:Use${type}`;
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: TYPED_CONDITIONS.map((entry) => ({ Effect: 'Allow', Action: actionOf(entry.type), Resource: '*', Condition: { [entry.operator]: { [entry.key]: entry.policy } } })),
  });
  const actions = TYPED_CONDITIONS.map((entry) => actionOf(entry.type));
  const run = (values: (entry: (typeof TYPED_CONDITIONS)[number]) => string[]) =>
    custom(context, {
      PolicyInputList: [policy],
      ActionNames: actions,
      ContextEntries: TYPED_CONDITIONS.map((entry) => ({ ContextKeyName: entry.key, ContextKeyValues: values(entry), ContextKeyType: entry.type })),
    });

  const matching = await run((entry) => entry.matching);
  assert.deepEqual(
    matching.EvaluationResults.map((result) => [result.EvalActionName, result.EvalDecision]),
    actions.map((action) => [action, 'allowed']),
  );
  // Each allowed action matched its own statement: the statements follow one another on line 1.
  const spans = matching.EvaluationResults.map((result) => result.MatchedStatements[0]!);
  for (let i = 1; i < spans.length; i++) assert.deepEqual(spans[i]!.StartPosition, spans[i - 1]!.EndPosition);

  const other = await run((entry) => entry.other);
  assert.deepEqual(
    other.EvaluationResults.map((result) => [result.EvalActionName, result.EvalDecision]),
    actions.map((action) => [action, 'implicitDeny']),
  );

  const none = await custom(context, { PolicyInputList: [policy], ActionNames: actions });
  assert.deepEqual(
    none.EvaluationResults.map((result) => result.MissingContextValues),
    TYPED_CONDITIONS.map((entry) => [entry.key]),
  );
});

test('statement positions: lines break at \\n, \\r\\n and \\r; columns are 1-based, just past the delimiter (API_Statement.html)', () => {
  const crlf = '{\r\n  "Statement": [\r\n    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},\r\n    {"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}\r\n  ]\r\n}';
  assert.deepEqual(statementSpans(crlf), [
    { start: { Line: 2, Column: 17 }, end: { Line: 3, Column: 59 } },
    { start: { Line: 3, Column: 59 }, end: { Line: 4, Column: 64 } },
  ]);
  // AdministratorAccess as AWS prints it: AWS's simulator reports Line 3, Column 17 to Line 8, Column 6.
  const administratorAccess = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "*",\n      "Resource": "*"\n    }\n  ]\n}';
  assert.deepEqual(statementSpans(administratorAccess), [{ start: { Line: 3, Column: 17 }, end: { Line: 8, Column: 6 } }]);
  assert.deepEqual(statementSpans('{"Statement":[]}'), []);
  // A duplicated Statement key: the last one counts, as it does for the parser.
  assert.deepEqual(statementSpans('{"Statement":{"Effect":"Deny"},\r"Statement":{}}'), [{ start: { Line: 2, Column: 14 }, end: { Line: 2, Column: 15 } }]);
  // Escapes in strings do not confuse the scan.
  assert.deepEqual(statementSpans('{"Id":"a\\"}{","Statement":[{"Sid":"x"}]}'), [{ start: { Line: 1, Column: 28 }, end: { Line: 1, Column: 39 } }]);
  assert.deepEqual(statementSpans('not json'), []);
});

const BOB = `arn:aws:iam::${SEED_ACCOUNT}:user/bob`;
const BUCKET_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'ReadForBob', Effect: 'Allow', Principal: { AWS: BOB }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' },
    { Sid: 'NoDeletes', Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::shared/*' },
  ],
});
const NOTHING_RELEVANT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:ListQueues', Resource: '*' }] });
const S3_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });

test('a resource policy naming the caller allows in the same account; its Deny wins (reference_policies_evaluation-logic.html)', async () => {
  const context = setup();
  const output = await custom(context, {
    PolicyInputList: [NOTHING_RELEVANT],
    ActionNames: ['s3:GetObject', 's3:DeleteObject'],
    ResourceArns: ['arn:aws:s3:::shared/report.csv'],
    ResourcePolicy: BUCKET_POLICY,
    CallerArn: BOB,
  });
  const get = resultFor(output.EvaluationResults, 's3:GetObject');
  assert.equal(get.EvalDecision, 'allowed');
  assert.deepEqual(get.MatchedStatements.map((statement) => [statement.SourcePolicyId, statement.SourcePolicyType]), [['ResourcePolicy', 'Resource Policy']]);
  assert.deepEqual(get.EvalDecisionDetails, {});
  const remove = resultFor(output.EvaluationResults, 's3:DeleteObject');
  assert.equal(remove.EvalDecision, 'explicitDeny');
  assert.equal(remove.MatchedStatements[0]?.SourcePolicyId, 'ResourcePolicy');
  assert.deepEqual(remove.MatchedStatements[0]?.StartPosition, get.MatchedStatements[0]?.EndPosition, 'the Deny follows the Allow');
});

test('cross-account: both sides must allow, and EvalDecisionDetails tells each side\'s decision (API_EvaluationResult.html)', async () => {
  const context = setup();
  const owner = `arn:aws:iam::${OTHER_ACCOUNT}:root`;
  const request = { ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::shared/report.csv'], ResourcePolicy: BUCKET_POLICY, ResourceOwner: owner, CallerArn: BOB };

  const both = await custom(context, { ...request, PolicyInputList: [S3_ALL] });
  const [allowed] = both.EvaluationResults;
  assert.equal(allowed?.EvalDecision, 'allowed');
  assert.deepEqual(allowed?.EvalDecisionDetails, { 'IAM Policy': 'allowed', 'Resource Policy': 'allowed' });
  assert.deepEqual(allowed?.ResourceSpecificResults?.[0]?.EvalDecisionDetails, { 'IAM Policy': 'allowed', 'Resource Policy': 'allowed' });
  assert.deepEqual(allowed?.MatchedStatements.map((statement) => statement.SourcePolicyId), ['ResourcePolicy', 'PolicyInputList.1']);

  const resourceOnly = await custom(context, { ...request, PolicyInputList: [NOTHING_RELEVANT] });
  assert.equal(resourceOnly.EvaluationResults[0]?.EvalDecision, 'implicitDeny');
  assert.deepEqual(resourceOnly.EvaluationResults[0]?.EvalDecisionDetails, { 'IAM Policy': 'implicitDeny', 'Resource Policy': 'allowed' });
});

test('results are paged with MaxItems and an opaque Marker, action by action', async () => {
  const context = setup();
  const input = {
    PolicyInputList: [S3_ALL],
    ActionNames: ['s3:GetObject', 's3:PutObject', 'sqs:SendMessage'],
    ResourceArns: ['arn:aws:s3:::a/1', 'arn:aws:s3:::b/2'],
    MaxItems: 4,
  };
  const first = await custom(context, input);
  assert.equal(first.IsTruncated, true);
  assert.ok(first.Marker);
  assert.deepEqual(
    first.EvaluationResults.map((result) => [result.EvalActionName, result.EvalResourceName, result.EvalDecision]),
    [
      ['s3:GetObject', 'arn:aws:s3:::a/1', 'allowed'],
      ['s3:GetObject', 'arn:aws:s3:::b/2', 'allowed'],
      ['s3:PutObject', 'arn:aws:s3:::a/1', 'allowed'],
      ['s3:PutObject', 'arn:aws:s3:::b/2', 'allowed'],
    ],
  );
  const second = await custom(context, { ...input, Marker: first.Marker! });
  assert.equal(second.IsTruncated, false);
  assert.equal(second.Marker, undefined);
  assert.deepEqual(
    second.EvaluationResults.map((result) => [result.EvalActionName, result.EvalResourceName, result.EvalDecision]),
    [
      ['sqs:SendMessage', 'arn:aws:s3:::a/1', 'implicitDeny'],
      ['sqs:SendMessage', 'arn:aws:s3:::b/2', 'implicitDeny'],
    ],
  );
  await rejectsWith(custom(context, { ...input, Marker: 'not-a-marker' }), 'ValidationError', 'Invalid Marker.');
  await rejectsWith(custom(context, { ...input, Marker: Buffer.from('99').toString('base64url') }), 'ValidationError', 'Invalid Marker.');
});

test('errors: a missing or malformed source, a bad resource, a caller a resource policy needs (API_SimulatePrincipalPolicy.html)', async () => {
  const context = setup();
  await paymentsRole(context);
  const actions = ['s3:GetObject'];
  await rejectsWith(
    principal(context, { PolicySourceArn: `arn:aws:iam::${SEED_ACCOUNT}:role/Missing`, ActionNames: actions }),
    'NoSuchEntity',
    'The role with name Missing cannot be found.',
  );
  await rejectsWith(
    principal(context, { PolicySourceArn: `arn:aws:iam::${SEED_ACCOUNT}:user/nobody`, ActionNames: actions }),
    'NoSuchEntity',
    'The user with name nobody cannot be found.',
  );
  await rejectsWith(
    principal(context, { PolicySourceArn: `arn:aws:iam::${SEED_ACCOUNT}:group/nobody`, ActionNames: actions }),
    'NoSuchEntity',
    'The group with name nobody cannot be found.',
  );
  const session = `arn:aws:sts::${SEED_ACCOUNT}:assumed-role/PaymentsApiRole/pod`;
  await rejectsWith(
    principal(context, { PolicySourceArn: session, ActionNames: actions }),
    'InvalidInput',
    `Invalid Entity Arn: ${session} does not clearly define entity type and name.`,
  );
  await rejectsWith(
    principal(context, { PolicySourceArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/PaymentsApiRole`, ActionNames: actions }),
    'InvalidInput',
    `Invalid Policy Source Arn: caller's account ${SEED_ACCOUNT} does not have access to policies in account ${OTHER_ACCOUNT}`,
  );
  await rejectsWith(
    principal(context, { PolicySourceArn: PAYMENTS_ROLE, ActionNames: actions, ResourceArns: ['14a050d4-021e-4efe-84bb-0871bf6d0fda'] }),
    'InvalidInput',
    'ResourceNames are not in a valid ARN format: 14a050d4-021e-4efe-84bb-0871bf6d0fda.',
  );
  // A role cannot be the caller a resource policy is evaluated for.
  const caller = 'Invalid caller - Caller must be an IAM user in this context.';
  await rejectsWith(principal(context, { PolicySourceArn: PAYMENTS_ROLE, ActionNames: actions, ResourcePolicy: BUCKET_POLICY }), 'InvalidInput', caller);
  await rejectsWith(principal(context, { PolicySourceArn: PAYMENTS_ROLE, ActionNames: actions, CallerArn: PAYMENTS_ROLE }), 'InvalidInput', caller);
  await rejectsWith(custom(context, { PolicyInputList: [S3_ALL], ActionNames: actions, ResourcePolicy: BUCKET_POLICY }), 'InvalidInput', caller);
  const withCaller = await principal(context, { PolicySourceArn: PAYMENTS_ROLE, ActionNames: actions, ResourcePolicy: BUCKET_POLICY, CallerArn: BOB, ResourceArns: ['arn:aws:s3:::shared/x'] });
  assert.equal(withCaller.EvaluationResults[0]?.EvalDecision, 'allowed');

  await rejectsWith(
    principal(context, { PolicySourceArn: PAYMENTS_ROLE, ActionNames: actions, ResourceOwner: SEED_ACCOUNT }),
    'InvalidInput',
    `'${SEED_ACCOUNT}' is not a valid as a Resource Owner.`,
  );
  await rejectsWith(principal(context, { PolicySourceArn: PAYMENTS_ROLE } as SimulatePrincipalPolicyInput), 'ValidationError', /Value null at 'actionNames'/);
});

test('errors: policies given as strings are validated and a bad one is InvalidInput (API_SimulateCustomPolicy.html)', async () => {
  const context = setup();
  await rejectsWith(custom(context, { PolicyInputList: ['not json'], ActionNames: ['s3:GetObject'] }), 'InvalidInput', 'Syntax errors in policy.');
  const withPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] });
  await rejectsWith(custom(context, { PolicyInputList: [withPrincipal], ActionNames: ['s3:GetObject'] }), 'InvalidInput', 'Policy document should not specify a principal.');
  await rejectsWith(
    custom(context, { PolicyInputList: [S3_ALL], ActionNames: ['s3:GetObject'], PermissionsBoundaryPolicyInputList: [S3_ALL, S3_ALL] }),
    'InvalidInput',
    'Only one permissions boundary policy can be simulated at a time.',
  );
  await rejectsWith(
    custom(context, { PolicyInputList: [S3_ALL], ActionNames: ['s3:GetObject'], ResourcePolicy: S3_ALL, CallerArn: BOB }),
    'InvalidInput',
    'Missing required field Principal',
  );
  await rejectsWith(custom(context, { ActionNames: ['s3:GetObject'] } as SimulateCustomPolicyInput), 'ValidationError', /Value null at 'policyInputList'/);
});

test('authorize: iam:SimulatePrincipalPolicy on the source ARN, iam:SimulateCustomPolicy on "*"', async () => {
  const context = setup();
  assert.deepEqual(await simulatePrincipalPolicy.authorize(context, { PolicySourceArn: PAYMENTS_ROLE, ActionNames: [] }), [
    { action: 'iam:SimulatePrincipalPolicy', resource: PAYMENTS_ROLE },
  ]);
  assert.deepEqual(await simulateCustomPolicy.authorize(context, { PolicyInputList: [], ActionNames: [] }), [{ action: 'iam:SimulateCustomPolicy', resource: '*' }]);
});

test('a user\'s attached managed policy and its boundary come from the store', async () => {
  const context = setup();
  await createUser.execute(context, { UserName: 'carol' });
  const s3 = await createPolicy.execute(context, { PolicyName: 'S3All', PolicyDocument: S3_ALL });
  await attachUserPolicy.execute(context, { UserName: 'carol', PolicyArn: s3.Policy.Arn });
  const output = await principal(context, {
    PolicySourceArn: `arn:aws:iam::${SEED_ACCOUNT}:user/carol`,
    ActionNames: ['s3:GetObject'],
    PermissionsBoundaryPolicyInputList: [BOUNDARY_GET_ONLY],
  });
  assert.equal(output.EvaluationResults[0]?.EvalDecision, 'allowed');
  assert.deepEqual(output.EvaluationResults[0]?.MatchedStatements.map((statement) => statement.SourcePolicyId), ['S3All', 'PermissionsBoundaryPolicyInputList.1']);
});

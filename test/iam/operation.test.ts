// defineOperation checks every operation's input against its service model (models/*.json.gz) before
// anything else, whoever calls it: AWS's front end refuses input that breaks the model's constraints with
// ValidationError before it authorizes the call (docs/wire-format.md, "Validation").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineOperation } from '../../src/iam/operation.js';
import { loadServiceModel } from '../../src/model/service-models.js';
import { ORGANIZATIONS_OPERATIONS } from '../../src/organizations/index.js';
import { OPERATIONS } from '../../src/server/operations.js';
import { getSessionToken } from '../../src/sts/get-session-token.js';
import { call, newContext, operation, rejects } from './fixtures.js';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

test('a direct call (no HTTP) with input breaking the model gets AWS ValidationError, every violation listed, and changes nothing', async () => {
  const context = newContext();
  await rejects(
    call(context, 'CreateRole', { RoleName: 'app role', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 60 }),
    'ValidationError',
    "2 validation errors detected: Value '60' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600; " +
      "Value 'app role' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
  );
  await rejects(call(context, 'GetRole', { RoleName: 'app' }), 'NoSuchEntity', 'The role with name app cannot be found.');
});

test('a direct STS call is checked against the STS model too (GetSessionToken DurationSeconds 900..129600)', async () => {
  await rejects(
    getSessionToken.execute(newContext(), { DurationSeconds: 899 }),
    'ValidationError',
    "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
  );
});

test('the model check comes before authorization: authorize refuses malformed input with ValidationError', async () => {
  await assert.rejects(
    async () => operation('CreateRole').authorize(newContext(), { RoleName: 'app' }),
    { code: 'ValidationError', message: "1 validation error detected: Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null" },
  );
});

test('the input is checked once per call: authorize then execute read each member once', async () => {
  const probe = defineOperation<{ RoleName: string }, Record<string, never>>({
    service: 'iam',
    name: 'GetRole',
    authorize: () => [],
    execute: async () => ({}),
  });
  let reads = 0;
  const input = new Proxy({ RoleName: 'app' }, {
    get(target, member, receiver) {
      if (member === 'RoleName') reads++;
      return Reflect.get(target, member, receiver) as unknown;
    },
  });
  const context = newContext();
  await probe.authorize(context, input);
  await probe.execute(context, input);
  assert.equal(reads, 1);
});

test('every operation Rolecall serves is one its service model declares (the check needs its input shape)', () => {
  const served = [...OPERATIONS.iam.values(), ...OPERATIONS.sts.values(), ...ORGANIZATIONS_OPERATIONS];
  const undeclared = served.filter((served) => loadServiceModel(served.service).operation(served.name) === undefined);
  assert.deepEqual(undeclared.map((served) => `${served.service}:${served.name}`), []);
  assert.deepEqual([...new Set([...OPERATIONS.iam.values()].map((served) => served.service))], ['iam']);
  assert.deepEqual([...new Set([...OPERATIONS.sts.values()].map((served) => served.service))], ['sts']);
});

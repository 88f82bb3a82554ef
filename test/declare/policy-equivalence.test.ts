import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeIamPolicy, policiesEquivalent } from '../../src/declare/index.js';

const TRUST = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`;

test('declarative-roles.md A (ackc#2142, ackc#2875): key order and list order are not changes', () => {
  const reordered = `{"Statement":[{"Action":["s3:PutObject","s3:GetObject"],"Resource":"*","Effect":"Allow"}],"Version":"2012-10-17"}`;
  const original = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}]}`;
  assert.ok(policiesEquivalent(original, reordered));
});

test('declarative-roles.md A (xpa#1653): one-item arrays collapsed and a Statement object are not changes', () => {
  assert.ok(policiesEquivalent(TRUST, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com"]},"Action":["sts:AssumeRole"]}}`));
});

test('declarative-roles.md A (xpa#1653): a manifest without Version matches what IAM reports with one', () => {
  const withoutVersion = `{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`;
  assert.ok(policiesEquivalent(withoutVersion, TRUST));
  // The other way round the manifest asks for a Version the role lacks: a change.
  assert.ok(!policiesEquivalent(TRUST, withoutVersion));
});

test('IAM returns policy documents URL-encoded (GetRole, GetRolePolicy): decoded before comparing', () => {
  assert.ok(policiesEquivalent(TRUST, encodeURIComponent(TRUST)));
  assert.equal(decodeIamPolicy(encodeURIComponent(TRUST)), TRUST);
  assert.equal(decodeIamPolicy(TRUST), TRUST);
});

test('a bare account id principal is that account root ARN; action names are case-insensitive', () => {
  const byId = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}]}`;
  const byArn = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"STS:assumerole"}]}`;
  assert.ok(policiesEquivalent(byId, byArn));
});

test('real changes are changes: another principal, another action, a condition value', () => {
  assert.ok(!policiesEquivalent(TRUST, TRUST.replace('lambda', 'ec2')));
  assert.ok(!policiesEquivalent(TRUST, TRUST.replace('sts:AssumeRole', 'sts:TagSession')));
  const condition = (value: string) =>
    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"${value}"}}}]}`;
  assert.ok(!policiesEquivalent(condition('a'), condition('b')));
  assert.ok(policiesEquivalent(condition('a'), condition('a').replace('"a"', '["a"]')));
});

test('a bare account id is the root ARN of the partition compared in (IAM in aws-cn stores arn:aws-cn:iam::ID:root)', () => {
  const byId = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}]}`;
  const inChina = byId.replace('"111111111111"', '"arn:aws-cn:iam::111111111111:root"');
  assert.ok(policiesEquivalent(byId, inChina, 'aws-cn'));
  assert.ok(!policiesEquivalent(byId, inChina, 'aws'));
  assert.ok(!policiesEquivalent(byId, inChina));
  assert.ok(!policiesEquivalent(byId, byId.replace('"111111111111"', '"arn:aws:iam::111111111111:root"'), 'aws-cn'));
});

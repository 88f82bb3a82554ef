import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArn } from '../../src/policy/arn.js';

test('ARN format: the resource part keeps its colons (reference-arns.html)', () => {
  assert.deepEqual(parseArn('arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:s'), {
    partition: 'aws',
    service: 'logs',
    region: 'us-east-1',
    account: '123456789012',
    resource: 'log-group:g:log-stream:s',
  });
});

test('ARN format: S3 bucket ARNs have empty region and account (reference-arns.html)', () => {
  assert.deepEqual(parseArn('arn:aws:s3:::bucket/key'), { partition: 'aws', service: 's3', region: '', account: '', resource: 'bucket/key' });
});

test('ARN format: fewer than six parts is not an ARN', () => {
  assert.equal(parseArn('arn:aws:s3'), undefined);
  assert.equal(parseArn('bucket'), undefined);
});

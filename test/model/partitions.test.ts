// The partition table (model/partitions.ts) against the facts of AWS's SDK partition data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { iamRegionFor, partitionById, partitionOfArn, partitionOfRegion } from '../../src/model/partitions.js';

test('regions map to their partitions as the AWS SDKs derive them (partitions.json region patterns)', () => {
  const cases: Array<[string, string]> = [
    ['us-east-1', 'aws'],
    ['eu-west-3', 'aws'],
    ['mx-central-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'aws-eusc'],
  ];
  for (const [region, partition] of cases) assert.equal(partitionOfRegion(region).id, partition, region);
});

test('a region AWS does not know falls in the default partition aws (the SDKs\' fallback)', () => {
  for (const region of ['local', '', 'xx-yy', 'cn', 'us-gov', 'a'.repeat(10_000)]) assert.equal(partitionOfRegion(region).id, 'aws');
});

test('each partition has its DNS suffix and the region its global IAM signs for', () => {
  assert.equal(partitionById('aws-cn')?.dnsSuffix, 'amazonaws.com.cn');
  assert.equal(partitionById('aws-us-gov')?.dnsSuffix, 'amazonaws.com');
  assert.equal(partitionById('aws-iso')?.dnsSuffix, 'c2s.ic.gov');
  assert.equal(partitionById('aws-iso-b')?.dnsSuffix, 'sc2s.sgov.gov');
  assert.equal(iamRegionFor('eu-west-1'), 'us-east-1');
  assert.equal(iamRegionFor('cn-northwest-1'), 'cn-north-1');
  assert.equal(iamRegionFor('us-gov-east-1'), 'us-gov-west-1');
  assert.equal(iamRegionFor('us-isob-east-1'), 'us-isob-east-1');
  assert.equal(partitionById('aws-moon'), undefined);
});

test('partitionOfArn reads the second field of an ARN, and nothing from a non-ARN', () => {
  assert.equal(partitionOfArn('arn:aws-cn:iam::123456789012:root'), 'aws-cn');
  assert.equal(partitionOfArn('arn:aws:s3:::bucket'), 'aws');
  assert.equal(partitionOfArn('ec2.amazonaws.com'), undefined);
  assert.equal(partitionOfArn('arn:'), undefined);
});

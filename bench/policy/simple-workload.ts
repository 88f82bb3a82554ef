/**
 * Workload 1, the fast path: each request comes from its own IAM user whose one identity policy allows
 * exactly that action on exactly that resource, so every decision is Allow.
 */
import { seededRandom } from './random.js';
import {
  ACTION_TARGETS,
  ACCOUNT,
  REGIONS,
  iamUser,
  policyDocument,
  resourceArn,
  type BenchCase,
  type ResourceKind,
  type Workload,
} from './workload.js';

function uniqueResourceName(kind: ResourceKind, index: number): string {
  if (kind === 'object') return `bucket-${index % 97}/reports/${index}.csv`;
  if (kind === 'bucket') return `bucket-${index}`;
  return `resource-${index}`;
}

export function buildSimpleWorkload(size: number, seed = 1): Workload {
  const random = seededRandom(seed);
  const cases: BenchCase[] = [];
  for (let index = 0; index < size; index++) {
    const target = random.pick(ACTION_TARGETS);
    const resource = resourceArn(target.kind, uniqueResourceName(target.kind, index), random.pick(REGIONS));
    const user = iamUser(`user-${index}`);
    const policy = { name: `allow-${index}`, document: policyDocument({ Effect: 'Allow', Action: target.action, Resource: resource }) };
    cases.push({
      request: { principal: user.arn, action: target.action, resource, resourceAccount: ACCOUNT, context: { ...user.context } },
      policies: { identity: [policy] },
    });
  }
  return { id: 'simple', title: 'simple allow (1 policy, 1 statement)', cases };
}

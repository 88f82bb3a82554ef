/**
 * Workload 2: one 20-statement identity policy mixing Allow and Deny, Action/NotAction and
 * Resource/NotResource with `*` and `?` wildcards. Resource names are drawn so that requests hit
 * allows, denies, several statements at once, or nothing.
 */
import { seededRandom, type Random } from './random.js';
import {
  ACTION_TARGETS,
  ACCOUNT,
  REGIONS,
  iamUser,
  policyDocument,
  resourceArn,
  type BenchCase,
  type PolicySet,
  type ResourceKind,
  type Workload,
} from './workload.js';

const A = ACCOUNT;

const WILDCARD_POLICY = policyDocument(
  { Sid: 'ReadDataBuckets', Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::data-*/*' },
  { Sid: 'ListDataBuckets', Effect: 'Allow', Action: ['s3:List*', 's3:GetBucket*'], Resource: 'arn:aws:s3:::data-*' },
  { Sid: 'NoDeletesInS3', Effect: 'Deny', Action: 's3:Delete*', Resource: '*' },
  { Sid: 'Uploads', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::uploads-*/incoming/*' },
  { Sid: 'SecretBuckets', Effect: 'Deny', Action: 's3:*', Resource: ['arn:aws:s3:::data-secret*', 'arn:aws:s3:::data-secret*/*'] },
  { Sid: 'AppTablesRead', Effect: 'Allow', Action: ['dynamodb:Get*', 'DynamoDB:Query', 'dynamodb:scan'], Resource: `arn:aws:dynamodb:*:${A}:table/app-*` },
  { Sid: 'AuditTables', Effect: 'Deny', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:*:*:table/app-audit*' },
  { Sid: 'OrdersWrite', Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: `arn:aws:dynamodb:us-east-1:${A}:table/app-??-orders` },
  { Sid: 'JobQueues', Effect: 'Allow', Action: 'sqs:*Message', Resource: `arn:aws:sqs:*:${A}:jobs-*` },
  { Sid: 'NoQueueDeletion', Effect: 'Deny', Action: 'sqs:DeleteQueue', Resource: '*' },
  { Sid: 'Alerts', Effect: 'Allow', Action: 'sns:Publish', Resource: 'arn:aws:sns:*:*:alerts-*' },
  { Sid: 'ApiFunctions', Effect: 'Allow', Action: ['lambda:InvokeFunction', 'lambda:Get*'], Resource: `arn:aws:lambda:*:${A}:function:api-*` },
  { Sid: 'AdminFunctions', Effect: 'Deny', Action: 'lambda:*', Resource: 'arn:aws:lambda:*:*:function:*-admin*' },
  { Sid: 'Describe', Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' },
  { Sid: 'StartStopUs', Effect: 'Allow', Action: ['ec2:StartInstances', 'ec2:StopInstances', 'ec2:Reboot*'], Resource: `arn:aws:ec2:us-*:${A}:instance/*` },
  { Sid: 'NoTerminate', Effect: 'Deny', Action: 'ec2:TerminateInstances', Resource: '*' },
  { Sid: 'AppLogs', Effect: 'Allow', Action: 'logs:*', Resource: `arn:aws:logs:*:${A}:log-group:/app/*` },
  { Sid: 'AppSecrets', Effect: 'Allow', NotAction: ['iam:*', 'sts:*', 'organizations:*'], Resource: 'arn:aws:secretsmanager:*:*:secret:app/*' },
  { Sid: 'SecretsOnlyInUsEast1', Effect: 'Deny', Action: 'secretsmanager:*', NotResource: 'arn:aws:secretsmanager:us-east-1:*:secret:*' },
  { Sid: 'ReadAppRoles', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: `arn:aws:iam::${A}:role/app-*` },
);

/** Names that land on different statements of the policy above (and on none). */
const NAMES: Record<ResourceKind, readonly string[]> = {
  object: ['data-lake/2024/a.parquet', 'data-secret-vault/key.txt', 'uploads-web/incoming/f.png', 'uploads-web/outgoing/f.png', 'public/index.html', 'data-raw/x'],
  bucket: ['data-lake', 'data-secret-vault', 'uploads-web', 'public'],
  table: ['app-users', 'app-audit-log', 'app-eu-orders', 'app-europe-orders', 'billing', 'app-us-orders'],
  queue: ['jobs-high', 'jobs-low', 'events', 'jobs'],
  topic: ['alerts-oncall', 'alerts', 'marketing'],
  function: ['api-users', 'api-admin-tools', 'batch-report', 'ops-admin'],
  instance: ['i-0abc123', 'i-0def456', 'i-0fed789'],
  none: ['*'],
  'log-stream': ['/app/web', '/app/worker', '/infra/vpc'],
  'log-group': ['/app/web', '/infra/vpc'],
  secret: ['app/db', 'app/api-key', 'infra/root'],
  role: ['app-web', 'app-worker', 'admin'],
};

function randomCase(random: Random, policies: PolicySet): BenchCase {
  const target = random.pick(ACTION_TARGETS);
  const resource = resourceArn(target.kind, random.pick(NAMES[target.kind]), random.pick(REGIONS));
  const user = iamUser(`dev-${random.int(50)}`);
  return { request: { principal: user.arn, action: target.action, resource, resourceAccount: A, context: { ...user.context } }, policies };
}

export function buildWildcardWorkload(size: number, seed = 2): Workload {
  const random = seededRandom(seed);
  const policies: PolicySet = { identity: [{ name: 'developer-20-statements', document: WILDCARD_POLICY }] };
  const cases = Array.from({ length: size }, () => randomCase(random, policies));
  return { id: 'wildcards', title: '20 statements, wildcards, Allow+Deny', cases };
}

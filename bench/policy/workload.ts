/**
 * The engine-neutral shape of a benchmark workload: requests with the policies that apply to each, as
 * plain JSON. Each engine translates this into its own API, so both decide exactly the same questions.
 */
import type { Random } from './random.js';

export type PolicyJson = Record<string, unknown>;

export interface NamedPolicy {
  name: string;
  document: PolicyJson;
}

/** Every policy that applies to a request. Cases share one PolicySet object when their policies are the same. */
export interface PolicySet {
  identity: NamedPolicy[];
  boundary?: NamedPolicy;
  session?: NamedPolicy;
  /** SCPs by level, root first. */
  scpLevels?: NamedPolicy[][];
}

export type ContextValues = Record<string, string | string[]>;

export interface BenchRequest {
  principal: string;
  action: string;
  resource: string;
  /** Given explicitly: iam-simulate needs it, and S3 ARNs carry no account. */
  resourceAccount: string;
  /** Every context key, principal keys included, so neither engine has to derive anything. */
  context: ContextValues;
}

export interface BenchCase {
  request: BenchRequest;
  policies: PolicySet;
}

export interface Workload {
  id: string;
  title: string;
  cases: BenchCase[];
  /** Rolecall is given each policy as never-seen JSON text instead of compiled in advance (the cold path). */
  cold?: boolean;
}

export const ACCOUNT = '111122223333';
export const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2'] as const;

export interface Principal {
  arn: string;
  /** The keys AWS puts in every request of this principal. */
  context: ContextValues;
}

/** A stable fake unique id (`AIDA…`, `AROA…`) derived from a name, as AWS would report in aws:userid. */
function uniqueId(prefix: string, name: string): string {
  let hash = 2166136261;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return `${prefix}${hash.toString(36).toUpperCase().padStart(8, 'X')}EXAMPLE`;
}

export function iamUser(name: string, account = ACCOUNT): Principal {
  const arn = `arn:aws:iam::${account}:user/${name}`;
  return {
    arn,
    context: {
      'aws:PrincipalArn': arn,
      'aws:PrincipalAccount': account,
      'aws:PrincipalType': 'User',
      'aws:username': name,
      'aws:userid': uniqueId('AIDA', name),
    },
  };
}

/** An assumed-role session: aws:username is absent and aws:PrincipalArn is the role (reference_policies_condition-keys.html). */
export function roleSession(role: string, session: string, account = ACCOUNT): Principal {
  return {
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    context: {
      'aws:PrincipalArn': `arn:aws:iam::${account}:role/${role}`,
      'aws:PrincipalAccount': account,
      'aws:PrincipalType': 'AssumedRole',
      'aws:userid': `${uniqueId('AROA', role)}:${session}`,
    },
  };
}

export function policyDocument(...statements: PolicyJson[]): PolicyJson {
  return { Version: '2012-10-17', Statement: statements };
}

export type ResourceKind =
  | 'object'
  | 'bucket'
  | 'table'
  | 'queue'
  | 'topic'
  | 'function'
  | 'instance'
  | 'none'
  | 'log-stream'
  | 'log-group'
  | 'secret'
  | 'role';

/** One real AWS action and the kind of resource it acts on. */
export interface ActionTarget {
  action: string;
  kind: ResourceKind;
}

const targets = (kind: ResourceKind, actions: string[]): ActionTarget[] => actions.map((action) => ({ action, kind }));

/** Real actions (iam-simulate validates them against AWS's service reference) by resource kind. */
export const ACTION_TARGETS: readonly ActionTarget[] = [
  ...targets('object', ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:GetObjectTagging']),
  ...targets('bucket', ['s3:ListBucket', 's3:GetBucketPolicy', 's3:DeleteBucket', 's3:GetBucketLocation']),
  ...targets('table', ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:DeleteTable']),
  ...targets('queue', ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:DeleteQueue']),
  ...targets('topic', ['sns:Publish', 'sns:Subscribe', 'sns:DeleteTopic']),
  ...targets('function', ['lambda:InvokeFunction', 'lambda:GetFunction', 'lambda:DeleteFunction']),
  ...targets('instance', ['ec2:StartInstances', 'ec2:StopInstances', 'ec2:RebootInstances', 'ec2:TerminateInstances']),
  ...targets('none', ['ec2:DescribeInstances', 'ec2:DescribeVpcs']),
  ...targets('log-stream', ['logs:PutLogEvents', 'logs:CreateLogStream']),
  ...targets('log-group', ['logs:DeleteLogGroup']),
  ...targets('secret', ['secretsmanager:GetSecretValue', 'secretsmanager:DeleteSecret']),
  ...targets('role', ['iam:GetRole', 'iam:DeleteRole']),
];

/** The ARN of a resource of the given kind; `name` is the kind's own name part (bucket/key for objects). */
export function resourceArn(kind: ResourceKind, name: string, region: string, account = ACCOUNT): string {
  const regional = (part: string, service: string): string => `arn:aws:${service}:${region}:${account}:${part}`;
  switch (kind) {
    case 'object':
    case 'bucket':
      return `arn:aws:s3:::${name}`;
    case 'table':
      return regional(`table/${name}`, 'dynamodb');
    case 'queue':
      return regional(name, 'sqs');
    case 'topic':
      return regional(name, 'sns');
    case 'function':
      return regional(`function:${name}`, 'lambda');
    case 'instance':
      return regional(`instance/${name}`, 'ec2');
    case 'none':
      return '*';
    case 'log-stream':
      return regional(`log-group:${name}:log-stream:main`, 'logs');
    case 'log-group':
      return regional(`log-group:${name}`, 'logs');
    case 'secret':
      return regional(`secret:${name}-AbCdEf`, 'secretsmanager');
    case 'role':
      return `arn:aws:iam::${account}:role/${name}`;
  }
}

export function targetsOfKind(kind: ResourceKind): ActionTarget[] {
  return ACTION_TARGETS.filter((target) => target.kind === kind);
}

export function serviceOf(action: string): string {
  return action.slice(0, action.indexOf(':'));
}

/** The region a request goes to: the resource's, or one of `regions` for S3/IAM/`*` resources that name none. */
export function requestedRegion(resource: string, random: Random, regions: readonly string[] = REGIONS): string {
  const region = resource.split(':')[3];
  return region ? region : random.pick(regions);
}

/**
 * Workload 3, the full evaluation chain: two levels of SCPs, a permissions boundary, two identity
 * policies full of String/Numeric/Date/IP/Bool/Null/Arn conditions and policy variables (`${aws:username}`,
 * `${aws:PrincipalTag/team}`, with and without a default), and a session policy for role sessions. Requests come from IAM users and
 * assumed-role sessions with varied context: missing tags, no MFA, plain HTTP, outside IP ranges, ...
 */
import { seededRandom, type Random } from './random.js';
import {
  ACCOUNT,
  REGIONS,
  iamUser,
  policyDocument,
  requestedRegion,
  resourceArn,
  roleSession,
  targetsOfKind,
  type BenchCase,
  type ContextValues,
  type NamedPolicy,
  type PolicySet,
  type Principal,
  type ResourceKind,
  type Workload,
} from './workload.js';

const A = ACCOUNT;
const TEAMS = ['payments', 'search', 'ml', 'ops'] as const;
const APPROVED_REGIONS = ['us-east-1', 'eu-west-1'] as const;

const SCP_ROOT: NamedPolicy[] = [
  { name: 'FullAWSAccess', document: policyDocument({ Effect: 'Allow', Action: '*', Resource: '*' }) },
  {
    name: 'DenyOutsideApprovedRegions',
    document: policyDocument({
      Effect: 'Deny',
      NotAction: ['iam:*', 'sts:*', 'organizations:*', 'support:*'],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': [...APPROVED_REGIONS] } },
    }),
  },
];

const SCP_OU: NamedPolicy[] = [
  {
    name: 'WorkloadServices',
    document: policyDocument({
      Effect: 'Allow',
      Action: ['s3:*', 'dynamodb:*', 'sqs:*', 'sns:*', 'ec2:*', 'lambda:*', 'logs:*', 'iam:Get*', 'iam:List*'],
      Resource: '*',
    }),
  },
  {
    name: 'ProtectInfrastructure',
    document: policyDocument(
      { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' },
      { Effect: 'Deny', Action: 'ec2:TerminateInstances', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
    ),
  },
];

const BOUNDARY: NamedPolicy = {
  name: 'DeveloperBoundary',
  document: policyDocument(
    {
      Effect: 'Allow',
      Action: ['s3:*', 'dynamodb:*', 'sqs:*', 'sns:Publish', 'sns:Subscribe', 'ec2:*', 'logs:*', 'lambda:InvokeFunction', 'iam:Get*'],
      Resource: '*',
    },
    {
      Sid: 'OnlyFromCorporateNetwork',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: {
        NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.0.2.0/24', '2001:db8::/32'] },
        Bool: { 'aws:ViaAWSService': 'false' },
      },
    },
  ),
};

const HOME_AND_TEAM: NamedPolicy = {
  name: 'HomeAndTeam',
  document: policyDocument(
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::home-bucket/${aws:username}/*' },
    {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::home-bucket',
      Condition: { StringLike: { 's3:prefix': ['${aws:username}/*', ''] } },
    },
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      Resource: `arn:aws:dynamodb:*:${A}:table/\${aws:PrincipalTag/team}-*`,
      Condition: { StringEquals: { 'aws:RequestedRegion': [...APPROVED_REGIONS] } },
    },
    {
      Effect: 'Allow',
      Action: ['ec2:StartInstances', 'ec2:StopInstances', 'ec2:RebootInstances'],
      Resource: `arn:aws:ec2:*:${A}:instance/*`,
      Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } },
    },
    { Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' },
    {
      Effect: 'Allow',
      Action: ['logs:PutLogEvents', 'logs:CreateLogStream'],
      Resource: `arn:aws:logs:*:${A}:log-group:/app/\${aws:PrincipalTag/team}*`,
    },
  ),
};

const GUARDED_ACCESS: NamedPolicy = {
  name: 'GuardedAccess',
  document: policyDocument(
    {
      Sid: 'QueuesDuringContract',
      Effect: 'Allow',
      Action: ['sqs:SendMessage', 'sqs:ReceiveMessage'],
      Resource: `arn:aws:sqs:*:${A}:*`,
      // aws:EpochTime carries the same instant as aws:CurrentTime, in seconds (reference_policies_condition-keys.html).
      Condition: { DateGreaterThan: { 'aws:CurrentTime': '2024-01-01T00:00:00Z' }, DateLessThan: { 'aws:EpochTime': '2026-01-01T00:00:00Z' } },
    },
    {
      Sid: 'DestructiveWithRecentMfa',
      Effect: 'Allow',
      Action: ['ec2:TerminateInstances', 'dynamodb:DeleteItem'],
      Resource: '*',
      Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    },
    {
      Sid: 'TeamFunctionsForEngineering',
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: `arn:aws:lambda:*:${A}:function:\${aws:PrincipalTag/team}-*`,
      Condition: { StringEqualsIgnoreCase: { 'aws:PrincipalTag/department': 'engineering' } },
    },
    { Sid: 'AlertsFromVpn', Effect: 'Allow', Action: 'sns:Publish', Resource: `arn:aws:sns:*:${A}:alerts`, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    { Sid: 'TlsOnly', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    {
      Sid: 'KnownTeamsOnly',
      Effect: 'Deny',
      Action: 'dynamodb:*',
      Resource: '*',
      Condition: { StringNotEqualsIfExists: { 'aws:PrincipalTag/team': ['payments', 'search', 'ml'] } },
    },
    {
      Sid: 'NotThroughCloudFormation',
      Effect: 'Deny',
      Action: 'ec2:*',
      Resource: '*',
      Condition: { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['cloudformation.amazonaws.com'] } },
    },
    {
      Sid: 'OldSessionsReadOnly',
      Effect: 'Deny',
      Action: ['s3:PutObject', 'dynamodb:PutItem'],
      Resource: '*',
      Condition: { DateLessThanIfExists: { 'aws:TokenIssueTime': '2024-06-01T00:00:00Z' } },
    },
  ),
};

/** Rules at the edges of the condition grammar: variable defaults, Null, ArnLike, ForAllValues, epoch dates. */
const EDGE_RULES: NamedPolicy = {
  name: 'EdgeRules',
  document: policyDocument(
    {
      Sid: 'TeamQueuesWithDefault',
      Effect: 'Allow',
      Action: 'sqs:DeleteMessage',
      Resource: `arn:aws:sqs:*:${A}:\${aws:PrincipalTag/team, 'shared'}-*`,
    },
    { Sid: 'DepartmentRequired', Effect: 'Deny', Action: 'lambda:*', Resource: '*', Condition: { Null: { 'aws:PrincipalTag/department': 'true' } } },
    {
      Sid: 'AppRolesSubscribe',
      Effect: 'Allow',
      Action: 'sns:Subscribe',
      Resource: '*',
      Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/app-*' } },
    },
    {
      Sid: 'ScanOnlyDirectly',
      Effect: 'Allow',
      Action: 'dynamodb:Scan',
      Resource: '*',
      Condition: { 'ForAllValues:StringEquals': { 'aws:CalledVia': ['dynamodb.amazonaws.com'] } },
    },
    { Sid: 'LogsFrozenFrom2026', Effect: 'Deny', Action: 'logs:*', Resource: '*', Condition: { DateGreaterThanEquals: { 'aws:CurrentTime': '1767225600' } } },
  ),
};

const SESSION_POLICY: NamedPolicy = {
  name: 'SessionScope',
  document: policyDocument(
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 'dynamodb:*', 'sqs:*', 'sns:Subscribe', 'ec2:*', 'logs:*', 'lambda:InvokeFunction'], Resource: '*' },
    { Effect: 'Deny', Action: 'sqs:SendMessage', Resource: '*', Condition: { StringLike: { 'aws:userid': '*:session-9?' } } },
  ),
};

const USER_POLICIES: PolicySet = { identity: [HOME_AND_TEAM, GUARDED_ACCESS, EDGE_RULES], boundary: BOUNDARY, scpLevels: [SCP_ROOT, SCP_OU] };
const SESSION_POLICIES: PolicySet = { ...USER_POLICIES, session: SESSION_POLICY };

const KINDS: readonly ResourceKind[] = ['object', 'object', 'bucket', 'table', 'table', 'instance', 'queue', 'function', 'topic', 'log-stream', 'none'];

function randomPrincipal(random: Random): { principal: Principal; user?: string } {
  if (random.chance(0.4)) return { principal: roleSession(random.pick(['app-web', 'app-worker', 'ci']), `session-${random.int(100)}`) };
  const user = `dev-${random.int(60)}`;
  return { principal: iamUser(user), user };
}

function resourceName(kind: ResourceKind, random: Random, user: string | undefined): string {
  const team = random.pick(TEAMS);
  switch (kind) {
    case 'object':
      return `home-bucket/${random.chance(0.6) && user ? user : `dev-${random.int(60)}`}/notes-${random.int(5)}.txt`;
    case 'bucket':
      return random.pick(['home-bucket', 'home-bucket', 'shared-bucket']);
    case 'table':
      return `${team}-${random.pick(['orders', 'events'])}`;
    case 'function':
      return `${team}-api`;
    case 'topic':
      return random.pick(['alerts', 'alerts', 'news']);
    case 'queue':
      return random.pick([`${team}-jobs`, 'shared-jobs', `queue-${random.int(20)}`]);
    case 'log-stream':
      return `/app/${team}`;
    case 'none':
      return '*';
    default:
      return `${kind}-${random.int(20)}`;
  }
}

/** A whole second between the two years, in epoch seconds. */
function randomInstant(random: Random, fromYear: number, toYear: number): number {
  const from = Date.UTC(fromYear, 0, 1) / 1000;
  const to = Date.UTC(toYear, 0, 1) / 1000;
  return from + Math.floor(random.next() * (to - from));
}

const isoDate = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');

function randomContext(random: Random, principal: Principal, action: string, resource: string, user: string | undefined): ContextValues {
  const context: ContextValues = { ...principal.context };
  if (random.chance(0.85)) context['aws:PrincipalTag/team'] = random.pick(TEAMS);
  if (random.chance(0.6)) context['aws:PrincipalTag/department'] = random.pick(['Engineering', 'engineering', 'Finance']);
  context['aws:SourceIp'] = random.pick(['10.1.2.3', '10.200.0.9', '192.0.2.44', '10.9.9.9', '2001:db8::1', '10.0.0.1', '192.0.2.255', '203.0.113.9', '2001:db9::1']);
  context['aws:SecureTransport'] = random.chance(0.9) ? 'true' : 'false';
  context['aws:ViaAWSService'] = random.chance(0.85) ? 'false' : 'true';
  const now = randomInstant(random, 2023, 2027);
  context['aws:CurrentTime'] = isoDate(now);
  context['aws:EpochTime'] = String(now);
  context['aws:RequestedRegion'] = random.chance(0.95) ? requestedRegion(resource, random, APPROVED_REGIONS) : random.pick(REGIONS);
  if (!user) context['aws:TokenIssueTime'] = isoDate(randomInstant(random, 2024, 2025));
  if (user && random.chance(0.5)) {
    context['aws:MultiFactorAuthPresent'] = 'true';
    context['aws:MultiFactorAuthAge'] = String(random.int(7200));
  } else if (random.chance(0.5)) {
    context['aws:MultiFactorAuthPresent'] = 'false';
  }
  if (random.chance(0.1)) context['aws:CalledVia'] = ['cloudformation.amazonaws.com'];
  if (action.startsWith('ec2:') && resource !== '*' && random.chance(0.8)) context['aws:ResourceTag/team'] = random.pick(TEAMS);
  if (action === 's3:ListBucket') context['s3:prefix'] = random.pick([`${user ?? 'nobody'}/`, 'shared/', '']);
  return context;
}

function randomCase(random: Random): BenchCase {
  const { principal, user } = randomPrincipal(random);
  const kind = random.pick(KINDS);
  const action = random.pick(targetsOfKind(kind)).action;
  const region = random.chance(0.9) ? random.pick(APPROVED_REGIONS) : 'us-west-2';
  const resource = resourceArn(kind, resourceName(kind, random, user), region);
  return {
    request: { principal: principal.arn, action, resource, resourceAccount: A, context: randomContext(random, principal, action, resource, user) },
    policies: user ? USER_POLICIES : SESSION_POLICIES,
  };
}

export function buildConditionWorkload(size: number, seed = 3): Workload {
  const random = seededRandom(seed);
  return { id: 'conditions', title: 'conditions + variables + SCPs + boundary + session', cases: Array.from({ length: size }, () => randomCase(random)) };
}

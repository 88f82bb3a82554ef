/**
 * Run by young-allocation.test.ts in a child process, with --allow-natives-syntax (for V8's
 * %InYoungGeneration) and a small young generation, so that V8's allocation-site pretenuring decides
 * quickly. It keeps thousands of compiled policies, as a server does, which makes every allocation site of
 * the parser and the compiler look long-lived; then it parses and compiles documents never seen before, as
 * the cold path does, and prints (as JSON) which of their objects V8 allocated outside the young
 * generation. A control shows that pretenuring did happen: an object literal of this probe whose objects
 * were all kept is pretenured.
 */
import { compilePolicy, compileValidatedPolicy, parsePolicy, type PolicyKind } from '../../src/policy/index.js';
import { parseCidr } from '../../src/policy/ip.js';
import { parseTemplate } from '../../src/policy/variables.js';

// V8's natives syntax is not TypeScript: the function is compiled at run time, under --allow-natives-syntax.
const inYoungGeneration = new Function('value', 'return %InYoungGeneration(value);') as (value: object) => boolean;

/** Documents of each kind, with a serial number in their Id so that each serial makes new ones. */
function documents(serial: number): Array<{ kind: PolicyKind; text: string }> {
  const identity = {
    Version: '2012-10-17',
    Id: `probe-${serial}`,
    Statement: [
      {
        Sid: 'HomeFolder',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: `arn:aws:s3:::bucket-${serial % 7}/home/\${aws:username}/*`,
        Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] }, StringLike: { 's3:prefix': 'home/${aws:username}/*' } },
      },
      { Sid: 'NoIamButRoles', Effect: 'Deny', NotAction: 'iam:*', NotResource: ['arn:aws:iam::*:role/app-?', 'arn:aws:s3:::*'] },
      {
        Effect: 'Allow',
        Action: ['ec2:Describe*', 'ec2:StartInstances'],
        Resource: 'arn:aws:ec2:*:111122223333:instance/*',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': true }, 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team', 'env'] } },
      },
      { Effect: 'Allow', Action: 'sqs:*', Resource: 'arn:aws:sqs:us-east-1:111122223333:queue-${aws:PrincipalTag/team}' },
      {
        Effect: 'Allow',
        Action: 'logs:CreateLogStream',
        Resource: '*',
        Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' }, NumericLessThan: { 's3:max-keys': 10 } },
      },
    ],
  };
  const resource = {
    Version: '2012-10-17',
    Id: `probe-${serial}`,
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::111122223333:user/alice', '444455556666'], Service: 'logs.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::shared/*',
        Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:logs:*:111122223333:log-group:*' } },
      },
      { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::shared/*' },
    ],
  };
  const trust = {
    Version: '2012-10-17',
    Id: `probe-${serial}`,
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.example.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { 'oidc.example.com:sub': `system:serviceaccount:team:app-${serial}` } },
      },
    ],
  };
  return [
    { kind: 'identity', text: JSON.stringify(identity) },
    { kind: 'resource', text: JSON.stringify(resource) },
    { kind: 'trust', text: JSON.stringify(trust) },
  ];
}

/** The paths of the objects reachable from `root` (functions and frozen shared constants aside) that are not young. */
function notYoung(root: object): string[] {
  const found: string[] = [];
  const visited = new Set<object>();
  const visit = (value: unknown, path: string): void => {
    if (typeof value !== 'object' || value === null || visited.has(value) || Object.isFrozen(value)) return;
    visited.add(value);
    if (!inYoungGeneration(value)) found.push(path);
    if (value instanceof Map) {
      for (const [key, item] of value) visit(item, `${path}.get(${String(key)})`);
      return;
    }
    for (const [key, item] of Object.entries(value)) visit(item, `${path}.${key}`);
  };
  visit(root, '');
  return found;
}

/** A record of this probe's own, from an object literal: the control. */
function controlRecord(serial: number): { serial: number; kind: string } {
  return { serial, kind: 'control' };
}

const WARM_SERIALS = 2000;
const kept: unknown[] = [];
for (let serial = 0; serial < WARM_SERIALS; serial++) {
  for (const { kind, text } of documents(serial)) kept.push(compilePolicy(text, { kind }), parsePolicy(text));
  kept.push(parseTemplate(`home/\${aws:username}/${serial}/*`), parseCidr(`10.${serial % 256}.0.0/16`));
  for (let i = 0; i < 50; i++) kept.push(controlRecord(serial));
}

const old: string[] = [];
for (let serial = WARM_SERIALS; serial < WARM_SERIALS + 20; serial++) {
  for (const { kind, text } of documents(serial)) {
    old.push(...notYoung(compilePolicy(text, { kind })).map((path) => `compilePolicy(${kind})${path}`));
    old.push(...notYoung(parsePolicy(text)).map((path) => `parsePolicy(${kind})${path}`));
    const validated = compileValidatedPolicy({ document: text }, kind, { checkSize: false });
    if (!validated.valid) throw new Error(`probe document of kind ${kind} is invalid: ${validated.error.message}`);
    old.push(...notYoung(validated.compiled).map((path) => `compileValidatedPolicy(${kind})${path}`));
  }
  old.push(...notYoung(parseTemplate(`home/\${aws:username}/${serial}/*`) ?? []).map((path) => `parseTemplate${path}`));
  old.push(...notYoung(parseCidr(`10.${serial % 256}.0.0/16`) ?? {}).map((path) => `parseCidr${path}`));
}

process.stdout.write(`${JSON.stringify({ kept: kept.length, controlPretenured: !inYoungGeneration(controlRecord(-1)), old: [...new Set(old)] })}\n`);

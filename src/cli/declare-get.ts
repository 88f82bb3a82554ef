/**
 * `rolecall get iamroles|awsproviders -f ... [-o yaml|json|wide|name]` and `rolecall describe -f ...`:
 * each object with its status computed live from the endpoint (a dry-run reconcile; nothing written).
 * The table has the CRDs' printer columns: NAME, ROLE, ARN, READY, AGE (wide adds SYNCED, PROVIDER, PATH).
 */
import { stringify } from 'yaml';
import { UsageError } from './flags.js';
import {
  applySet,
  connectProviders,
  providerStatus,
  type AWSProviderStatus,
  type DeclaredSet,
  type AssociationReport,
  type IAMRoleStatus,
  type PodIdentityAssociationStatus,
  type RoleReport,
} from '../declare/index.js';
import type { DeclareFlags } from './declare-flags.js';

interface ListedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string };
  spec: unknown;
  status: IAMRoleStatus | AWSProviderStatus | PodIdentityAssociationStatus;
}

/** Runs get or describe. */
export async function runGet(
  command: 'get' | 'describe',
  resource: 'iamroles' | 'awsproviders' | 'podidentityassociations',
  set: DeclaredSet,
  flags: DeclareFlags,
  connect: { defaultEndpoint?: string; concurrency: number },
): Promise<number> {
  if (command === 'get' && flags.output !== undefined && !['yaml', 'json', 'wide', 'name'].includes(flags.output))
    throw new UsageError(`-o ${flags.output}: supported output formats are yaml, json, wide, name`);
  if (resource === 'awsproviders') return getProviders(command, set, flags, connect);
  if (resource === 'podidentityassociations') return getAssociations(command, set, flags, connect);
  const report = await applySet({ ...set, associations: [] }, { ...connect, dryRun: true });
  if (command === 'describe') {
    process.stdout.write(report.roles.map(describeRole).join('\n\n') + '\n');
    return 0;
  }
  if (!printListed(report.roles.map(({ object, result }) => listedObject(object, result.status)), flags.output, 'iamrole')) printTable(roleTable(report.roles, flags.output === 'wide'));
  return 0;
}

async function getProviders(command: 'get' | 'describe', set: DeclaredSet, flags: DeclareFlags, connect: { defaultEndpoint?: string }): Promise<number> {
  const connections = connectProviders(set, connect);
  const objects: ListedObject[] = [];
  for (const provider of set.providers) {
    const status = await providerStatus(connections.get(`${provider.metadata.namespace}/${provider.metadata.name}`)!, provider.metadata.generation);
    objects.push(listedObject(provider, status));
  }
  if (command === 'describe' || flags.output === 'yaml') process.stdout.write(objects.map((object) => stringify(object, { lineWidth: 0 })).join('---\n'));
  else if (flags.output === 'json') printObjects(objects, 'json');
  else if (flags.output === 'name') for (const object of objects) process.stdout.write(`awsprovider/${object.metadata.name}\n`);
  else
    printTable([
      ['NAME', 'REGION', 'READY', 'ACCOUNT', ...(flags.output === 'wide' ? ['IDENTITY', 'ENDPOINT'] : [])],
      ...objects.map((object, index) => {
        const status = object.status as AWSProviderStatus;
        return [
          object.metadata.name,
          set.providers[index]!.spec.region,
          String(status.ready),
          status.accountID ?? '<none>',
          ...(flags.output === 'wide' ? [status.callerIdentity ?? status.conditions[0]?.message ?? '', set.providers[index]!.spec.endpoint ?? connect.defaultEndpoint ?? 'AWS'] : []),
        ];
      }),
    ]);
  return objects.some((object) => !(object.status as AWSProviderStatus).ready) ? 1 : 0;
}

async function getAssociations(command: 'get' | 'describe', set: DeclaredSet, flags: DeclareFlags, connect: { defaultEndpoint?: string; concurrency: number }): Promise<number> {
  // Roles are planned too (read only), so an association naming a role of the files by name resolves it.
  const report = await applySet(set, { ...connect, dryRun: true });
  if (command === 'describe') {
    process.stdout.write(report.associations.map(describeAssociation).join('\n\n') + '\n');
    return 0;
  }
  if (!printListed(report.associations.map(({ object, result }) => listedObject(object, result.status)), flags.output, 'podidentityassociation'))
    printTable([
      ['NAME', 'CLUSTER', 'NAMESPACE', 'SERVICE ACCOUNT', 'ASSOCIATION ID', 'READY', 'AGE', ...(flags.output === 'wide' ? ['ROLE ARN', 'SYNCED'] : [])],
      ...report.associations.map(({ object, result }) => [
        object.metadata.name,
        object.spec.clusterName,
        object.spec.namespace,
        object.spec.serviceAccount,
        result.status.associationId ?? '<none>',
        String(result.status.ready),
        age(result.status.createdAt),
        ...(flags.output === 'wide' ? [result.status.roleArn ?? result.roleArn ?? '<none>', result.status.conditions.find((c) => c.type === 'Synced')?.reason ?? ''] : []),
      ]),
    ]);
  return 0;
}

function describeAssociation({ object, result }: AssociationReport): string {
  const { status } = result;
  return [
    `Name:         ${object.metadata.name}`,
    `Namespace:    ${object.metadata.namespace}`,
    `API Version:  ${object.apiVersion}`,
    `Kind:         ${object.kind}`,
    `Source:       ${object.origin}`,
    'Spec:',
    `  Provider Ref:          ${object.spec.providerRef.name}`,
    `  Cluster Name:          ${object.spec.clusterName}`,
    `  Service Account:       ${object.spec.namespace}/${object.spec.serviceAccount}`,
    `  Role:                  ${object.spec.roleArn ?? object.spec.roleName ?? ''}`,
    `  Target Role Arn:       ${object.spec.targetRoleArn ?? '<none>'}`,
    `  Disable Session Tags:  ${object.spec.disableSessionTags ?? false}`,
    `  Deletion Policy:       ${object.spec.deletionPolicy ?? 'Delete'}`,
    'Status:',
    `  Association Arn:  ${status.associationArn ?? '<none>'}`,
    `  Association Id:   ${status.associationId ?? '<none>'}`,
    `  Role Arn:         ${status.roleArn ?? '<none>'}`,
    `  Created At:       ${status.createdAt ?? '<none>'}`,
    `  Ready:            ${status.ready}`,
    `  Last Sync Time:   ${status.lastSyncTime}`,
    '  Conditions:',
    '    Type    Status  Reason            Message',
    ...status.conditions.map((c) => `    ${c.type.padEnd(8)}${c.status.padEnd(8)}${c.reason.padEnd(18)}${c.message}`),
    'Pending Changes:',
    ...(result.outcome === 'failed' || result.actions.length === 0 ? ['  <none>'] : result.actions.map((action) => `  - ${action.summary}`)),
    ...result.notes.map((note) => `  ! ${note}`),
  ].join('\n');
}

/** An object as `get -o yaml|json` lists it: the manifest's identity and spec with its live status. */
function listedObject(
  object: { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; spec: unknown },
  status: ListedObject['status'],
): ListedObject {
  return { apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.metadata.name, namespace: object.metadata.namespace }, spec: object.spec, status };
}

/** Prints the objects for `-o yaml|json|name`; false when the output is a table (the caller's to print). */
function printListed(objects: ListedObject[], output: string | undefined, kindName: string): boolean {
  if (output === 'yaml' || output === 'json') printObjects(objects, output);
  else if (output === 'name') for (const object of objects) process.stdout.write(`${kindName}/${object.metadata.name}\n`);
  else return false;
  return true;
}

function printObjects(objects: ListedObject[], format: 'yaml' | 'json'): void {
  const value = objects.length === 1 ? objects[0] : { apiVersion: 'v1', kind: 'List', items: objects };
  process.stdout.write(format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value, { lineWidth: 0 }));
}

/** kubectl's age: 45s, 12m, 5h, 3d. */
function age(since: string | undefined, now = Date.now()): string {
  if (!since) return '<none>';
  const seconds = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 2 * 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 2 * 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

function roleTable(roles: RoleReport[], wide: boolean): string[][] {
  return [
    ['NAME', 'ROLE', 'ARN', 'READY', 'AGE', ...(wide ? ['SYNCED', 'PROVIDER', 'PATH'] : [])],
    ...roles.map(({ object, result }) => [
      object.metadata.name,
      object.spec.roleName,
      result.status.roleArn ?? '<none>',
      String(result.status.ready),
      age(result.status.createDate),
      ...(wide ? [result.status.conditions.find((c) => c.type === 'Synced')?.reason ?? '', object.spec.providerRef.name, object.spec.path ?? '/'] : []),
    ]),
  ];
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) process.stdout.write(`${row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]! + 3))).join('')}\n`);
}

function describeRole({ object, result }: RoleReport): string {
  const { status } = result;
  const lines = [
    `Name:         ${object.metadata.name}`,
    `Namespace:    ${object.metadata.namespace}`,
    `API Version:  ${object.apiVersion}`,
    `Kind:         ${object.kind}`,
    `Source:       ${object.origin}`,
    'Spec:',
    `  Provider Ref:          ${object.spec.providerRef.name}`,
    `  Role Name:             ${object.spec.roleName}`,
    `  Path:                  ${object.spec.path ?? '/'}`,
    `  Max Session Duration:  ${object.spec.maxSessionDuration ?? 3600}`,
    `  Managed Policy Arns:   ${(object.spec.managedPolicyArns ?? []).join(', ') || '<none>'}`,
    `  Deletion Policy:       ${object.spec.deletionPolicy ?? 'Delete'}`,
    'Status:',
    `  Role Arn:         ${status.roleArn ?? '<none>'}`,
    `  Role Id:          ${status.roleId ?? '<none>'}`,
    `  Create Date:      ${status.createDate ?? '<none>'}`,
    `  Ready:            ${status.ready}`,
    `  Last Sync Time:   ${status.lastSyncTime}`,
    '  Conditions:',
    '    Type    Status  Reason            Message',
    ...status.conditions.map((c) => `    ${c.type.padEnd(8)}${c.status.padEnd(8)}${c.reason.padEnd(18)}${c.message}`),
    'Pending Changes:',
    ...(result.outcome === 'failed' || result.actions.length === 0 ? ['  <none>'] : result.actions.map((action) => `  - ${action.summary}`)),
    ...result.notes.map((note) => `  ! ${note}`),
  ];
  return lines.join('\n');
}

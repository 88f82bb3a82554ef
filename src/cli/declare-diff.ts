/**
 * `rolecall diff -f ...`: kubectl diff's behaviour — the live and the would-be state of each object as
 * YAML files in temporary LIVE- and MERGED- directories (named group.version.Kind.namespace.name),
 * compared by `diff -u -N` or the program in ROLECALL_EXTERNAL_DIFF / KUBECTL_EXTERNAL_DIFF. Exit 0: no
 * differences; 1: differences; >1: an error.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { applySet, desiredView, liveView, type AssociationReport, type DeclaredSet, type DesiredAssociation, type ObservedAssociation, type RoleReport } from '../declare/index.js';
import type { DeclareFlags } from './declare-flags.js';

/** An association in its spec's terms, for the LIVE and MERGED files. */
function associationView(association: Pick<DesiredAssociation, 'clusterName' | 'namespace' | 'serviceAccount' | 'targetRoleArn' | 'disableSessionTags' | 'tags'> & { roleArn: string }) {
  return {
    clusterName: association.clusterName,
    namespace: association.namespace,
    serviceAccount: association.serviceAccount,
    roleArn: association.roleArn,
    ...(association.targetRoleArn ? { targetRoleArn: association.targetRoleArn } : {}),
    disableSessionTags: association.disableSessionTags,
    tags: Object.fromEntries(Object.entries(association.tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

function liveAssociationView(live: ObservedAssociation) {
  return associationView(live);
}

function fileName(report: RoleReport | AssociationReport): string {
  const { object } = report;
  const [group, version] = object.apiVersion.split('/');
  return `${group}.${version}.${object.kind}.${object.metadata.namespace}.${object.metadata.name}`;
}

function document(report: RoleReport | AssociationReport, spec: unknown, comments: string[]): string {
  const { object } = report;
  const header = comments.map((line) => `# ${line}\n`).join('');
  return header + stringify({ apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.metadata.name, namespace: object.metadata.namespace }, spec }, { lineWidth: 0 });
}

/** Runs the diff; returns 0, 1 or 2 as kubectl diff does. */
export async function runDiff(set: DeclaredSet, flags: DeclareFlags, connect: { defaultEndpoint?: string; concurrency: number }): Promise<number> {
  const report = await applySet(set, { ...connect, dryRun: true, prune: flags.prune });
  const failures = [...report.roles, ...report.associations].filter((object) => object.result.outcome === 'failed');
  for (const object of failures) {
    const failure = object.result.failure!;
    process.stderr.write(`error: ${object.object.kind.toLowerCase()}/${object.object.metadata.name} (${object.object.origin}): ${failure.code}: ${failure.message}\n`);
  }
  const live = await mkdtemp(join(tmpdir(), 'LIVE-'));
  const merged = await mkdtemp(join(tmpdir(), 'MERGED-'));
  try {
    for (const role of report.roles) {
      if (role.result.outcome === 'failed') continue;
      const name = fileName(role);
      if (role.result.live) await writeFile(join(live, name), document(role, liveView(role.result.live, role.desired), []));
      await writeFile(join(merged, name), document(role, desiredView(role.desired), role.result.notes));
    }
    for (const association of report.associations) {
      if (association.result.outcome === 'failed') continue;
      const name = fileName(association);
      if (association.result.live) await writeFile(join(live, name), document(association, liveAssociationView(association.result.live), []));
      await writeFile(join(merged, name), document(association, associationView({ ...association.desired, roleArn: association.result.roleArn ?? '' }), association.result.notes));
    }
    for (const pruned of report.prunedAssociations) {
      if (pruned.result.outcome === 'failed') continue;
      const { association } = pruned;
      await writeFile(
        join(live, `eks.podidentityassociation.${pruned.owner.replace('/', '.')}.${association.associationId}`),
        `# ${association.namespace}/${association.serviceAccount} of cluster ${association.clusterName} (${association.associationId}), owned by ${pruned.owner}: apply --prune deletes it\n`,
      );
    }
    for (const pruned of report.pruned) {
      if (pruned.result.outcome === 'failed') continue;
      // A pruned role has no object any more: its owner tag names the one it had.
      await writeFile(join(live, `iam.role.${pruned.owner.replace('/', '.')}.${pruned.roleName}`), `# role ${pruned.roleName}, owned by ${pruned.owner}: apply --prune deletes it\n`);
    }
    const status = await externalDiff(live, merged);
    if (status > 1) return status;
    return failures.length > 0 ? 2 : status;
  } finally {
    await rm(live, { recursive: true, force: true });
    await rm(merged, { recursive: true, force: true });
  }
}

function externalDiff(live: string, merged: string): Promise<number> {
  const configured = process.env.ROLECALL_EXTERNAL_DIFF ?? process.env.KUBECTL_EXTERNAL_DIFF;
  const [command, ...args] = configured ? configured.split(/\s+/).filter(Boolean) : ['diff', '-u', '-N'];
  return new Promise((resolve) => {
    const child = spawn(command!, [...args, live, merged], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', (error) => {
      process.stderr.write(`error: cannot run ${command}: ${error.message}\n`);
      resolve(2);
    });
    child.once('close', (code) => resolve(code ?? 2));
  });
}

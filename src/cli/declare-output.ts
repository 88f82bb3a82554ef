/** What the declare commands print: kubectl's per-object lines, errors on stderr, progress and a summary. */
import type { AssociationReport, ClusterOnlyObject, RoleDeleteResult, RoleReport, RunSummary } from '../declare/index.js';

/** `iamrole/NAME created` (or configured, unchanged, replaced), the replacement notes, or the error. */
export function printApplyResult(report: RoleReport, nameOnly: boolean): void {
  printObjectResult(`iamrole/${report.object.metadata.name}`, report.object.origin, report.result, nameOnly);
}

/** `podidentityassociation/NAME created` (and so on), as for roles. */
export function printAssociationResult(report: AssociationReport, nameOnly: boolean): void {
  printObjectResult(`podidentityassociation/${report.object.metadata.name}`, report.object.origin, report.result, nameOnly);
}

function printObjectResult(
  name: string,
  origin: string,
  result: { outcome: string; notes: string[]; failure?: { code: string; message: string; operation?: string } },
  nameOnly: boolean,
): void {
  if (result.outcome === 'failed') {
    const failure = result.failure!;
    process.stderr.write(`error: ${name} (${origin}): ${failure.operation ? `${failure.operation}: ` : ''}${failure.code}: ${failure.message}\n`);
    return;
  }
  process.stdout.write(nameOnly ? `${name}\n` : `${name} ${result.outcome}\n`);
  for (const note of result.notes) process.stderr.write(`${name}: ${note}\n`);
}

/** The line for an object only a cluster applies (a blueprint's IRSA ServiceAccount): skipped, never an error. */
export function printClusterOnlySkipped(object: ClusterOnlyObject): void {
  process.stderr.write(
    `${object.kind.toLowerCase()}/${object.name} skipped (namespace ${object.namespace}): a Kubernetes object, not IAM or EKS; apply it to the cluster with kubectl apply (${object.origin})\n`,
  );
}

/** `iamrole/NAME deleted` (or retained, pruned); not-found and failures on stderr. */
export function printDeleteResult(name: string, result: Pick<RoleDeleteResult, 'outcome' | 'message'>, verb: 'deleted' | 'pruned', ignoreNotFound: boolean): void {
  switch (result.outcome) {
    case 'deleted':
      process.stdout.write(`${name} ${verb}\n`);
      return;
    case 'retained':
      process.stdout.write(`${name} retained (${result.message})\n`);
      return;
    case 'not found':
      if (!ignoreNotFound) process.stderr.write(`error: ${name}: NotFound: ${result.message}\n`);
      return;
    case 'failed':
      process.stderr.write(`error: ${name}: ${result.message}\n`);
  }
}

/** The run's totals, after the per-object lines. */
export function printSummary(summary: RunSummary): void {
  const parts = [
    `${summary.created} created`,
    `${summary.configured} configured`,
    `${summary.unchanged} unchanged`,
    ...(summary.replaced ? [`${summary.replaced} replaced`] : []),
    ...(summary.pruned ? [`${summary.pruned} pruned`] : []),
    `${summary.failed} failed`,
  ];
  process.stderr.write(`Summary: ${parts.join(', ')}; ${summary.calls} API calls (${summary.writes} writes)\n`);
}

/** A one-line `[n/total]` progress indicator on a terminal's stderr, for runs long enough to need one. */
export function progressReporter(verb: string, total: number): { update(done: number, total: number): void; clear(): void } {
  const active = process.stderr.isTTY === true && total >= 20;
  let shown = false;
  return {
    update(done) {
      if (!active || done === total) return;
      process.stderr.write(`\r${verb} ${done}/${total} roles...`);
      shown = true;
    },
    clear() {
      if (!shown) return;
      process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}

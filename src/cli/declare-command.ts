/**
 * `rolecall apply|diff|get|describe|delete -f FILE|DIR|- [-R]`: IAM roles declared as Kubernetes
 * manifests (AWSProvider, IAMRole, v1 Secret), reconciled against the endpoint each object's provider
 * names, with kubectl's conventions. Without a cluster nothing is kept on the side: the files are the
 * desired state and the endpoint the actual one.
 */
import { UsageError } from './flags.js';
import { parseDeclareFlags, type DeclareFlags } from './declare-flags.js';
import {
  applySet,
  deleteAssociationSet,
  deleteSet,
  expandDocuments,
  formatProblem,
  loadManifests,
  ManifestError,
  validateManifests,
  type ApplyReport,
  type ClusterOnlyObject,
  type DeclaredSet,
} from '../declare/index.js';
import { printApplyResult, printAssociationResult, printClusterOnlySkipped, printDeleteResult, printSummary, progressReporter } from './declare-output.js';

export type DeclareCommand = 'apply' | 'diff' | 'get' | 'describe' | 'delete';

const COMMAND_FLAGS: Record<DeclareCommand, { values: string[]; switches: string[] }> = {
  apply: { values: [], switches: ['prune'] },
  diff: { values: [], switches: ['prune'] },
  get: { values: [], switches: [] },
  describe: { values: [], switches: [] },
  delete: { values: [], switches: ['ignore-not-found'] },
};

/** Exit code of a command that could not start (bad manifests): diff's is 2 (>1 means error), others 1. */
function errorExit(command: DeclareCommand): number {
  return command === 'diff' ? 2 : 1;
}

/** Loads, expands and validates the manifests; prints every problem and returns undefined when any. */
export async function loadDeclaredSet(flags: DeclareFlags): Promise<DeclaredSet | undefined> {
  try {
    const documents = expandDocuments(await loadManifests(flags.files, { recursive: flags.recursive }), { parameters: flags.parameters });
    const result = validateManifests(documents);
    if (result.valid) return result.set;
    for (const problem of result.problems) process.stderr.write(`error: ${formatProblem(problem)}\n`);
    return undefined;
  } catch (error) {
    if (error instanceof ManifestError) {
      process.stderr.write(`error: ${error.message}\n`);
      return undefined;
    }
    throw error;
  }
}

/** Runs one of the declare commands. */
export async function runDeclareCommand(command: DeclareCommand, args: string[]): Promise<number> {
  // The AWS SDK warns on every run under Node 20 that its releases after January 2027 need Node 22;
  // Rolecall supports Node 20, so on a command's stderr that notice is noise (the user may still opt in).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const flags = parseDeclareFlags(args, COMMAND_FLAGS[command]);
  const resource = command === 'get' || command === 'describe' ? resourceOf(flags.positional) : 'iamroles';
  if (command !== 'get' && command !== 'describe' && flags.positional.length > 0) throw new UsageError(`unexpected argument ${flags.positional[0]}`);
  const set = await loadDeclaredSet(flags);
  if (!set) return errorExit(command);
  const connect = {
    ...(flags.endpoint ? { defaultEndpoint: flags.endpoint } : {}),
    ...(flags.eksEndpoint ? { defaultEksEndpoint: flags.eksEndpoint } : {}),
    concurrency: flags.concurrency,
  };
  switch (command) {
    case 'apply':
      return apply(set, flags, connect);
    case 'diff':
      return (await import('./declare-diff.js')).runDiff(set, flags, connect);
    case 'get':
    case 'describe':
      return (await import('./declare-get.js')).runGet(command, resource, set, flags, connect);
    case 'delete':
      return remove(set, flags, connect);
  }
}

export type DeclareResource = 'iamroles' | 'awsproviders' | 'podidentityassociations';

function resourceOf(positional: string[]): DeclareResource {
  const [name, ...rest] = positional;
  if (rest.length > 0) throw new UsageError(`unexpected argument ${rest[0]}`);
  if (name === undefined) return 'iamroles';
  const lower = name.toLowerCase();
  if (['iamroles', 'iamrole', 'iamr'].includes(lower) || lower.startsWith('iamroles.') || lower.startsWith('iamrole.')) return 'iamroles';
  if (['awsproviders', 'awsprovider', 'awsp'].includes(lower) || lower.startsWith('awsproviders.') || lower.startsWith('awsprovider.')) return 'awsproviders';
  if (['podidentityassociations', 'podidentityassociation', 'pia'].includes(lower) || lower.startsWith('podidentityassociations.') || lower.startsWith('podidentityassociation.'))
    return 'podidentityassociations';
  throw new UsageError(`the server doesn't have a resource type "${name}" (rolecall knows iamroles (iamr), awsproviders (awsp) and podidentityassociations (pia))`);
}


/** What `-o json` says of one object's apply, whatever its kind: outcome, actions, calls, error, status. */
function outcomeFields(result: {
  outcome: string;
  actions: ReadonlyArray<{ summary: string }>;
  notes: readonly string[];
  calls: ReadonlyArray<{ write: boolean }>;
  failure?: { code: string; message: string; operation?: string } | undefined;
  status: unknown;
}) {
  return {
    outcome: result.outcome,
    actions: result.actions.map((action) => action.summary),
    notes: result.notes,
    calls: result.calls.length,
    writes: result.calls.filter((call) => call.write).length,
    ...(result.failure ? { error: { code: result.failure.code, message: result.failure.message, ...(result.failure.operation ? { operation: result.failure.operation } : {}) } } : {}),
    status: result.status,
  };
}
function checkOutput(flags: DeclareFlags, allowed: string[]): void {
  if (flags.output !== undefined && !allowed.includes(flags.output)) throw new UsageError(`-o ${flags.output}: supported output formats are ${allowed.join(', ')}`);
}

async function apply(set: DeclaredSet, flags: DeclareFlags, connect: { defaultEndpoint?: string; concurrency: number }): Promise<number> {
  checkOutput(flags, ['json', 'name']);
  for (const object of set.clusterOnly) printClusterOnlySkipped(object);
  const progress = progressReporter('applying', set.roles.length);
  const report: ApplyReport = await applySet(set, {
    ...connect,
    prune: flags.prune,
    onResult: (role, index, total) => {
      if (flags.output !== 'json') {
        progress.clear();
        printApplyResult(role, flags.output === 'name');
      }
      progress.update(index + 1, total);
    },
    onAssociation: (association) => {
      if (flags.output !== 'json') printAssociationResult(association, flags.output === 'name');
    },
  });
  progress.clear();
  if (flags.output === 'json') process.stdout.write(`${JSON.stringify(applyJson(report, set.clusterOnly), null, 2)}\n`);
  else {
    for (const pruned of report.pruned) printDeleteResult(`iamrole/${pruned.roleName}`, pruned.result, 'pruned', false);
    // A pruned association has no object any more: its ownership tag names the one it had.
    for (const pruned of report.prunedAssociations) printDeleteResult(`podidentityassociation/${pruned.owner.slice(pruned.owner.indexOf('/') + 1)}`, pruned.result, 'pruned', false);
    if (flags.output !== 'name') printSummary(report.summary);
  }
  return report.summary.failed > 0 ? 1 : 0;
}

/** The `apply -o json` document: one item per object, the pruned roles, the summary. */
export function applyJson(report: ApplyReport, skipped: readonly ClusterOnlyObject[] = []): unknown {
  return {
    items: report.roles.map(({ object, result }) => ({
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
      roleName: object.spec.roleName,
      ...outcomeFields(result),
    })),
    associations: report.associations.map(({ object, result }) => ({
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
      clusterName: object.spec.clusterName,
      serviceAccount: `${object.spec.namespace}/${object.spec.serviceAccount}`,
      ...outcomeFields(result),
    })),
    pruned: [
      ...report.pruned.map((pruned) => ({ roleName: pruned.roleName, owner: pruned.owner, outcome: pruned.result.outcome, message: pruned.result.message })),
      ...report.prunedAssociations.map((pruned) => ({
        associationId: pruned.association.associationId,
        clusterName: pruned.association.clusterName,
        owner: pruned.owner,
        outcome: pruned.result.outcome,
        message: pruned.result.message,
      })),
    ],
    skipped: skipped.map((object) => ({ kind: object.kind, metadata: { name: object.name, namespace: object.namespace }, reason: 'a Kubernetes object: apply it to the cluster' })),
    summary: report.summary,
  };
}

async function remove(set: DeclaredSet, flags: DeclareFlags, connect: { defaultEndpoint?: string; concurrency: number }): Promise<number> {
  checkOutput(flags, ['json', 'name']);
  // Associations first: they name roles, which go next.
  const associations = await deleteAssociationSet(set, {
    ...connect,
    onResult: (report) => {
      if (flags.output !== 'json') printDeleteResult(`podidentityassociation/${report.object.metadata.name}`, report.result, 'deleted', flags.ignoreNotFound);
    },
  });
  const reports = await deleteSet(set, {
    ...connect,
    onResult: (report) => {
      if (flags.output !== 'json') printDeleteResult(`iamrole/${report.object.metadata.name}`, report.result, 'deleted', flags.ignoreNotFound);
    },
  });
  if (flags.output === 'json')
    process.stdout.write(
      `${JSON.stringify(
        {
          items: reports.map(({ object, result }) => ({
            kind: object.kind,
            metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
            roleName: object.spec.roleName,
            outcome: result.outcome,
            message: result.message,
            actions: result.actions.map((action) => action.summary),
            calls: result.calls.length,
          })),
          associations: associations.map(({ object, result }) => ({
            kind: object.kind,
            metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
            outcome: result.outcome,
            message: result.message,
            actions: result.actions.map((action) => action.summary),
            calls: result.calls.length,
          })),
        },
        null,
        2,
      )}\n`,
    );
  const failed = [...associations, ...reports].filter((report) => report.result.outcome === 'failed' || (report.result.outcome === 'not found' && !flags.ignoreNotFound));
  return failed.length > 0 ? 1 : 0;
}

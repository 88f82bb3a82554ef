/** `rolecall run`: runs a command as a container of a pod using a ServiceAccount would run (IRSA or Pod Identity). */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { preparePodEnvironment } from '../k8s/run-as-pod.js';
import { ManifestServiceAccounts } from '../k8s/service-accounts.js';
import { parseFlags, UsageError } from './flags.js';
import { API_CLIENT_FLAGS, endpointFromFlags } from './api-client-flags.js';
import { MUTATION_FLAGS, mutationSettingsFromFlags } from './webhook-command.js';

export async function runRunCommand(args: string[]): Promise<number> {
  const separator = args.indexOf('--');
  if (separator < 0 || separator === args.length - 1) throw new UsageError('rolecall run needs `-- COMMAND [ARGS...]`');
  const [command, ...commandArgs] = args.slice(separator + 1) as [string, ...string[]];
  const flags = parseFlags(args.slice(0, separator), {
    values: ['cluster', 'namespace', 'service-account', 'manifests', ...API_CLIENT_FLAGS, ...MUTATION_FLAGS],
    switches: ['sts-regional-endpoint', 'keep-home'],
  });
  const { values } = flags;
  if (flags.positional.length > 0) throw new UsageError(`unexpected argument '${flags.positional[0]}' (the command goes after --)`);
  if (!values.cluster) throw new UsageError('--cluster is required');
  if (!values['service-account']) throw new UsageError('--service-account is required');
  const log = (line: string) => process.stderr.write(`rolecall run: ${line}\n`);
  const pod = await preparePodEnvironment({
    clusterName: values.cluster,
    namespace: values.namespace ?? 'default',
    serviceAccount: values['service-account'],
    serviceAccounts: values.manifests ? await ManifestServiceAccounts.load(values.manifests) : undefined,
    settings: mutationSettingsFromFlags(values, flags.switches),
    eks: await endpointFromFlags('eks', values),
    eksAuth: await endpointFromFlags('eks-auth', values),
    endpointUrl: (await endpointFromFlags('sts', values)).url,
    baseEnv: process.env,
    keepHome: flags.switches.has('keep-home'),
    randomInteger: (min, max) => randomInt(min, max + 1),
    log,
  });
  try {
    const child = spawn(command, commandArgs, { env: pod.env, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 + signalNumber(signal) : 1)));
    });
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    return code;
  } finally {
    await pod.close();
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 }[signal as string] ?? 1;
}

/**
 * `rolecall token --cluster N --namespace NS --service-account SA [--audience A ...] [--pod-name P
 * --pod-uid U --node-name X] [--expiration S]`: a projected service-account token of a Rolecall-issued
 * cluster, minted by the server (CreateServiceAccountToken, authorized as eks:CreateServiceAccountToken)
 * with TokenRequest's rules. Prints only the token, so `$(rolecall token ...)` is the token.
 */
import { createServiceAccountToken, type ServiceAccountTokenBody } from '../k8s/service-account-tokens.js';
import { API_CLIENT_FLAGS, endpointFromFlags, reportApiErrors } from './api-client-flags.js';
import { parseFlags, UsageError } from './flags.js';
import { TOKEN_USAGE } from './usage.js';

export async function runTokenCommand(args: string[]): Promise<number> {
  const flags = parseFlags(args, {
    values: ['cluster', 'namespace', 'service-account', 'pod-name', 'pod-uid', 'node-name', 'node-uid', 'service-account-uid', 'expiration', ...API_CLIENT_FLAGS],
    switches: [],
    repeated: ['audience'],
  });
  const { cluster, namespace } = flags.values;
  const serviceAccount = flags.values['service-account'];
  if (!cluster || !namespace || !serviceAccount || flags.positional.length > 0) throw new UsageError(`usage:\n  ${TOKEN_USAGE}`);
  const expirationText = flags.values.expiration;
  if (expirationText !== undefined && !/^\d+$/.test(expirationText)) throw new UsageError('--expiration is a number of seconds');
  const optional: Record<string, string | undefined> = {
    podName: flags.values['pod-name'],
    podUid: flags.values['pod-uid'],
    nodeName: flags.values['node-name'],
    nodeUid: flags.values['node-uid'],
    serviceAccountUid: flags.values['service-account-uid'],
  };
  const body: ServiceAccountTokenBody = {
    namespace,
    serviceAccount,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    ...(flags.lists.audience ? { audiences: flags.lists.audience } : {}),
    ...(expirationText !== undefined ? { expirationSeconds: Number(expirationText) } : {}),
  };
  const endpoint = await endpointFromFlags('eks', flags.values);
  return reportApiErrors('CreateServiceAccountToken', async () => {
    const { token } = await createServiceAccountToken(endpoint, cluster, body);
    process.stdout.write(`${token}\n`);
    return 0;
  });
}

/**
 * `rolecall cluster create|register|list|describe|delete`: clusters through the EKS API of a Rolecall
 * server (found and signed for as the AWS CLI does: --endpoint-url / AWS_ENDPOINT_URL, the default
 * credential chain), so each call is authorized and audited like any other. Output is the API's JSON, as
 * `aws eks` prints it.
 */
import { readFile } from 'node:fs/promises';
import { signedJsonRequest } from '../k8s/rolecall-endpoint.js';
import { API_CLIENT_FLAGS, endpointFromFlags, reportApiErrors } from './api-client-flags.js';
import { parseFlags, UsageError } from './flags.js';
import { CLUSTER_USAGE } from './usage.js';

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 4)}\n`);

/** Tags given as `--tag KEY=VALUE`, repeatable. */
function tagsOf(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const tags: Record<string, string> = {};
  for (const pair of values) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--tag needs KEY=VALUE, got '${pair}'`);
    tags[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return tags;
}

export async function runClusterCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const flags = parseFlags(rest, { values: ['key-algorithm', 'issuer', 'jwks', ...API_CLIENT_FLAGS], switches: [], repeated: ['tag'] });
  const [name, ...extra] = flags.positional;
  const needsName = sub === 'create' || sub === 'register' || sub === 'describe' || sub === 'delete';
  if (!sub || !['create', 'register', 'list', 'describe', 'delete'].includes(sub) || (needsName && !name) || extra.length > 0 || (!needsName && name)) {
    throw new UsageError(`usage:\n  ${CLUSTER_USAGE}`);
  }
  const endpoint = await endpointFromFlags('eks', flags.values);
  const cluster = encodeURIComponent(name ?? '');
  const tags = tagsOf(flags.lists.tag);
  switch (sub) {
    case 'create': {
      const keyAlgorithm = flags.values['key-algorithm'];
      if (keyAlgorithm !== undefined && keyAlgorithm !== 'RS256' && keyAlgorithm !== 'ES256') throw new UsageError('--key-algorithm is RS256 or ES256');
      return reportApiErrors('CreateClusterIssuer', async () => {
        print((await signedJsonRequest(endpoint, { method: 'POST', path: '/cluster-issuers', body: { name, ...(keyAlgorithm ? { keyAlgorithm } : {}), ...(tags ? { tags } : {}) } })).body);
        return 0;
      });
    }
    case 'register': {
      const issuerUrl = flags.values.issuer;
      const jwksFile = flags.values.jwks;
      if (issuerUrl === undefined && jwksFile === undefined) throw new UsageError('cluster register needs --issuer URL or --jwks FILE');
      const jwks = jwksFile !== undefined ? await readFile(jwksFile, 'utf8') : undefined;
      return reportApiErrors('CreateClusterIssuer', async () => {
        const body = { name, ...(issuerUrl !== undefined ? { issuerUrl } : {}), ...(jwks !== undefined ? { jwks } : {}), ...(tags ? { tags } : {}) };
        print((await signedJsonRequest(endpoint, { method: 'POST', path: '/cluster-issuers', body })).body);
        return 0;
      });
    }
    case 'list':
      return reportApiErrors('ListClusters', async () => {
        const clusters: string[] = [];
        let nextToken: string | undefined;
        do {
          const page = await signedJsonRequest<{ clusters?: string[]; nextToken?: string }>(endpoint, { method: 'GET', path: '/clusters', query: { nextToken } });
          clusters.push(...(page.body.clusters ?? []));
          nextToken = page.body.nextToken;
        } while (nextToken);
        print({ clusters });
        return 0;
      });
    case 'describe':
      return reportApiErrors('DescribeCluster', async () => {
        print((await signedJsonRequest(endpoint, { method: 'GET', path: `/clusters/${cluster}` })).body);
        return 0;
      });
    default:
      return reportApiErrors('DeleteCluster', async () => {
        print((await signedJsonRequest(endpoint, { method: 'DELETE', path: `/clusters/${cluster}` })).body);
        return 0;
      });
  }
}

/**
 * A minimal AWS Query protocol client for end-to-end tests that need the raw answer (HTTP status, error
 * code and message) of any operation by name: the input is flattened the Query way (`Name.member.N`,
 * `Tags.member.N.Key`) and the request is signed with @smithy/signature-v4, the signer SDK v3 uses.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Credentials } from './harness.js';

export type QueryService = 'iam' | 'sts';

const API_VERSIONS: Record<QueryService, string> = { iam: '2010-05-08', sts: '2011-06-15' };

/** The raw answer to one Query request. */
export interface QueryAnswer {
  status: number;
  body: string;
  /** `<Error><Code>` and `<Message>` of an error answer. */
  code?: string;
  message?: string;
}

/** Flattens an input in the model's member names into Query parameters (lists as `.member.N`). */
export function queryParameters(input: Record<string, unknown>, prefix = ''): [string, string][] {
  const params: [string, string][] = [];
  for (const [name, value] of Object.entries(input)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      // AWS Query sends an empty list as the bare name.
      if (value.length === 0) params.push([key, '']);
      value.forEach((item, index) => {
        const itemKey = `${key}.member.${index + 1}`;
        if (item !== null && typeof item === 'object') params.push(...queryParameters(item as Record<string, unknown>, itemKey));
        else params.push([itemKey, String(item)]);
      });
    } else if (value !== null && typeof value === 'object') {
      params.push(...queryParameters(value as Record<string, unknown>, key));
    } else {
      params.push([key, String(value)]);
    }
  }
  return params;
}

/** Sends `Action=operation` with the input, signed for the service (or unsigned without credentials). */
export async function queryRequest(
  url: string,
  service: QueryService,
  operation: string,
  input: Record<string, unknown>,
  credentials: Credentials | undefined,
): Promise<QueryAnswer> {
  const body = new URLSearchParams([['Action', operation], ['Version', API_VERSIONS[service]], ...queryParameters(input)]).toString();
  const endpoint = new URL(url);
  let headers: Record<string, string> = {
    host: endpoint.host,
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
  };
  if (credentials) {
    const signer = new SignatureV4({ service, region: 'us-east-1', credentials, sha256: Sha256 });
    const signed = await signer.sign({
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: Number(endpoint.port),
      path: '/',
      headers,
      body,
    });
    headers = signed.headers;
  }
  const { host: _host, ...sent } = headers;
  const response = await fetch(new URL('/', url), { method: 'POST', headers: sent, body });
  const text = await response.text();
  const answer: QueryAnswer = { status: response.status, body: text };
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  if (code !== undefined) answer.code = code;
  if (message !== undefined) answer.message = unescapeXml(message);
  return answer;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, '&');
}

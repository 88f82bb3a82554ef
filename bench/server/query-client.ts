/**
 * A minimal AWS Query-protocol client: form-encoded POSTs signed with @smithy/signature-v4 (the signer the
 * AWS SDK v3 uses) over keep-alive HTTP. The bench drives Rolecall and moto with it, and the end-to-end
 * durability tests use it because they need the raw status and XML of every answer.
 */
import { Agent, request as httpRequest } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from './node-sha256.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Set for temporary (ASIA...) credentials: signed in as X-Amz-Security-Token. */
  sessionToken?: string;
}

/** Query parameters beyond Action and Version, already flattened (`Tags.member.1.Key`, ...). */
export type QueryParameters = Record<string, string>;

export interface QueryResponse {
  status: number;
  body: string;
}

/** A request ready to go out (signed, or deliberately not); signing and sending are separate so a race can be lined up. */
export interface SignedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface QueryClientOptions {
  /** Sockets kept open to the server; at least the number of requests in flight at once. */
  maxSockets?: number;
  /** The IAM API version; STS would be 2011-06-15. */
  version?: string;
  service?: string;
}

/** RFC 3986 percent-encoding, as the AWS SDKs write form bodies. */
function encodeQueryComponent(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The form body for one action. */
export function queryBody(action: string, parameters: QueryParameters, version = '2010-05-08'): string {
  const parts = [`Action=${encodeQueryComponent(action)}`, `Version=${encodeQueryComponent(version)}`];
  for (const [name, value] of Object.entries(parameters)) parts.push(`${encodeQueryComponent(name)}=${encodeQueryComponent(value)}`);
  return parts.join('&');
}

/** A signing Query client bound to one endpoint (http://host:port). */
export class QueryClient {
  private readonly endpoint: URL;
  private readonly agent: Agent;
  private readonly signer: SignatureV4;
  private readonly version: string;

  constructor(endpoint: string, credentials: Credentials, options: QueryClientOptions = {}) {
    this.endpoint = new URL(endpoint);
    if (this.endpoint.protocol !== 'http:') throw new Error(`only http:// endpoints are supported, not ${endpoint}`);
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 });
    this.version = options.version ?? '2010-05-08';
    this.signer = new SignatureV4({ credentials, region: 'us-east-1', service: options.service ?? 'iam', sha256: NodeSha256 });
  }

  /** Signs one action without sending it. */
  async sign(action: string, parameters: QueryParameters = {}): Promise<SignedRequest> {
    const body = queryBody(action, parameters, this.version);
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: this.endpoint.hostname,
      port: Number(this.endpoint.port),
      path: '/',
      query: {},
      headers: { host: this.endpoint.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    });
    return { path: '/', headers: signed.headers as Record<string, string>, body };
  }

  /** One action without a signature, as AWS takes AssumeRoleWithWebIdentity and AssumeRoleWithSAML. */
  unsigned(action: string, parameters: QueryParameters = {}): SignedRequest {
    return { path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: queryBody(action, parameters, this.version) };
  }

  /** Sends a signed request; resolves with the status and body, rejects only on a transport failure. */
  send(signed: SignedRequest): Promise<QueryResponse> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          agent: this.agent,
          host: this.endpoint.hostname,
          port: Number(this.endpoint.port),
          method: 'POST',
          path: signed.path,
          headers: { ...signed.headers, 'content-length': Buffer.byteLength(signed.body) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
          // A server killed mid-answer closes the socket without completing the message.
          response.on('close', () => {
            if (!response.complete) reject(new Error('connection closed before the answer was complete'));
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(signed.body);
    });
  }

  /** Signs and sends one action. */
  async call(action: string, parameters: QueryParameters = {}): Promise<QueryResponse> {
    return this.send(await this.sign(action, parameters));
  }

  /** Closes the kept-alive sockets. */
  close(): void {
    this.agent.destroy();
  }
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#x[0-9a-fA-F]+|#\d+);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return XML_ENTITIES[entity]!;
  });
}

/** The text of the first `<name>` element in an XML answer, unescaped; undefined if there is none. */
export function xmlText(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return match ? unescapeXml(match[1]!) : undefined;
}

/** The texts of every `<name>` element, in document order. */
export function xmlTexts(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => unescapeXml(m[1]!));
}

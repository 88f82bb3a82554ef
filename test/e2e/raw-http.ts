/**
 * A raw TCP client for the HTTP edge cases real clients cannot be made to produce on demand: a body that
 * stalls half-way, a connection held open, a body larger than announced limits. Records how the
 * server ended the connection — a clean close (FIN) or a reset — because a reset loses the answer.
 */
import { get } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface RawExchange {
  /** Everything the server sent. */
  response: string;
  /** How the connection ended: `end` for a clean close, else the socket error's code (ECONNRESET). */
  ending: string;
}

/** Opens a connection to the server's port. */
export function openConnection(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Collects what the server sends until it ends the connection. */
export function untilClosed(socket: Socket): Promise<RawExchange> {
  return new Promise((resolve) => {
    let response = '';
    let ending = 'end';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (response += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => (ending = error.code ?? error.message));
    socket.on('close', () => resolve({ response, ending }));
  });
}

/** Resolves with the first complete HTTP response on the socket (Content-Length framed). */
export function nextResponse(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const headerEnd = text.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/content-length: *(\d+)/i.exec(text.slice(0, headerEnd))?.[1] ?? 0);
      if (text.length >= headerEnd + 4 + length) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

/** A POST head for `/` with the given extra header lines. */
export function postHead(url: string, headers: Record<string, string | number>): string {
  const lines = Object.entries({ host: new URL(url).host, 'content-type': 'application/x-www-form-urlencoded', ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `POST / HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** Writes and waits until the data has left for the kernel (back-pressure respected). */
export function writeAll(socket: Socket, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())));
}

/** GET on a connection of its own that closes after the answer (no pooled connection stays open). */
export function getOnce(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, headers: { connection: 'close' } }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).once('error', reject);
  });
}

/** Reads a gauge from the server's Prometheus metrics. */
export async function gauge(url: string, name: string): Promise<number> {
  const text = (await getOnce(`${url}/metrics`)).body;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no ${name} in /metrics`);
  return Number(line.slice(name.length + 1));
}

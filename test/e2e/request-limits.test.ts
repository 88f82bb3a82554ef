// Issue 12 item 3: what unauthenticated clients can hold is bounded — connections (--max-connections),
// time to send a request (--request-timeout) and request bodies buffered in total
// (--max-buffered-body-bytes). Before, 500 connections each announcing 1 MiB and sending 1,048,000 bytes
// took RSS from 107 MB to 589 MB for Node's 300 s request timeout, and nothing capped connections.
// Memory is read from the server's own gauge of buffered bytes, never from timings.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { E2eServer } from './harness.js';
import { gauge, getOnce, nextResponse, openConnection, postHead, untilClosed, writeAll } from './raw-http.js';

const BUDGET = 200_000;
const MAX_CONNECTIONS = 12;
let server: E2eServer;

before(async () => {
  server = await E2eServer.start(['--request-timeout', '5', '--max-buffered-body-bytes', String(BUDGET), '--max-connections', String(MAX_CONNECTIONS)]);
});
after(() => server?.stop());

/** Polls the gauge until `ready` holds (an event to wait for, not a time to assert). */
async function gaugeUntil(name: string, ready: (value: number) => boolean): Promise<number> {
  for (;;) {
    // Right after clients hang up the server may not have seen their closes yet and still be at its
    // connection cap, so this read's own connection can be dropped as it arrives: ask again.
    const value = await gauge(server.url, name).catch(() => undefined);
    if (value !== undefined && ready(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('issue 12.3: 10 connections announcing 1 MiB, sending 150,000 bytes each and stalling hold at most the 200,000-byte budget, and are cut off at the request deadline', async () => {
  const sockets: Socket[] = [];
  for (let i = 0; i < 10; i++) sockets.push(await openConnection(server.url));
  const endings = sockets.map(untilClosed);
  await Promise.all(sockets.map((socket) => writeAll(socket, postHead(server.url, { 'content-length': 1024 * 1024 }) + 'x'.repeat(150_000))));
  const held = await gauge(server.url, 'rolecall_buffered_body_bytes');
  assert.ok(held <= BUDGET, `${held} bytes buffered`);
  // Nobody sends the rest: the deadline closes every connection and gives their bytes back.
  const ended = await Promise.all(endings);
  for (const { response, ending } of ended) {
    assert.match(response, /^HTTP\/1\.1 408 /);
    assert.match(response, /<Code>RequestTimeout<\/Code>/);
    assert.match(response, /connection: close/i);
    assert.equal(ending, 'end', 'closed cleanly after the answer, not reset');
  }
  assert.equal(await gaugeUntil('rolecall_buffered_body_bytes', (v) => v === 0), 0);
  assert.equal((await getOnce(`${server.url}/health`)).status, 200);
});

test('issue 12: a JSON-protocol request cut off at the deadline is answered in its own JSON error form, not Node\'s bare 408', async () => {
  const socket = await openConnection(server.url);
  const ending = untilClosed(socket);
  const head = postHead(server.url, { 'content-length': 1000, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSOrganizationsV20161128.DescribeOrganization' });
  await writeAll(socket, head + '{');
  const { response } = await ending;
  assert.match(response, /^HTTP\/1\.1 408 /);
  assert.match(response, /content-type: application\/x-amz-json-1\.1/i);
  assert.match(response, /"__type":"RequestTimeout"/);
});

test('issue 12.3: a body that would pass the 200,000-byte total gets a readable 503 ServiceUnavailable in AWS form while another client holds 150,000 bytes', async () => {
  const holder = await openConnection(server.url);
  const holderEnding = untilClosed(holder);
  await writeAll(holder, postHead(server.url, { 'content-length': 190_000 }) + 'x'.repeat(150_000));
  await gaugeUntil('rolecall_buffered_body_bytes', (v) => v >= 150_000);

  const client = await openConnection(server.url);
  const clientEnding = untilClosed(client);
  await writeAll(client, postHead(server.url, { 'content-length': 100_000 }) + 'Action=ListRoles&Version=2010-05-08&' + 'x'.repeat(100_000 - 36));
  const { response, ending } = await clientEnding;
  assert.match(response, /^HTTP\/1\.1 503 /);
  assert.match(response, /<Code>ServiceUnavailable<\/Code>/);
  assert.match(response, /connection: close/i);
  assert.equal(ending, 'end', 'closed cleanly after the answer, not reset');

  holder.destroy();
  await holderEnding;
  assert.equal(await gaugeUntil('rolecall_buffered_body_bytes', (v) => v === 0), 0);
});

test('issue 12.3: past 12 open connections new ones are closed as they arrive; closing some lets clients in again', async () => {
  const held: Socket[] = [];
  let refused = 0;
  for (let i = 0; i < MAX_CONNECTIONS + 1 && refused === 0; i++) {
    const socket = await openConnection(server.url);
    const ending = untilClosed(socket);
    const answered = nextResponse(socket).then(() => true, () => false);
    await writeAll(socket, `GET /health HTTP/1.1\r\nhost: ${new URL(server.url).host}\r\n\r\n`).catch(() => undefined);
    if (await Promise.race([answered, ending.then(() => false)])) held.push(socket);
    else refused++;
  }
  assert.equal(refused, 1, 'the connection past the cap was closed without an answer');
  assert.ok(held.length <= MAX_CONNECTIONS);
  for (const socket of held) socket.destroy();
  await gaugeUntil('rolecall_open_connections', (v) => v <= 1);
  assert.equal((await getOnce(`${server.url}/health`)).status, 200);
});

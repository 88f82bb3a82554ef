// The node agent's credential cache (reference/pod-identity.md §3 "Cache") with a controlled clock and a
// fetcher whose answers the test decides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CredentialCache, CredentialsTooShortError, type PodCredentials } from '../../src/k8s/credential-cache.js';

const HOUR = 3600_000;

class Upstream {
  calls: string[] = [];
  failure: { code?: string } | undefined;
  pending: Array<() => void> = [];
  hold = false;
  lifetimeMs = 6 * HOUR;
  constructor(private readonly clock: { now: number }) {}
  fetch = async (token: string): Promise<PodCredentials> => {
    this.calls.push(token);
    if (this.hold) await new Promise<void>((resolve) => this.pending.push(resolve));
    if (this.failure) throw Object.assign(new Error('upstream failed'), this.failure);
    return { accessKeyId: `ASIA${this.calls.length}`, secretAccessKey: 's', sessionToken: 't', expiration: this.clock.now + this.lifetimeMs, accountId: '111122223333' };
  };
}

function setup(options: { retentionMs?: number; maxEntries?: number } = {}) {
  const clock = { now: Date.UTC(2026, 11, 5, 12) };
  const upstream = new Upstream(clock);
  const events: string[] = [];
  const cache = new CredentialCache(upstream.fetch, {
    retentionMs: options.retentionMs ?? 3 * HOUR,
    maxEntries: options.maxEntries ?? 2000,
    now: () => clock.now,
    retryDelayMs: () => 60_000,
    errorCode: (error) => (error as { code?: string }).code,
    onEvent: (event) => events.push(event),
  });
  return { clock, upstream, cache, events };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('pod-identity.md §3: the first request per token fetches, later ones are hits until the 3 h renewal, which refreshes in the background', async () => {
  const { clock, upstream, cache, events } = setup();
  const first = await cache.credentials('token-a');
  assert.equal((await cache.credentials('token-a')).accessKeyId, first.accessKeyId);
  assert.deepEqual(upstream.calls, ['token-a']);
  assert.deepEqual(events, ['miss', 'hit']);
  clock.now += 3 * HOUR;
  // Still served from the cache while the refresh runs.
  assert.equal((await cache.credentials('token-a')).accessKeyId, first.accessKeyId);
  await settle();
  assert.deepEqual(upstream.calls, ['token-a', 'token-a']);
  assert.equal((await cache.credentials('token-a')).accessKeyId, 'ASIA2');
});

test('pod-identity.md §3: concurrent requests for one token share one upstream call', async () => {
  const { upstream, cache } = setup();
  upstream.hold = true;
  const waiting = Array.from({ length: 25 }, () => cache.credentials('token-a'));
  await settle();
  assert.equal(upstream.calls.length, 1);
  upstream.pending.forEach((release) => release());
  const answers = await Promise.all(waiting);
  assert.ok(answers.every((credentials) => credentials.accessKeyId === 'ASIA1'));
});

test('pod-identity.md §3: credentials with 15 s or less left are neither served nor stored', async () => {
  const { clock, upstream, cache } = setup();
  await cache.credentials('token-a');
  clock.now += 6 * HOUR - 15_000;
  upstream.lifetimeMs = 6 * HOUR;
  assert.equal((await cache.credentials('token-a')).accessKeyId, 'ASIA2', 'a cached entry with 15 s left is refetched');
  upstream.lifetimeMs = 15_000;
  await assert.rejects(cache.credentials('token-b'), CredentialsTooShortError);
  assert.equal(cache.size, 1);
});

test('pod-identity.md §3: while the upstream is unreachable a failed refresh keeps the cached credentials and retries later', async () => {
  const { clock, upstream, cache } = setup();
  const cached = await cache.credentials('token-a');
  clock.now += 3 * HOUR;
  upstream.failure = {};
  assert.equal((await cache.credentials('token-a')).accessKeyId, cached.accessKeyId);
  await settle();
  assert.equal(upstream.calls.length, 2);
  // Within the retry delay no further upstream call is made.
  assert.equal((await cache.credentials('token-a')).accessKeyId, cached.accessKeyId);
  await settle();
  assert.equal(upstream.calls.length, 2);
  clock.now += 60_000;
  upstream.failure = undefined;
  assert.equal((await cache.credentials('token-a')).accessKeyId, cached.accessKeyId);
  await settle();
  assert.equal(upstream.calls.length, 3);
  assert.equal((await cache.credentials('token-a')).accessKeyId, 'ASIA3', 'recovered');
});

test('pod-identity.md §3: a refresh answered ResourceNotFound / ExpiredToken / InvalidToken / AccessDenied drops the entry', async () => {
  for (const code of ['ResourceNotFoundException', 'ExpiredTokenException', 'InvalidTokenException', 'AccessDeniedException']) {
    const { clock, upstream, cache, events } = setup();
    await cache.credentials('token-a');
    clock.now += 3 * HOUR;
    upstream.failure = { code };
    await cache.credentials('token-a');
    await settle();
    assert.equal(cache.size, 0, code);
    assert.ok(events.includes('evicted'));
    await assert.rejects(cache.credentials('token-a'), /upstream failed/);
  }
});

test('pod-identity.md §3: the cache is LRU-bounded by --max-cache-size, and 0 retention or size disables it', async () => {
  const { upstream, cache } = setup({ maxEntries: 2 });
  await cache.credentials('a');
  await cache.credentials('b');
  await cache.credentials('a');
  await cache.credentials('c');
  assert.equal(cache.size, 2);
  await cache.credentials('a');
  await cache.credentials('b');
  assert.deepEqual(upstream.calls, ['a', 'b', 'c', 'b'], 'b was least recently used');

  for (const options of [{ retentionMs: 0 }, { maxEntries: 0 }]) {
    const disabled = setup(options);
    await disabled.cache.credentials('a');
    await disabled.cache.credentials('a');
    assert.equal(disabled.upstream.calls.length, 2);
  }
});

test('pod-identity.md §3: the janitor sweep evicts entries at expiry', async () => {
  const { clock, cache } = setup();
  await cache.credentials('a');
  cache.sweep();
  assert.equal(cache.size, 1);
  clock.now += 6 * HOUR;
  cache.sweep();
  assert.equal(cache.size, 0);
});

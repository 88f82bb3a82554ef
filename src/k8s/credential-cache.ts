/**
 * The node agent's credential cache (reference/pod-identity.md §3 "Cache"): keyed by the pod's token, LRU
 * bounded, refreshed in the background after a retention period, never serving credentials with 15 s or
 * less left, merging concurrent fetches for the same token, and keeping what it has while the upstream is
 * unreachable.
 */

/** Credentials as EKS Auth issues them. */
export interface PodCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Milliseconds since the epoch. */
  expiration: number;
  accountId: string;
}

/** Fetches fresh credentials for a token (one AssumeRoleForPodIdentity). */
export type CredentialFetcher = (token: string) => Promise<PodCredentials>;

/** An upstream answer that makes cached credentials for the token worthless (the association or token is gone). */
export function invalidatesCachedCredentials(code: string): boolean {
  return ['ResourceNotFoundException', 'ExpiredTokenException', 'InvalidTokenException', 'AccessDeniedException'].includes(code);
}

export interface CredentialCacheOptions {
  /** `--max-credential-retention-before-renewal` in ms (0 disables the cache). */
  retentionMs: number;
  /** `--max-cache-size` (0 disables the cache). */
  maxEntries: number;
  /** The clock, in ms since the epoch. */
  now: () => number;
  /** Delay before retrying a refresh that failed for a reason other than the token's own (1 min + jitter). */
  retryDelayMs: () => number;
  /** The upstream error code of a failure, if it has one. */
  errorCode: (error: unknown) => string | undefined;
  /** Reports cache events for metrics. */
  onEvent?: (event: 'hit' | 'miss' | 'evicted') => void;
  onRefreshError?: (error: unknown) => void;
}

/** Credentials closer than this to expiry are neither stored nor served. */
export const MINIMUM_REMAINING_MS = 15_000;

interface Entry {
  credentials: PodCredentials;
  /** When to fetch again in the background. */
  renewAt: number;
  refreshing: boolean;
}

/** Thrown when the upstream issued credentials too close to expiry to be handed out. */
export class CredentialsTooShortError extends Error {}

/** Per-token cache in front of a CredentialFetcher. */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<PodCredentials>>();

  constructor(
    private readonly fetch: CredentialFetcher,
    private readonly options: CredentialCacheOptions,
  ) {}

  /** Credentials for `token`: from the cache while they have more than 15 s left, else fetched (once for concurrent callers). */
  async credentials(token: string): Promise<PodCredentials> {
    const now = this.options.now();
    const entry = this.entries.get(token);
    if (entry && entry.credentials.expiration - now > MINIMUM_REMAINING_MS) {
      // Most recently used last, so the first key is the one to evict.
      this.entries.delete(token);
      this.entries.set(token, entry);
      this.options.onEvent?.('hit');
      if (now >= entry.renewAt && !entry.refreshing) this.refreshInBackground(token, entry);
      return entry.credentials;
    }
    if (entry) this.evict(token);
    this.options.onEvent?.('miss');
    return this.fetchOnce(token);
  }

  /** Drops entries whose credentials can no longer be served (the Go agent's janitor). */
  sweep(): void {
    const now = this.options.now();
    for (const [token, entry] of this.entries) if (entry.credentials.expiration - now <= MINIMUM_REMAINING_MS) this.evict(token);
  }

  /** The number of tokens with cached credentials. */
  get size(): number {
    return this.entries.size;
  }

  private fetchOnce(token: string): Promise<PodCredentials> {
    const pending = this.inFlight.get(token);
    if (pending) return pending;
    const fetched = this.fetch(token)
      .then((credentials) => {
        if (credentials.expiration - this.options.now() <= MINIMUM_REMAINING_MS) {
          throw new CredentialsTooShortError('credentials expire within 15 seconds');
        }
        this.store(token, credentials);
        return credentials;
      })
      .finally(() => this.inFlight.delete(token));
    this.inFlight.set(token, fetched);
    return fetched;
  }

  private refreshInBackground(token: string, entry: Entry): void {
    entry.refreshing = true;
    this.fetchOnce(token).then(
      () => {},
      (error: unknown) => {
        entry.refreshing = false;
        this.options.onRefreshError?.(error);
        const code = this.options.errorCode(error);
        if (code !== undefined && invalidatesCachedCredentials(code)) this.evict(token);
        // Anything else (Rolecall unreachable, throttled, failing): keep serving what we have and try later.
        else entry.renewAt = this.options.now() + this.options.retryDelayMs();
      },
    );
  }

  private store(token: string, credentials: PodCredentials): void {
    if (this.options.retentionMs <= 0 || this.options.maxEntries <= 0) return;
    const now = this.options.now();
    this.entries.delete(token);
    this.entries.set(token, { credentials, renewAt: Math.min(credentials.expiration, now + this.options.retentionMs), refreshing: false });
    while (this.entries.size > this.options.maxEntries) this.evict(this.entries.keys().next().value!);
  }

  private evict(token: string): void {
    if (this.entries.delete(token)) this.options.onEvent?.('evicted');
  }
}

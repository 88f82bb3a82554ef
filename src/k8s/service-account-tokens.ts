/**
 * Projected service-account tokens for `rolecall run`: minted by Rolecall's EKS API for a Rolecall-issued
 * cluster (CreateServiceAccountToken, the TokenRequest equivalent) and kept fresh in files the way the
 * kubelet keeps a projected volume fresh (reference/irsa.md §2.4).
 */
import { randomInt } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { signedJsonRequest, type RolecallEndpoint } from './rolecall-endpoint.js';

/** What a projected volume asks the token for, and the pod it is bound to. */
export interface TokenRequest {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  audience: string;
  expirationSeconds: number;
  podName: string;
  podUid: string;
  nodeName: string;
}

/** How soon a failed refresh is tried again. */
const RETRY_DELAY_MS = 10_000;

/** A minted token and when it expires (ms since the epoch). */
export interface MintedToken {
  token: string;
  expiresAt: number;
}

/** The body of CreateServiceAccountToken (Rolecall's TokenRequest); the optional members bind the token to a pod. */
export interface ServiceAccountTokenBody {
  namespace: string;
  serviceAccount: string;
  audiences?: string[];
  expirationSeconds?: number;
  podName?: string;
  podUid?: string;
  nodeName?: string;
  nodeUid?: string;
  serviceAccountUid?: string;
}

/** Calls CreateServiceAccountToken (POST /clusters/NAME/service-account-tokens) on Rolecall's EKS API. */
export async function createServiceAccountToken(eks: RolecallEndpoint, clusterName: string, body: ServiceAccountTokenBody): Promise<MintedToken> {
  const answer = await signedJsonRequest<{ token: string; expirationTimestamp: number }>(eks, {
    method: 'POST',
    path: `/clusters/${encodeURIComponent(clusterName)}/service-account-tokens`,
    body,
  });
  return { token: answer.body.token, expiresAt: Math.round(Number(answer.body.expirationTimestamp) * 1000) };
}

/** Mints the token a projected volume asks for, bound to its pod. */
export function mintServiceAccountToken(eks: RolecallEndpoint, request: TokenRequest): Promise<MintedToken> {
  return createServiceAccountToken(eks, request.clusterName, {
    namespace: request.namespace,
    serviceAccount: request.serviceAccount,
    audiences: [request.audience],
    expirationSeconds: request.expirationSeconds,
    podName: request.podName,
    podUid: request.podUid,
    nodeName: request.nodeName,
  });
}

/** The kubelet's refresh point: 80 % of the lifetime or 24 h, whichever comes first, less up to 10 s of jitter. */
export function refreshDelayMs(issuedAt: number, expiresAt: number): number {
  const lifetime = expiresAt - issuedAt;
  return Math.max(1000, Math.min(lifetime * 0.8, 24 * 3600_000) - randomInt(0, 10_000));
}

/** Keeps one token file current until stopped. */
export class RefreshingTokenFile {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  private constructor(
    private readonly path: string,
    private readonly mint: () => Promise<MintedToken>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Writes the first token to `path` (mode 0600) and schedules its refreshes. */
  static async start(path: string, mint: () => Promise<MintedToken>, onError: (error: unknown) => void): Promise<RefreshingTokenFile> {
    const file = new RefreshingTokenFile(path, mint, onError);
    const first = await mint();
    await file.write(first);
    file.schedule(refreshDelayMs(Date.now(), first.expiresAt));
    return file;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.mint()
        .then(async (next) => {
          await this.write(next);
          this.schedule(refreshDelayMs(Date.now(), next.expiresAt));
        })
        .catch((error: unknown) => {
          // As the kubelet does: the old token stays in place (until it expires); try again shortly.
          this.onError(error);
          this.schedule(RETRY_DELAY_MS);
        });
    }, delayMs);
    this.timer.unref();
  }

  /** Replaces the file atomically, so a reader never sees half a token. */
  private async write(minted: MintedToken): Promise<void> {
    const partial = `${this.path}.${process.pid}.tmp`;
    await writeFile(partial, minted.token, { mode: 0o600 });
    await rename(partial, this.path);
  }
}

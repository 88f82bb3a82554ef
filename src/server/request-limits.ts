/**
 * What one client, or all clients together, may hold of the server before they are authenticated:
 * connections, time to send a request, and request bodies buffered in memory. The defaults bound the
 * server's memory at about `maxBufferedBodyBytes` plus a few KB per connection however slowly clients
 * send; every number can be changed with a `rolecall serve` flag or a `ROLECALL_*` variable.
 */

export interface RequestLimits {
  /** Open connections at once; the server accepts no more until some close. */
  maxConnections: number;
  /** Time a client has to send a whole request, headers and body, from its first byte. */
  requestTimeoutMs: number;
  /** Bytes of request bodies held in memory at once, across all connections. */
  maxBufferedBodyBytes: number;
  /** Largest request body (AWS rejects Query requests above 1 MiB with 413). */
  maxBodyBytes: number;
}

export const DEFAULT_REQUEST_LIMITS: Readonly<RequestLimits> = Object.freeze({
  maxConnections: 1024,
  requestTimeoutMs: 20_000,
  maxBufferedBodyBytes: 64 * 1024 * 1024,
  maxBodyBytes: 1024 * 1024,
});

/** The settings as text (a flag, else an environment variable), by the limit they set. */
export interface RequestLimitSettings {
  maxConnections?: string | undefined;
  requestTimeoutSeconds?: string | undefined;
  maxBufferedBodyBytes?: string | undefined;
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, got '${text}'`);
  return value;
}

function positiveSeconds(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of seconds, got '${text}'`);
  return Math.round(value * 1000);
}

/** The limits with each given setting applied over the defaults; throws on a malformed number. */
export function requestLimitsFrom(settings: RequestLimitSettings): RequestLimits {
  const limits: RequestLimits = { ...DEFAULT_REQUEST_LIMITS };
  if (settings.maxConnections !== undefined) limits.maxConnections = positiveInteger('max connections', settings.maxConnections);
  if (settings.requestTimeoutSeconds !== undefined) limits.requestTimeoutMs = positiveSeconds('request timeout', settings.requestTimeoutSeconds);
  if (settings.maxBufferedBodyBytes !== undefined) limits.maxBufferedBodyBytes = positiveInteger('max buffered body bytes', settings.maxBufferedBodyBytes);
  return limits;
}

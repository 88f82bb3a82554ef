/** Waits for a condition that another party (a watch, a controller) makes true asynchronously. */
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `condition` until it returns a truthy value (returned) or fails after `limitMs` naming `what`. */
export async function waitUntil<T>(what: string, condition: () => T | Promise<T>, limitMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + limitMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}

/** Flags shared by the Kubernetes-facing commands (webhook, agent). */
import { UsageError } from './flags.js';

/** A TCP port from a flag (0 picks a free one). */
export function portFlag(name: string, text: string): number {
  const port = Number(text);
  if (!/^[0-9]+$/.test(text) || port > 65535) throw new UsageError(`--${name} must be a port number, not '${text}'`);
  return port;
}

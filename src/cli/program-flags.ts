/** Flags shared by the Kubernetes-facing commands (webhook, agent, run): ports and where Rolecall is. */
import type { EndpointOptions } from '../k8s/rolecall-endpoint.js';
import { UsageError } from './flags.js';

/** `--endpoint-url`, `--region` and `--profile` as the endpoint resolution takes them. */
export function endpointOptions(values: Record<string, string>): EndpointOptions {
  return {
    ...(values['endpoint-url'] ? { endpointUrl: values['endpoint-url'] } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values.profile ? { profile: values.profile } : {}),
  };
}

/** A TCP port from a flag (0 picks a free one). */
export function portFlag(name: string, text: string): number {
  const port = Number(text);
  if (!/^[0-9]+$/.test(text) || port > 65535) throw new UsageError(`--${name} must be a port number, not '${text}'`);
  return port;
}

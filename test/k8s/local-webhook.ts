/**
 * The admission webhook as the tests and bench/k8s run it in-process: plain HTTP on a free loopback
 * port, no metrics listener, the Go webhook's default flags, IRSA only (no Pod Identity lookup).
 */
import { DEFAULT_MUTATION_SETTINGS } from '../../src/k8s/pod-mutation.js';
import type { ServiceAccountSource } from '../../src/k8s/service-accounts.js';
import { WebhookMetrics } from '../../src/k8s/webhook-metrics.js';
import { startWebhookServer, type RunningWebhook } from '../../src/k8s/webhook-server.js';

/** Starts the webhook over `serviceAccounts`; close it with `close()`. */
export function startLocalWebhook(serviceAccounts: ServiceAccountSource): Promise<RunningWebhook> {
  return startWebhookServer({
    host: '127.0.0.1',
    port: 0,
    metricsPort: undefined,
    tls: undefined,
    // The jitter only applies to Pod Identity tokens, which this webhook never projects.
    context: { settings: DEFAULT_MUTATION_SETTINGS, serviceAccounts, podIdentity: undefined, metrics: new WebhookMetrics(), randomInteger: (min) => min, log: () => {}, lookupTimeoutMs: 5000 },
  });
}

/**
 * The admission webhook's Prometheus metrics under the Go webhook's names (reference/irsa.md §1.11), so
 * existing dashboards and alerts keep working.
 */
import { MetricsRegistry } from '../protocol/prometheus.js';
import type { MutationMethod } from './pod-mutation.js';

/** Buckets of `http_request_latencies` in microseconds: 125000·2^k, k = 0..6. */
const LATENCY_BUCKETS_US = [0, 1, 2, 3, 4, 5, 6].map((k) => 125000 * 2 ** k);

/** Counters and histograms of one webhook process. */
export class WebhookMetrics {
  private readonly registry = new MetricsRegistry();
  private readonly requests = this.registry.counter('http_request_count', 'Counter of requests broken out for each verb, path, and response code.');
  private readonly latencies = this.registry.histogram('http_request_latencies', 'Response latency distribution in microseconds for each verb and path', LATENCY_BUCKETS_US);
  // The Go webhook's summary also carries quantiles over an hour; its sum and count are what is kept here.
  private readonly durations = this.registry.summary('http_request_duration_microseconds', 'Response latency summary in microseconds for each verb and path.');
  private readonly podCounts = this.registry.counter('pod_identity_webhook_pod_count', 'Counter of pods mutated by the webhook, by credential method.');
  private readonly missingServiceAccounts = this.registry.counter('pod_identity_webhook_missing_sa_count', 'Counter of pods whose service account was not found.', { labelled: false });
  private used = 0;

  constructor() {
    this.registry.gauge('pod_identity_webhook_used', 'Whether the webhook has seen service accounts.', () => this.used);
  }

  /** Records one HTTP request: verb, path, status code and its duration. */
  observeRequest(verb: string, path: string, code: number, microseconds: number): void {
    this.requests.inc({ code, path, verb });
    this.latencies.observe({ path, verb }, microseconds);
    this.durations.observe({ path, verb }, microseconds);
  }

  /** Counts one mutated pod by the mechanism it got. */
  countPod(method: MutationMethod): void {
    this.podCounts.inc({ method });
  }

  /** Counts a pod whose ServiceAccount was not found. */
  countMissingServiceAccount(): void {
    this.missingServiceAccounts.inc();
  }

  /** Marks that ServiceAccounts reached the cache (the Go webhook's `pod_identity_webhook_used`). */
  markUsed(): void {
    this.used = 1;
  }

  /** The exposition text (format 0.0.4). */
  render(): string {
    return this.registry.render();
  }
}

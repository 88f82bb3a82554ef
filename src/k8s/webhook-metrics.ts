/**
 * The admission webhook's Prometheus metrics under the Go webhook's names (reference/irsa.md §1.11), so
 * existing dashboards and alerts keep working.
 */
import type { MutationMethod } from './pod-mutation.js';

/** Buckets of `http_request_latencies` in microseconds: 125000·2^k, k = 0..6. */
const LATENCY_BUCKETS_US = [0, 1, 2, 3, 4, 5, 6].map((k) => 125000 * 2 ** k);

interface Latency {
  buckets: number[];
  sum: number;
  count: number;
}

/** Counters and histograms of one webhook process. */
export class WebhookMetrics {
  private readonly requests = new Map<string, number>();
  private readonly latencies = new Map<string, Latency>();
  private readonly podCounts = new Map<MutationMethod, number>();
  private missingServiceAccounts = 0;
  private used = 0;

  /** Records one HTTP request: verb, path, status code and its duration. */
  observeRequest(verb: string, path: string, code: number, microseconds: number): void {
    const requestKey = `code="${code}",path="${escapeLabel(path)}",verb="${escapeLabel(verb)}"`;
    this.requests.set(requestKey, (this.requests.get(requestKey) ?? 0) + 1);
    const latencyKey = `path="${escapeLabel(path)}",verb="${escapeLabel(verb)}"`;
    let latency = this.latencies.get(latencyKey);
    if (!latency) this.latencies.set(latencyKey, (latency = { buckets: LATENCY_BUCKETS_US.map(() => 0), sum: 0, count: 0 }));
    LATENCY_BUCKETS_US.forEach((bound, i) => {
      if (microseconds <= bound) latency.buckets[i]!++;
    });
    latency.sum += microseconds;
    latency.count++;
  }

  /** Counts one mutated pod by the mechanism it got. */
  countPod(method: MutationMethod): void {
    this.podCounts.set(method, (this.podCounts.get(method) ?? 0) + 1);
  }

  /** Counts a pod whose ServiceAccount was not found. */
  countMissingServiceAccount(): void {
    this.missingServiceAccounts++;
  }

  /** Marks that ServiceAccounts reached the cache (the Go webhook's `pod_identity_webhook_used`). */
  markUsed(): void {
    this.used = 1;
  }

  /** The exposition text (format 0.0.4). */
  render(): string {
    const lines = ['# HELP http_request_count Counter of requests broken out for each verb, path, and response code.', '# TYPE http_request_count counter'];
    for (const [labels, n] of this.requests) lines.push(`http_request_count{${labels}} ${n}`);
    lines.push('# HELP http_request_latencies Response latency distribution in microseconds for each verb and path', '# TYPE http_request_latencies histogram');
    for (const [labels, h] of this.latencies) {
      LATENCY_BUCKETS_US.forEach((bound, i) => lines.push(`http_request_latencies_bucket{${labels},le="${bound}"} ${h.buckets[i]}`));
      lines.push(`http_request_latencies_bucket{${labels},le="+Inf"} ${h.count}`, `http_request_latencies_sum{${labels}} ${h.sum}`, `http_request_latencies_count{${labels}} ${h.count}`);
    }
    // The Go webhook's summary also carries quantiles over an hour; its sum and count are what is kept here.
    lines.push('# HELP http_request_duration_microseconds Response latency summary in microseconds for each verb and path.', '# TYPE http_request_duration_microseconds summary');
    for (const [labels, h] of this.latencies) lines.push(`http_request_duration_microseconds_sum{${labels}} ${h.sum}`, `http_request_duration_microseconds_count{${labels}} ${h.count}`);
    lines.push('# HELP pod_identity_webhook_pod_count Counter of pods mutated by the webhook, by credential method.', '# TYPE pod_identity_webhook_pod_count counter');
    for (const [method, n] of this.podCounts) lines.push(`pod_identity_webhook_pod_count{method="${method}"} ${n}`);
    lines.push('# HELP pod_identity_webhook_missing_sa_count Counter of pods whose service account was not found.', '# TYPE pod_identity_webhook_missing_sa_count counter');
    lines.push(`pod_identity_webhook_missing_sa_count ${this.missingServiceAccounts}`);
    lines.push('# HELP pod_identity_webhook_used Whether the webhook has seen service accounts.', '# TYPE pod_identity_webhook_used gauge');
    lines.push(`pod_identity_webhook_used ${this.used}`);
    return `${lines.join('\n')}\n`;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Prometheus metrics (text exposition format 0.0.4): request counts and latency by operation. */
import { MetricsRegistry } from '../protocol/prometheus.js';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class Metrics {
  private readonly registry = new MetricsRegistry();
  private readonly requests = this.registry.counter('rolecall_requests_total', 'API requests by service, operation, HTTP status and AWS error code.');
  private readonly latency = this.registry.histogram('rolecall_request_duration_seconds', 'API request latency.', BUCKETS);
  private readonly started = Date.now();

  constructor() {
    this.registry.gauge('rolecall_uptime_seconds', 'Seconds since the server started.', () => (Date.now() - this.started) / 1000);
  }

  /** Exposes a value read when scraped (e.g. bytes of request bodies held right now). */
  gauge(name: string, help: string, read: () => number): void {
    this.registry.gauge(name, help, read);
  }

  /** Counts one API call. */
  observe(service: string, operation: string, status: number, errorCode: string | undefined, seconds: number): void {
    this.requests.inc({ service, operation, status, error_code: errorCode ?? '' });
    this.latency.observe({ service, operation }, seconds);
  }

  /** The exposition text. */
  render(): string {
    return this.registry.render();
  }
}

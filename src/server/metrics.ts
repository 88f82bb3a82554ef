/** Prometheus metrics (text exposition format 0.0.4): request counts and latency by operation. */

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly started = Date.now();
  private readonly gauges: Array<{ name: string; help: string; read: () => number }> = [];

  /** Exposes a value read when scraped (e.g. bytes of request bodies held right now). */
  gauge(name: string, help: string, read: () => number): void {
    this.gauges.push({ name, help, read });
  }

  /** Counts one API call. */
  observe(service: string, operation: string, status: number, errorCode: string | undefined, seconds: number): void {
    const key = `service="${service}",operation="${operation}",status="${status}",error_code="${errorCode ?? ''}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const latencyKey = `service="${service}",operation="${operation}"`;
    let histogram = this.latency.get(latencyKey);
    if (!histogram) this.latency.set(latencyKey, (histogram = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) histogram.counts[i]!++;
    });
    histogram.sum += seconds;
    histogram.count++;
  }

  /** The exposition text. */
  render(): string {
    const lines = [
      '# HELP rolecall_requests_total API requests by service, operation, HTTP status and AWS error code.',
      '# TYPE rolecall_requests_total counter',
      ...[...this.requests].map(([labels, n]) => `rolecall_requests_total{${labels}} ${n}`),
      '# HELP rolecall_request_duration_seconds API request latency.',
      '# TYPE rolecall_request_duration_seconds histogram',
    ];
    for (const [labels, h] of this.latency) {
      BUCKETS.forEach((bound, i) => lines.push(`rolecall_request_duration_seconds_bucket{${labels},le="${bound}"} ${h.counts[i]}`));
      lines.push(`rolecall_request_duration_seconds_bucket{${labels},le="+Inf"} ${h.count}`);
      lines.push(`rolecall_request_duration_seconds_sum{${labels}} ${h.sum}`);
      lines.push(`rolecall_request_duration_seconds_count{${labels}} ${h.count}`);
    }
    lines.push('# HELP rolecall_uptime_seconds Seconds since the server started.', '# TYPE rolecall_uptime_seconds gauge');
    lines.push(`rolecall_uptime_seconds ${(Date.now() - this.started) / 1000}`);
    for (const { name, help, read } of this.gauges) lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${read()}`);
    return `${lines.join('\n')}\n`;
  }
}

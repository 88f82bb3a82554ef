// The one Prometheus registry of the server, the webhook and the agent (src/protocol/prometheus.ts): format 0.0.4
// (prometheus.io/docs/instrumenting/exposition_formats: HELP and TYPE lines, `le` buckets cumulative with
// +Inf, _sum and _count, escaped label values).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsRegistry } from '../../src/protocol/prometheus.js';

test('exposition format 0.0.4: families in registration order, label sets in first-seen order, cumulative buckets, escaped label values', () => {
  const registry = new MetricsRegistry();
  const requests = registry.counter('requests_total', 'Requests.');
  const misses = registry.counter('misses_total', 'Misses.', { labelled: false });
  const latency = registry.histogram('latency_seconds', 'Latency.', [0.1, 1]);
  const summary = registry.summary('duration_us', 'Duration.');
  let held = 3;
  registry.gauge('held_bytes', 'Held.', () => held);
  requests.inc({ path: '/a"b\\c', code: 200 });
  requests.inc({ path: 'x', code: 500 }, 2);
  requests.inc({ path: '/a"b\\c', code: 200 });
  latency.observe({ op: 'Get' }, 0.05);
  latency.observe({ op: 'Get' }, 0.5);
  latency.observe({ op: 'Get' }, 5);
  summary.observe({}, 7);
  held = 4;
  assert.equal(
    registry.render(),
    [
      '# HELP requests_total Requests.',
      '# TYPE requests_total counter',
      'requests_total{path="/a\\"b\\\\c",code="200"} 2',
      'requests_total{path="x",code="500"} 2',
      '# HELP misses_total Misses.',
      '# TYPE misses_total counter',
      'misses_total 0',
      '# HELP latency_seconds Latency.',
      '# TYPE latency_seconds histogram',
      'latency_seconds_bucket{op="Get",le="0.1"} 1',
      'latency_seconds_bucket{op="Get",le="1"} 2',
      'latency_seconds_bucket{op="Get",le="+Inf"} 3',
      'latency_seconds_sum{op="Get"} 5.55',
      'latency_seconds_count{op="Get"} 3',
      '# HELP duration_us Duration.',
      '# TYPE duration_us summary',
      'duration_us_sum 7',
      'duration_us_count 1',
      '# HELP held_bytes Held.',
      '# TYPE held_bytes gauge',
      'held_bytes 4',
      '',
    ].join('\n'),
  );
  assert.equal(requests.value({ path: 'x', code: 500 }), 2);
  assert.equal(misses.value(), 0);
});

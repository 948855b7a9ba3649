import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MillraceMetrics, MillraceMetricsOptions } from '../metrics.ts';
import { registerStreamsMetrics } from './streams-collectors.ts';

/** Creates the registry of one process. Each call makes its own registry (tests run several). */
export function createMillraceMetrics(options: MillraceMetricsOptions): MillraceMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) {
    collectDefaultMetrics({ register: registry });
    // prom-client names these gauges `_total`, which promtool's lint refuses (and nodejs_active_* has the
    // same figures): drop them so `promtool check metrics` passes clean.
    for (const n of [
      'nodejs_active_handles_total',
      'nodejs_active_requests_total',
      'nodejs_active_resources_total',
    ])
      registry.removeSingleMetric(n);
  }
  registerStreamsMetrics(registry, options);
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({
    name: 'millrace_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'millrace_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status code.',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'millrace_build_info',
    help: 'Always 1; labels: the Millrace version and the Node.js version.',
    labelNames: ['version', 'node_version'],
    registers: [registry],
    collect() {
      this.set({ version: '0.1.0', node_version: process.versions.node }, 1);
    },
  });
  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    names: () => registry.getMetricsAsArray().map((m) => m.name),
    observeHttp(method, route, statusCode, seconds) {
      const labels = { method, route, status_code: String(statusCode) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}

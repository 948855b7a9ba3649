/** Prometheus metrics: the only room that imports prom-client. */
export type { MillraceMetrics, MillraceMetricsOptions, PartitionLag } from './metrics.ts';
export { createMillraceMetrics } from './internal/registry.ts';
export { createCommittedLagSource } from './internal/committed-lag.ts';

/**
 * Store operations as Kafka Streams' state-store metrics name them (`put-rate`, `put-latency-avg`, …).
 * Scans (`range`, `prefix-scan`, `all`) are timed from the first read to the end (or abandonment) of iteration.
 */
export type StoreOperation =
  | 'get'
  | 'put'
  | 'put-if-absent'
  | 'put-all'
  | 'delete'
  | 'range'
  | 'prefix-scan'
  | 'all'
  | 'approximate-num-entries';

/**
 * Receives one observation per store operation; the metrics module turns them into rates and latency
 * histograms (this folder does not import prom-client). Must be cheap: it runs on every get and put.
 *
 * @example
 * ```ts
 * const metrics: StoreMetrics = {
 *   record: (store, operation, latencyMs) => latency.labels(store, operation).observe(latencyMs / 1000),
 * };
 * ```
 */
export interface StoreMetrics {
  record(store: string, operation: StoreOperation, latencyMs: number): void;
}

import type { StreamsApp } from '../runtime/streams-app.ts';

/** Committed lag of one input partition: its end offset minus the group's committed offset. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

/** Options of {@link createMillraceMetrics}. */
export interface MillraceMetricsOptions {
  /** The applications to export, by application.id (read at each scrape, so apps may be added later). */
  readonly apps: ReadonlyMap<string, StreamsApp>;
  /**
   * Reads the committed lag of an application's input partitions at scrape time (see
   * {@link createCommittedLagSource}); omit it to leave `millrace_records_lag` empty.
   */
  readonly lag?: (app: StreamsApp) => Promise<readonly PartitionLag[]>;
  /** Export Node.js process metrics (`process_*`, `nodejs_*`). Default true. */
  readonly processMetrics?: boolean;
}

/**
 * The process's Prometheus registry: Millrace's stream metrics (read from each app's `StreamsMetrics` when
 * scraped), HTTP request metrics and Node.js process metrics. docs/metrics.md lists every metric.
 *
 * @example
 * ```ts
 * const metrics = createMillraceMetrics({ apps: new Map([[app.config['application.id'], app]]) });
 * server.get('/metrics', async (_req, reply) => reply.type(metrics.contentType).send(await metrics.render()));
 * ```
 */
export interface MillraceMetrics {
  /** The `Content-Type` of {@link render}'s text (Prometheus text exposition format 0.0.4). */
  readonly contentType: string;
  /** Every metric in the Prometheus text format. */
  render(): Promise<string>;
  /** Names of every registered metric (for the docs check). */
  names(): string[];
  /** Records one answered HTTP request. `route` is the route pattern (never the URL: it may hold a key). */
  observeHttp(method: string, route: string, statusCode: number, seconds: number): void;
}

import { Counter, Gauge, type Metric, type Registry } from 'prom-client';
import { LatencyHistogram } from '../../runtime/streams-metrics.ts';
import type { AppState } from '../../runtime/app-lifecycle.ts';
import type { StreamsApp } from '../../runtime/streams-app.ts';
import type { TaskLifecycleState } from '../../runtime/task-lifecycle.ts';
import type { MillraceMetricsOptions } from '../metrics.ts';

const APP_STATES: readonly AppState[] = [
  'CREATED',
  'REBALANCING',
  'RUNNING',
  'PENDING_SHUTDOWN',
  'NOT_RUNNING',
  'PENDING_ERROR',
  'ERROR',
];
const TASK_STATES: readonly TaskLifecycleState[] = ['CREATED', 'RESTORING', 'RUNNING', 'SUSPENDED', 'CLOSED'];

/**
 * Kafka Streams' thread, task and store metrics under one Prometheus naming scheme: `millrace_` + the Kafka
 * Streams name in snake_case, counters ending `_total`, base units (seconds), and the scope as labels
 * (`application_id`, `task_id`, `store`, `topic`, `partition`, `stage`) instead of metric-name parts.
 * Values are read from each app's `StreamsMetrics` when Prometheus scrapes (collect callbacks), so the hot
 * path only increments plain numbers.
 */
export function registerStreamsMetrics(registry: Registry, options: MillraceMetricsOptions): void {
  const apps = (): [string, StreamsApp][] => [...options.apps];
  const registers = [registry];
  // A counter cannot be set: each scrape resets it and adds the app's running total (monotonic per app).
  const counter = (name: string, help: string, read: (app: StreamsApp) => number) =>
    new Counter({
      name,
      help,
      labelNames: ['application_id'],
      registers,
      collect() {
        this.reset();
        for (const [id, app] of apps()) this.inc({ application_id: id }, read(app));
      },
    });
  counter(
    'millrace_process_records_total',
    'Records processed by the tasks (Kafka Streams process-total).',
    (a) => a.metrics.processedTotal,
  );
  counter('millrace_poll_total', 'Consumer polls (Kafka Streams poll-total).', (a) => a.metrics.pollTotal);
  counter(
    'millrace_commit_total',
    'Task commits (Kafka Streams commit-total).',
    (a) => a.metrics.commitTotal,
  );
  counter(
    'millrace_commit_latency_seconds_total',
    'Summed duration of commits; divide by millrace_commit_total for Kafka Streams commit-latency-avg.',
    (a) => a.metrics.commitLatencyMsTotal / 1000,
  );
  counter(
    'millrace_rebalances_total',
    'Rebalances this instance took part in.',
    (a) => a.metrics.rebalanceTotal,
  );
  counter(
    'millrace_restore_records_total',
    'Changelog records restored into stores (Kafka Streams restore-total).',
    (a) => a.metrics.restoredRecordsTotal,
  );
  counter(
    'millrace_poll_latency_seconds_total',
    'Summed time waiting in consumer polls; divide by millrace_poll_total for Kafka Streams poll-latency-avg.',
    (a) => a.metrics.pollLatencyMsTotal / 1000,
  );
  new Gauge({
    name: 'millrace_poll_latency_max_seconds',
    help: 'Longest consumer poll since the instance started (Kafka Streams poll-latency-max).',
    labelNames: ['application_id'],
    registers,
    collect() {
      this.reset();
      for (const [id, app] of apps()) this.set({ application_id: id }, app.metrics.pollLatencyMsMax / 1000);
    },
  });
  registry.registerMetric(e2eLatencyHistogram(apps) as unknown as Metric);
  counter(
    'millrace_dropped_records_total',
    'Records windowed operations dropped as late, after window end + grace (Kafka Streams dropped-records-total).',
    (a) => a.metrics.droppedRecordsTotal,
  );
  const byStage = (name: string, help: string, read: (app: StreamsApp) => Record<string, number>) =>
    new Counter({
      name,
      help,
      labelNames: ['application_id', 'stage'],
      registers,
      collect() {
        this.reset();
        for (const [id, app] of apps())
          for (const [stage, n] of Object.entries(read(app))) this.inc({ application_id: id, stage }, n);
      },
    });
  byStage(
    'millrace_dead_letter_records_total',
    'Records sent to a dead-letter topic, by stage (deserialization, processing).',
    (a) => ({ ...a.metrics.deadLettered }),
  );
  byStage(
    'millrace_skipped_records_total',
    'Records logged and skipped by a `continue` handler, by stage (deserialization, processing).',
    (a) => ({ ...a.metrics.skipped }),
  );
  new Gauge({
    name: 'millrace_commit_latency_max_seconds',
    help: 'Longest commit since the instance started (Kafka Streams commit-latency-max).',
    labelNames: ['application_id'],
    registers,
    collect() {
      this.reset();
      for (const [id, app] of apps()) this.set({ application_id: id }, app.metrics.commitLatencyMsMax / 1000);
    },
  });
  new Gauge({
    name: 'millrace_application_state',
    help: 'The application state (Kafka Streams KafkaStreams.State): 1 for the current state, 0 for the others.',
    labelNames: ['application_id', 'state'],
    registers,
    collect() {
      this.reset();
      for (const [id, app] of apps())
        for (const s of APP_STATES) this.set({ application_id: id, state: s }, app.state === s ? 1 : 0);
    },
  });
  new Gauge({
    name: 'millrace_task_state',
    help: 'Tasks of this instance in each lifecycle state (CREATED, RESTORING, RUNNING, SUSPENDED, CLOSED).',
    labelNames: ['application_id', 'state'],
    registers,
    collect() {
      this.reset();
      for (const [id, app] of apps()) {
        const n = new Map<string, number>(TASK_STATES.map((s) => [s, 0]));
        for (const s of app.metrics.taskStates.values()) n.set(s, (n.get(s) ?? 0) + 1);
        for (const [state, count] of n) this.set({ application_id: id, state }, count);
      }
    },
  });
  new Gauge({
    name: 'millrace_restore_remaining_records',
    help: 'Changelog records a store still has to restore before its task runs (0 when done).',
    labelNames: ['application_id', 'task_id', 'store'],
    registers,
    collect() {
      this.reset();
      for (const [id, app] of apps())
        for (const [key, p] of app.metrics.restoreProgress) {
          const slash = key.indexOf('/');
          const labels = { application_id: id, task_id: key.slice(0, slash), store: key.slice(slash + 1) };
          this.set(labels, p.done ? 0 : Math.max(0, p.total - p.restored));
        }
    },
  });
  new Gauge({
    name: 'millrace_store_entries',
    help: "Approximate entries of each store over this instance's running tasks.",
    labelNames: ['application_id', 'store'],
    registers,
    collect() {
      this.reset();
      for (const [id, app] of apps()) {
        for (const sub of app.compiled?.subtopologies ?? [])
          for (const store of sub.stores) {
            try {
              this.set(
                { application_id: id, store: store.name },
                app.store(store.name).approximateNumEntries(),
              );
            } catch {
              // the app is closing: leave the store out of this scrape
            }
          }
      }
    },
  });
  new Gauge({
    name: 'millrace_records_lag',
    help: "Records of an input partition not yet committed by the application's group (end offset minus committed offset).",
    labelNames: ['application_id', 'topic', 'partition'],
    registers,
    async collect() {
      this.reset();
      const lagOf = options.lag;
      if (!lagOf) return;
      for (const [id, app] of apps()) {
        if (!app.compiled) continue;
        const lags = await lagOf(app).catch(() => []);
        for (const l of lags)
          this.set({ application_id: id, topic: l.topic, partition: String(l.partition) }, l.lag);
      }
    },
  });
}

const E2E = 'millrace_record_e2e_latency_seconds';
const E2E_HELP =
  "Time from a record's timestamp to the end of its processing, in seconds (Kafka Streams record-e2e-latency).";

/**
 * The runtime keeps the end-to-end latency in fixed buckets (cheap per record); this collector writes them as
 * a Prometheus histogram: cumulative `_bucket{le}` lines, `_sum` and `_count`, per application.
 */
function e2eLatencyHistogram(apps: () => [string, StreamsApp][]) {
  const get = () => {
    const values: { value: number; labels: Record<string, string | number>; metricName: string }[] = [];
    for (const [id, app] of apps()) {
      const h = app.metrics.e2eLatency;
      let cumulative = 0;
      LatencyHistogram.BOUNDS_MS.forEach((bound, i) => {
        cumulative += h.counts[i]!;
        values.push({
          value: cumulative,
          labels: { application_id: id, le: bound / 1000 },
          metricName: `${E2E}_bucket`,
        });
      });
      values.push({
        value: h.count,
        labels: { application_id: id, le: '+Inf' },
        metricName: `${E2E}_bucket`,
      });
      values.push({ value: h.sumMs / 1000, labels: { application_id: id }, metricName: `${E2E}_sum` });
      values.push({ value: h.count, labels: { application_id: id }, metricName: `${E2E}_count` });
    }
    return { name: E2E, help: E2E_HELP, type: 'histogram', aggregator: 'sum', values };
  };
  return {
    name: E2E,
    help: E2E_HELP,
    type: 'histogram',
    aggregator: 'sum',
    get: async () => get(),
    reset: () => {},
  };
}

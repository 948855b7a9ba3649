import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createMillraceMetrics } from '../../../src/metrics/index.ts';
import { fakeApp } from '../server/fake-app.ts';

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

function metricsWithTraffic() {
  const app = fakeApp(
    'orders',
    new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]),
  );
  app.metrics.processedTotal = 42;
  app.metrics.deadLettered.deserialization = 3;
  app.metrics.recordCommit(250);
  app.metrics.recordCommit(750);
  app.metrics.taskStates.set('0_0', 'RUNNING').set('0_1', 'RESTORING');
  app.metrics.restoreProgress.set('0_1/counts', { restored: 40, total: 100, done: false });
  const metrics = createMillraceMetrics({
    apps: new Map([['orders', app]]),
    lag: async () => [{ topic: 'in', partition: 2, lag: 17 }],
  });
  metrics.observeHttp('GET', '/stores/:app/:store/keys/:key', 200, 0.003);
  return metrics;
}

describe('the Prometheus registry', () => {
  it("exports each app's StreamsMetrics with labels", async () => {
    const text = await metricsWithTraffic().render();
    const line = (s: string) => expect(text.split('\n')).toContain(s);
    line('millrace_process_records_total{application_id="orders"} 42');
    line('millrace_dead_letter_records_total{application_id="orders",stage="deserialization"} 3');
    line('millrace_commit_total{application_id="orders"} 2');
    line('millrace_commit_latency_seconds_total{application_id="orders"} 1');
    line('millrace_commit_latency_max_seconds{application_id="orders"} 0.75');
    line('millrace_task_state{application_id="orders",state="RESTORING"} 1');
    line('millrace_restore_remaining_records{application_id="orders",task_id="0_1",store="counts"} 60');
    line('millrace_application_state{application_id="orders",state="RUNNING"} 1');
    line('millrace_store_entries{application_id="orders",store="counts"} 3');
    line('millrace_records_lag{application_id="orders",topic="in",partition="2"} 17');
    line(
      'millrace_http_requests_total{method="GET",route="/stores/:app/:store/keys/:key",status_code="200"} 1',
    );
  });

  it.skipIf(!hasPromtool)('passes `promtool check metrics`', async () => {
    const text = await metricsWithTraffic().render();
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

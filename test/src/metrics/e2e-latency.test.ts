import { describe, expect, it } from 'vitest';
import { createMillraceMetrics } from '../../../src/metrics/index.ts';
import type { StreamsApp } from '../../../src/runtime/streams-app.ts';
import { StreamsMetrics } from '../../../src/runtime/streams-metrics.ts';

describe('millrace_record_e2e_latency_seconds', () => {
  it('exports the runtime buckets as a cumulative Prometheus histogram', async () => {
    const metrics = new StreamsMetrics();
    for (const ms of [0.5, 3, 3, 700, 120_000]) metrics.e2eLatency.observe(ms);
    const app = {
      metrics,
      state: 'RUNNING',
      compiled: undefined,
      runningTaskIds: () => [],
    } as unknown as StreamsApp;
    const text = await createMillraceMetrics({
      apps: new Map([['app', app]]),
      processMetrics: false,
    }).render();
    const line = (suffix: string) =>
      text
        .split('\n')
        .find((l) => l.startsWith(`millrace_record_e2e_latency_seconds${suffix}`))
        ?.split(' ')[1];
    expect(line('_bucket{application_id="app",le="0.001"}')).toBe('1');
    expect(line('_bucket{application_id="app",le="0.005"}')).toBe('3');
    expect(line('_bucket{application_id="app",le="1"}')).toBe('4');
    expect(line('_bucket{application_id="app",le="60"}')).toBe('4');
    expect(line('_bucket{application_id="app",le="+Inf"}')).toBe('5');
    expect(line('_count{application_id="app"}')).toBe('5');
    expect(Number(line('_sum{application_id="app"}'))).toBeCloseTo(120.7065, 6);
  });
});

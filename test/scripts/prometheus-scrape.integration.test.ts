import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMillraceMetrics } from '../../src/metrics/index.ts';
import { createMillraceServer } from '../../src/server/index.ts';
import { freePort } from '../helpers/free-port.ts';
import { eventually } from '../helpers/kafka.ts';
import { fakeApp } from '../src/server/fake-app.ts';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const hasPrometheus = spawnSync(PROMETHEUS, ['--version']).status === 0;

/**
 * A real Prometheus server scrapes a Millrace server's /metrics and answers a Millrace metric through its
 * query API. Prometheus runs on a free loopback port with a temporary config and storage dir, is bounded in
 * time, and is stopped at the end.
 */
describe.skipIf(!hasPrometheus)('Prometheus scrapes /metrics', () => {
  it('returns millrace_process_records_total through the query API', async () => {
    const app = fakeApp('scraped-app', new Map([['a', 1]]));
    app.metrics.processedTotal = 1234;
    const apps = new Map([['scraped-app', app]]);
    const server = await createMillraceServer({
      apps,
      metrics: createMillraceMetrics({ apps }),
      logLevel: 'silent',
    });
    const appAddress = await server.listen(await freePort(), '127.0.0.1');
    const dir = mkdtempSync(join(tmpdir(), 'millrace-prometheus-'));
    const promPort = await freePort();
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: millrace\n    static_configs: [{ targets: ['${appAddress}'] }]\n`,
    );
    const prom = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    prom.stderr.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
    const killer = setTimeout(() => prom.kill('SIGKILL'), 50_000); // bounded, whatever happens
    try {
      let value: string | undefined;
      const found = await eventually(
        async () => {
          try {
            const res = await fetch(
              `http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent('millrace_process_records_total{application_id="scraped-app"}')}`,
            );
            const body = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
            value = body.data?.result?.[0]?.value[1];
            return value !== undefined;
          } catch {
            return false; // not listening yet
          }
        },
        40_000,
        500,
      );
      expect(found, log).toBe(true);
      expect(value).toBe('1234');
      // The scrape target is healthy (every line of /metrics parsed).
      const targets = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/targets`)).json()) as {
        data: { activeTargets: { health: string; lastError: string }[] };
      };
      expect(targets.data.activeTargets[0]).toMatchObject({ health: 'up', lastError: '' });
      // And promtool's linter accepts the endpoint's text as served over HTTP.
      const text = await (await fetch(`http://${appAddress}/metrics`)).text();
      const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(check.stdout + check.stderr).toBe('');
      expect(check.status).toBe(0);
    } finally {
      clearTimeout(killer);
      prom.kill('SIGTERM');
      await new Promise((r) => (prom.exitCode !== null ? r(undefined) : prom.once('exit', r)));
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

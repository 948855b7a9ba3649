import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunConfig } from '../../../src/cli/run-config.ts';
import { startMillrace, type RunningMillrace } from '../../../src/cli/start-millrace.ts';
import { freePort } from '../../helpers/free-port.ts';
import { bootstrapServers, eventually, produceStrings, testKafka, uniqueName } from '../../helpers/kafka.ts';

const fixtures = new URL('../../fixtures/cli/', import.meta.url).pathname;
const main = new URL('../../../src/cli/main.ts', import.meta.url).pathname;

describe('millrace run, reset and replay', () => {
  const kafka = testKafka();
  const dir = mkdtempSync(join(tmpdir(), 'millrace-replay-'));
  const stateDir = join(dir, 'state');
  const input = uniqueName('replay-in');
  const appId = uniqueName('replay-app');
  const now = Date.now();
  const T = now - 30 * 60_000; // the replay point: records before it are dropped by the reset
  const all = new Map<string, number>();
  const fromT = new Map<string, number>();
  let configPath = '';

  beforeAll(async () => {
    const spec = readFileSync(join(fixtures, 'count-topology.yaml'), 'utf8')
      .replace('fixture-counts', appId)
      .replace('fixture-events', input);
    writeFileSync(join(dir, 'topology.yaml'), spec);
    const port = await freePort();
    writeFileSync(
      join(dir, 'millrace.yaml'),
      [
        'common: { commit.interval.ms: 200 }',
        'topologies: [topology.yaml]',
        `plugins: [${join(fixtures, 'plugin.ts')}]`,
        `topics: [{ name: ${input}, partitions: 6 }]`,
        `server: { port: ${port}, host: 127.0.0.1, advertisedHost: 127.0.0.1, logLevel: silent }`,
      ].join('\n'),
    );
    configPath = join(dir, 'millrace.yaml');
  });

  afterAll(async () => {
    await kafka.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({
    ...process.env,
    KAFKA_BOOTSTRAP_SERVERS: bootstrapServers().join(','),
    MILLRACE_STATE_DIR: stateDir,
    MILLRACE_API_TOKEN: 'replay-test-token',
  });
  const start = () => startMillrace(loadRunConfig(configPath), { log: () => undefined, env: env() });
  /** Every entry of the store, read through the HTTP scan route. */
  async function storeOf(run: RunningMillrace): Promise<Map<string, number>> {
    const res = await run.server.fastify.inject({
      method: 'GET',
      url: `/stores/${appId}/counts?limit=10000`,
      headers: { authorization: 'Bearer replay-test-token' },
    });
    if (res.statusCode !== 200) return new Map([['__status', res.statusCode]]);
    return new Map((res.json().entries as { key: string; value: number }[]).map((e) => [e.key, e.value]));
  }
  async function runUntil(oracle: Map<string, number>): Promise<Map<string, number>> {
    const run = await start();
    let last = new Map<string, number>();
    try {
      await eventually(async () => {
        last = await storeOf(run);
        return last.size === oracle.size && [...oracle].every(([k, n]) => last.get(k) === n);
      }, 60_000);
    } finally {
      await run.close();
    }
    return last;
  }
  function cli(...args: string[]) {
    const r = spawnSync(process.execPath, [main, ...args], { env: env(), encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  }
  /** `millrace reset` of the app's input topic and state dir, with `args` (where to, --dry-run). */
  const reset = (...args: string[]) =>
    cli('reset', '--application-id', appId, '--input-topics', input, '--state-dir', stateDir, ...args);
  async function waitGroupEmpty() {
    const admin = kafka.admin();
    expect(
      await eventually(async () => (await admin.describeGroup(appId)).members.length === 0, 60_000),
    ).toBe(true);
  }

  it('creates its input topic, processes it, and rebuilds the state of the input from T on after a reset', async () => {
    // `run` creates the input topic (topics: in the config); produce after that.
    const first = await start();
    await first.close();
    const records = Array.from({ length: 4000 }, (_, i) => {
      const before = i < 2000;
      const key = `p${(i * 13) % 300}`;
      const value = i % 97 === 0 ? ' ' : `e${i}`; // blank values are filtered out by the topology
      const timestamp = before ? T - 20 * 60_000 + i : T + 60_000 + i;
      if (value.trim()) {
        all.set(key, (all.get(key) ?? 0) + 1);
        if (!before) fromT.set(key, (fromT.get(key) ?? 0) + 1);
      }
      return { key, value, timestamp };
    });
    await produceStrings(kafka, input, records);

    expect(await runUntil(all)).toEqual(all);
    await waitGroupEmpty();

    const iso = new Date(T).toISOString();
    const dry = reset('--to-datetime', iso, '--dry-run');
    expect(dry.status, dry.out).toBe(0);
    expect(dry.out).toMatch(new RegExp(`would delete internal topic ${appId}-counts-changelog`));
    const resetRun = reset('--to-datetime', iso);
    expect(resetRun.status, resetRun.out).toBe(0);
    expect(await runUntil(fromT)).toEqual(fromT);
    await waitGroupEmpty();

    const again = reset('--to-earliest');
    expect(again.status, again.out).toBe(0);
    expect(await runUntil(all)).toEqual(all);
  });

  it('refuses to reset while the group has members', async () => {
    const run = await start();
    try {
      await run.apps.get(appId)!.waitUntilRunning(60_000);
      const r = reset('--to-earliest');
      expect(r.status).toBe(1);
      expect(r.out).toMatch(/MR_RESET_GROUP_ACTIVE.*stop every instance/);
    } finally {
      await run.close();
    }
  });
});

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStreamsApp } from '../../../src/runtime/streams-app.ts';
import { stringSerde } from '../../../src/serdes/index.ts';
import { createMillraceServer } from '../../../src/server/index.ts';
import { createStreamsBuilder } from '../../../src/topology/index.ts';
import { createTopics, eventually, produceStrings, uniqueName } from '../../helpers/kafka.ts';
import { appConfig, useTestApps } from '../../helpers/test-apps.ts';

const str = stringSerde();
const KEYS = 60_000;

describe('/health/ready during a restore', () => {
  const t = useTestApps('ready');
  const kafka = t.kafka;
  const stateDir = t.dirs[0]!;
  const input = uniqueName('ready-in');
  const appId = uniqueName('ready-app');

  const makeApp = () => {
    const b = createStreamsBuilder();
    b.stream<string, string>(input, { keySerde: str, valueSerde: str })
      .groupByKey()
      .count({ storeName: 'counts' });
    return createStreamsApp(
      b.build(),
      appConfig(appId, stateDir, { 'commit.interval.ms': 200, 'restore.batch.size': 500 }),
      { log: () => undefined },
    );
  };

  it('is false while a large store restores from its changelog and true afterwards', async () => {
    await createTopics(kafka, [input], 6);
    await produceStrings(
      kafka,
      input,
      Array.from({ length: KEYS }, (_, i) => ({ key: `k${i}`, value: 'x' })),
    );
    // Build the store (and its changelog), then drop the local state so the next start restores it.
    const first = makeApp();
    await first.start();
    const built = await eventually(
      () => first.state === 'RUNNING' && first.store('counts').approximateNumEntries() === KEYS,
      90_000,
    );
    expect(built).toBe(true);
    await first.close();
    rmSync(join(stateDir, appId), { recursive: true, force: true });

    const app = makeApp();
    const server = await createMillraceServer({ apps: new Map([[appId, app]]), logLevel: 'silent' });
    const seen: { status: number; ready: boolean; restoring: boolean }[] = [];
    try {
      await app.start();
      // Poll readiness as fast as the event loop allows until the app is ready.
      const done = await eventually(
        async () => {
          const res = await server.fastify.inject({ method: 'GET', url: '/health/ready' });
          const restoring = [...app.metrics.restoreProgress.values()].some((p) => !p.done);
          seen.push({ status: res.statusCode, ready: res.json().ready, restoring });
          return res.statusCode === 200;
        },
        90_000,
        1,
      );
      expect(done).toBe(true);
      // While a restore was in progress readiness was false, every time it was asked.
      const duringRestore = seen.filter((s) => s.restoring);
      expect(duringRestore.length).toBeGreaterThan(0);
      expect(duringRestore.every((s) => s.status === 503 && !s.ready)).toBe(true);
      // Ready means restored: the store has every key again.
      expect(app.metrics.restoredRecordsTotal).toBeGreaterThanOrEqual(KEYS);
      expect(app.store('counts').approximateNumEntries()).toBe(KEYS);
      expect(
        (
          await server.fastify.inject({ method: 'GET', url: '/stores/' + appId + '/counts/keys/k12345' })
        ).json().value,
      ).toBe(1);
    } finally {
      await app.close();
      await server.close();
    }
  });
});

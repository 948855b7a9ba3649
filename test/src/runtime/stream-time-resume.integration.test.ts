import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeStreamTime } from '../../../src/runtime/internal/stream-time-metadata.ts';
import { createStreamsApp, type StreamsApp } from '../../../src/runtime/streams-app.ts';
import { longSerde, stringSerde } from '../../../src/serdes/index.ts';
import { createStreamsBuilder, type Topology } from '../../../src/topology/index.ts';
import { windowedSerde } from '../../../src/topology/internal/windowed-serdes.ts';
import { TimeWindows } from '../../../src/topology/windows.ts';
import {
  bootstrapServers,
  createTopics,
  eventually,
  groupCaughtUp,
  produceStrings,
  testKafka,
  uniqueName,
} from '../../helpers/kafka.ts';

const SIZE_MS = 10_000;
const GRACE_MS = 1_000;
const STORE = 'counts';
// A multiple of SIZE_MS (window starts are T0 + n * SIZE_MS), an hour back: the window changelog is
// compact,delete with the store's retention + 1 day by record time, so older times could be deleted by the
// broker's retention check before the second instance restores them.
const T0 = Math.floor((Date.now() - 3_600_000) / SIZE_MS) * SIZE_MS;
const str = stringSerde();

/** Tumbling 10 s windows with 1 s of grace, counted per key; kept a day, so closed windows stay readable. */
function countTopology(input: string, output: string): Topology {
  const b = createStreamsBuilder();
  b.stream<string, string>(input, { keySerde: str, valueSerde: str })
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(SIZE_MS, GRACE_MS))
    .count({ storeName: STORE, retentionMs: 86_400_000 })
    .toStream()
    .to(output, { keySerde: windowedSerde(str), valueSerde: longSerde() });
  return b.build();
}

async function counts(app: StreamsApp): Promise<Map<number, number>> {
  const m = new Map<number, number>();
  for await (const e of app.store(STORE).all() as AsyncIterable<unknown>) {
    const w = e as { key: string; windowStart: number; value: { value: number } };
    m.set(w.windowStart - T0, w.value.value);
  }
  return m;
}

describe.each(['at_least_once', 'exactly_once_v2'] as const)(
  'stream time across a restart (%s)',
  (guarantee) => {
    const kafka = testKafka();
    const dirs: string[] = [];
    const apps: StreamsApp[] = [];

    afterAll(async () => {
      await Promise.all(apps.map((a) => a.close()));
      await kafka.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    it('is committed with the offsets and resumed by a new instance: a window closed before the restart stays closed', async () => {
      const input = uniqueName('st-resume-in');
      const output = uniqueName('st-resume-out');
      const appId = uniqueName('st-resume-app');
      await createTopics(kafka, [input, output], 1);
      // Each instance gets a fresh state dir: its stores are restored from the changelog, and its stream
      // time can only come from the committed offsets.
      const start = async (): Promise<StreamsApp> => {
        const dir = mkdtempSync(join(tmpdir(), 'millrace-st-resume-'));
        dirs.push(dir);
        const app = createStreamsApp(
          countTopology(input, output),
          {
            'application.id': appId,
            'bootstrap.servers': bootstrapServers(),
            'state.dir': dir,
            'processing.guarantee': guarantee,
            'commit.interval.ms': 200,
          },
          { log: () => undefined },
        );
        apps.push(app);
        await app.start();
        await app.waitUntilRunning(60_000);
        return app;
      };
      const committedTime = async (): Promise<number | undefined> => {
        const reader = kafka.consumer({ groupId: appId });
        try {
          const [c] = await reader.committed([{ topic: input, partition: 0 }]);
          return decodeStreamTime(c?.metadata);
        } finally {
          await reader.close();
        }
      };

      // Up to event time T = T0 + 60 s: windows 0 s (2 records) … 60 s (1 record).
      const first = [0, 3_000, 20_000, 40_000, 60_000].map((t) => ({
        key: 'k',
        value: 'v',
        timestamp: T0 + t,
      }));
      const produced = { total: first.length };
      const a = await start();
      await produceStrings(kafka, input, first);
      expect(await eventually(groupCaughtUp(kafka, appId, input, produced), 60_000)).toBe(true);
      await a.close();
      expect(await committedTime()).toBe(T0 + 60_000);

      // A new instance: a record of window 0 s (closed since stream time passed 0 s + 10 s + 1 s of grace)
      // is late, however fresh the instance; a record of window 60 s still counts.
      const b = await start();
      expect(await counts(b)).toEqual(
        new Map([
          [0, 2],
          [20_000, 1],
          [40_000, 1],
          [60_000, 1],
        ]),
      );
      await produceStrings(kafka, input, [
        { key: 'k', value: 'late', timestamp: T0 + 5_000 },
        { key: 'k', value: 'fresh', timestamp: T0 + 61_000 },
      ]);
      produced.total += 2;
      expect(await eventually(async () => (await counts(b)).get(60_000) === 2, 60_000)).toBe(true);
      expect((await counts(b)).get(0)).toBe(2);
      expect(b.metrics.droppedRecordsTotal).toBe(1);
      expect(await eventually(groupCaughtUp(kafka, appId, input, produced), 60_000)).toBe(true);
      await b.close();
      expect(await committedTime()).toBe(T0 + 61_000);

      // The reset tool's commit (no metadata) clears it, as Kafka Streams' reset tool does.
      const admin = kafka.admin();
      await admin.alterGroupOffsets(appId, [{ topic: input, partition: 0, offset: BigInt(produced.total) }]);
      expect(await committedTime()).toBeUndefined();
    });
  },
);

import type { KafkaClient } from '../../../src/kafka/index.ts';
import { sendRecords, sleep, type ChaosRecord } from './kafka-io.ts';

/**
 * Produces input in the background at about `rate` records/s, in ticks of 100 ms, until stopped. The
 * scenario's generator records every record it hands out in its oracle, so a send must never fail half-way:
 * a scenario that takes the broker away pauses the feeder first (the fault under test is the app's, not the
 * load generator's).
 */
export interface Feeder {
  pause(): Promise<void>;
  resume(): void;
  /** Stops and waits for the last send; rethrows a send error. */
  stop(): Promise<void>;
}

export function startFeeder(
  kafka: KafkaClient,
  topic: string,
  rate: number,
  next: (n: number) => ChaosRecord[],
): Feeder {
  const producer = kafka.producer();
  let running = true;
  let paused = false;
  let idle: () => void = () => undefined;
  let idleAt: Promise<void> = Promise.resolve();
  const perTick = Math.max(1, Math.round(rate / 10));
  const loop = (async () => {
    try {
      while (running) {
        if (paused) {
          idle();
          await sleep(50);
          continue;
        }
        await sendRecords(producer, topic, next(perTick));
        await sleep(100);
      }
    } finally {
      idle();
      await producer.close();
    }
  })();
  loop.catch(() => undefined);
  return {
    pause() {
      paused = true;
      idleAt = new Promise<void>((r) => (idle = r));
      return Promise.race([idleAt, loop.then(() => undefined)]);
    },
    resume() {
      paused = false;
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

import { createKafkaClient } from '../../../src/kafka/index.ts';
import { startLocalBroker, stopLocalBroker } from '../../../src/local-broker/broker-process.ts';
import { CountRun } from '../lib/count-run.ts';
import { sleep } from '../lib/kafka-io.ts';
import { chaosResult, type ChaosScenario } from '../scenario.ts';

/**
 * Broker stop and restart mid-run. The scenario starts its own single-node broker with the local broker
 * tool on a dedicated port (`--broker-port`, default 39092; never the shared broker other runs use), runs
 * the count topology on it, and stops the broker (SIGTERM, controlled shutdown) and starts it again on the
 * same port and data dir, while the app processes. The feeder pauses while the broker is down (its
 * oracle must know what was written). Oracle: under exactly_once_v2 exactly 1..n per key; under
 * at_least_once nothing lost.
 */
export const brokerRestart: ChaosScenario = {
  name: 'broker-restart',
  description: "stop and restart the scenario's own broker mid-run while the app processes",
  guarantee: 'exactly_once_v2',
  ci: { durationMs: 8_000, instances: 2, keys: 300, rate: 1000, partitions: 6 },
  soak: { durationMs: 600_000, instances: 2, keys: 5000, rate: 5000, partitions: 12 },
  async run(ctx) {
    const port = ctx.brokerPort;
    const log = (m: string) => ctx.log(`broker-restart: ${m}`);
    await startLocalBroker({ port, log });
    const bootstrapServers = `127.0.0.1:${port}`;
    const kafka = createKafkaClient({ bootstrapServers: [bootstrapServers], clientId: 'millrace-chaos' });
    const own = { ...ctx, kafka, bootstrapServers };
    const run = new CountRun(own, 'broker');
    let faults = 0;
    try {
      await run.setup(5000);
      for (let slot = 0; slot < ctx.sizes.instances; slot++) await run.start(slot);
      const feeder = run.startFeeder();
      const until = Date.now() + ctx.sizes.durationMs;
      // At least one restart, however short the run.
      for (let round = 0; round === 0 || Date.now() < until; round++) {
        await sleep(ctx.random.int(2000, 5000));
        await feeder.pause();
        log('stopping the broker');
        await stopLocalBroker({ port, log });
        faults++;
        await sleep(ctx.random.int(500, 4000));
        await startLocalBroker({ port, log });
        feeder.resume();
      }
      const { records, problems } = await run.finish();
      return chaosResult(faults, records, problems);
    } finally {
      await run.dispose();
      await kafka.close().catch(() => undefined);
      await stopLocalBroker({ port, log });
    }
  },
};

/**
 * `npm run chaos -- <scenario|all>[,...] [--soak] [--seed N] [...]` (bench/chaos/args.ts lists the flags).
 *
 * Runs each chaos scenario against the broker the tests use (`KAFKA_BOOTSTRAP_SERVERS`, else the local
 * broker tool's), prints `<scenario>: faults=F records=R mismatches=M` and the first mismatches, and exits 1
 * when any scenario found a mismatch (2 on a usage error or a scenario that could not run). docs/chaos.md.
 */
import { createKafkaClient } from '../../src/kafka/index.ts';
import { benchBootstrapServers } from '../lib/broker.ts';
import { CHAOS_USAGE, parseChaosArgs } from './args.ts';
import { runChaosScenario } from './run-chaos.ts';
import { summaryLine } from './scenario.ts';

const log = (m: string) => console.error(`${new Date().toISOString()} ${m}`);

let args;
try {
  args = parseChaosArgs(process.argv.slice(2));
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
if (args.scenarios.length === 0) {
  console.error(CHAOS_USAGE);
  process.exit(2);
}

const bootstrapServers = await benchBootstrapServers(log);
const kafka = createKafkaClient({
  bootstrapServers: bootstrapServers.split(','),
  clientId: 'millrace-chaos',
});
log(`chaos: seed ${args.seed}, ${args.soak ? 'soak' : 'CI'} sizes, broker ${bootstrapServers}`);
let exitCode = 0;
try {
  for (const name of args.scenarios) {
    log(`${name}: starting`);
    try {
      const result = await runChaosScenario(name, {
        kafka,
        bootstrapServers,
        soak: args.soak,
        seed: args.seed,
        sizes: args.sizes,
        brokerPort: args.brokerPort,
        log,
        ...(args.guarantee ? { guarantee: args.guarantee } : {}),
      });
      console.log(summaryLine(name, result));
      for (const p of result.problems) console.log(`  ${p}`);
      if (result.mismatches > 0) exitCode = Math.max(exitCode, 1);
    } catch (err) {
      console.log(`${name}: could not run: ${(err as Error).stack ?? String(err)}`);
      exitCode = 2;
    }
  }
} finally {
  await kafka.close();
}
process.exit(exitCode);

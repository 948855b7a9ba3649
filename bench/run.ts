/**
 * `npm run bench -- <scenario|extra|all>[,...] [--events N] [--guarantee at_least_once|exactly_once_v2|both]`
 *
 * Loads N events per scenario and guarantee into fresh topics and times Millrace, the Kafka Streams
 * reference and the client ceiling one after the other on the same broker, then prints records/s, the
 * ratios Millrace/Kafka Streams and Millrace/ceiling and each contender's peak RSS (docs/benchmarks.md).
 */
import { join } from 'node:path';
import { createKafkaClient } from '../src/kafka/index.ts';
import { parseBenchArgs, USAGE } from './lib/args.ts';
import { benchBootstrapServers } from './lib/broker.ts';
import { REPO_ROOT } from './lib/contenders.ts';
import { buildKafkaStreamsReference } from './lib/java.ts';
import { ratioRow, ratioTable, type RatioRow } from './lib/report.ts';
import { runScenario, type RunContext } from './lib/run-scenario.ts';
import { runExtra } from './extras/index.ts';
import { SCENARIO_BY_NAME } from './scenarios/index.ts';

const log = (m: string) => console.error(m);

let args;
try {
  args = parseBenchArgs(process.argv.slice(2));
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
if (args.scenarios.length === 0 && args.extras.length === 0) {
  console.error(USAGE);
  process.exit(2);
}

const bootstrapServers = await benchBootstrapServers(log);
const kafka = createKafkaClient({
  bootstrapServers: bootstrapServers.split(','),
  clientId: 'millrace-bench',
});
const needsJava = args.contenders.includes('kafka-streams') || args.extras.length > 0;
const classpath = needsJava
  ? await buildKafkaStreamsReference(join(REPO_ROOT, 'bench', 'kafka-streams-reference'), log)
  : undefined;
const ctx: RunContext = { kafka, bootstrapServers, classpath, runId: Date.now().toString(36), log };

const rows: RatioRow[] = [];
try {
  for (const name of args.scenarios) {
    for (const g of args.guarantees) {
      rows.push(ratioRow(await runScenario(ctx, SCENARIO_BY_NAME[name], g, args)));
    }
  }
  if (rows.length > 0) {
    console.log(
      '\nRatios > 1: Millrace is faster. window steady: records committed from the first look at ≥ 10% of the input to the end;' +
        ' cold: all events over spawn → all committed (start-up included), used when some contender shows no steady window.\n',
    );
    console.log(ratioTable(rows));
  }
  for (const extra of args.extras) console.log(`\n${await runExtra(ctx, extra, args)}`);
} finally {
  await kafka.close();
}

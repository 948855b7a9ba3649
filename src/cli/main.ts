#!/usr/bin/env node
/**
 * `millrace` command line: run, validate, describe, reset, loadgen. `millrace run` (what `npm start` runs)
 * starts the application on its defaults, starting a local Kafka broker when none answers and
 * KAFKA_BOOTSTRAP_SERVERS is not set. docs/cli.md documents every command and option.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isMillraceError, MillraceError } from '../errors/index.ts';
import { createKafkaClient } from '../kafka/index.ts';
import { compileTopologySpec, createProcessorRegistry } from '../topology/spec/index.ts';
import { ensureBroker } from './ensure-broker.ts';
import { RANDOM_GENERATOR, type LoadGenerator } from './load-generator.ts';
import { loadPlugins } from './load-plugins.ts';
import { runLoadgen } from './loadgen.ts';
import { parseDateTime, parseDuration, resetApplication, type ResetTarget } from './reset-application.ts';
import { defaultConfigPath, loadRunConfig } from './run-config.ts';
import { startMillrace } from './start-millrace.ts';

const log = (m: string) => console.error(`[millrace] ${m}`);

const USAGE = `usage: millrace <command> [options]   (docs/cli.md)
  run       [--config millrace.yaml]
  validate  <spec.yaml> [--config millrace.yaml]
  describe  <spec.yaml> [--format text|json|mermaid] [--config millrace.yaml]
  reset     --application-id ID --input-topics a,b (--to-earliest | --to-latest | --to-offset N |
            --to-datetime T | --by-duration PnDTnHnMn) [--state-dir DIR] [--dry-run] [--bootstrap-servers H:P]
  loadgen   --topic T [--count N] [--rate R/s] [--keys K] [--seed S] [--generator NAME] [--partitions P]
            [--config millrace.yaml]`;

const usage = (why: string) => new MillraceError('MR_CLI_USAGE', `${why}\n${USAGE}`);

type Opts = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;
function parse(args: string[], options: Opts, positionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: positionals > 0, strict: true });
  } catch (err) {
    throw usage((err as Error).message);
  }
  if (parsed.positionals.length !== positionals)
    throw usage(`expected ${positionals} argument(s), got ${parsed.positionals.length}`);
  return parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] };
}

/** Plugins of the config file, when there is one (their processors are what specs name). */
async function pluginsOf(configPath: string | undefined) {
  const path = configPath ?? defaultConfigPath();
  if (!configPath && !existsSync(path)) return [];
  return loadPlugins(loadRunConfig(path).plugins);
}

async function compileSpec(specPath: string, configPath: string | undefined) {
  const registry = createProcessorRegistry();
  for (const p of await pluginsOf(configPath)) p.register?.(registry);
  let text: string;
  try {
    text = readFileSync(specPath, 'utf8');
  } catch (cause) {
    throw new MillraceError('MR_CLI_USAGE', `cannot read the spec ${specPath}: ${(cause as Error).message}`);
  }
  return compileTopologySpec(text, registry);
}

async function bootstrap(given: string | undefined): Promise<string[]> {
  return given ? given.split(',') : ensureBroker(log);
}

async function run(args: string[]): Promise<number> {
  const { values } = parse(args, { config: { type: 'string' } });
  const path = (values.config as string | undefined) ?? defaultConfigPath();
  log(`config ${path}`);
  const running = await startMillrace(loadRunConfig(path), { log });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down (commit, close tasks, leave the group)`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  await new Promise(() => undefined); // runs until a signal
  return 0;
}

async function reset(args: string[]): Promise<number> {
  const { values: v } = parse(args, {
    'application-id': { type: 'string' },
    'input-topics': { type: 'string' },
    'to-earliest': { type: 'boolean' },
    'to-latest': { type: 'boolean' },
    'to-offset': { type: 'string' },
    'to-datetime': { type: 'string' },
    'by-duration': { type: 'string' },
    'state-dir': { type: 'string' },
    'bootstrap-servers': { type: 'string' },
    'dry-run': { type: 'boolean' },
  });
  const app = v['application-id'] as string | undefined;
  if (!app) throw usage('--application-id is required');
  const targets: ResetTarget[] = [];
  if (v['to-earliest']) targets.push({ kind: 'earliest' });
  if (v['to-latest']) targets.push({ kind: 'latest' });
  if (v['to-offset'] !== undefined) {
    const s = v['to-offset'] as string;
    if (!/^\d+$/.test(s)) throw usage(`--to-offset "${s}" is not a non-negative integer`);
    targets.push({ kind: 'offset', offset: BigInt(s) });
  }
  if (v['to-datetime'] !== undefined)
    targets.push({ kind: 'datetime', timestampMs: parseDateTime(v['to-datetime'] as string) });
  if (v['by-duration'] !== undefined)
    targets.push({ kind: 'duration', durationMs: parseDuration(v['by-duration'] as string) });
  if (targets.length > 1)
    throw usage('give only one of --to-earliest, --to-latest, --to-offset, --to-datetime, --by-duration');
  const inputTopics = ((v['input-topics'] as string | undefined) ?? '').split(',').filter(Boolean);
  const kafka = createKafkaClient({
    bootstrapServers: await bootstrap(
      (v['bootstrap-servers'] as string | undefined) ?? process.env.KAFKA_BOOTSTRAP_SERVERS,
    ),
    clientId: 'millrace-reset',
  });
  try {
    await resetApplication({
      admin: kafka.admin(),
      applicationId: app,
      inputTopics,
      target: targets[0] ?? { kind: 'earliest' },
      stateDir: (v['state-dir'] as string | undefined) ?? process.env.MILLRACE_STATE_DIR ?? './data',
      dryRun: v['dry-run'] === true,
      log: (m) => console.log(m),
    });
  } finally {
    await kafka.close();
  }
  return 0;
}

async function loadgen(args: string[]): Promise<number> {
  const { values: v } = parse(args, {
    topic: { type: 'string' },
    count: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '0' },
    keys: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    generator: { type: 'string', default: 'random' },
    partitions: { type: 'string' },
    config: { type: 'string' },
    'bootstrap-servers': { type: 'string' },
  });
  const int = (name: string, min: number) => {
    const n = Number(v[name]);
    if (!Number.isSafeInteger(n) || n < min)
      throw usage(`--${name} "${String(v[name])}" must be an integer >= ${min}`);
    return n;
  };
  const generators = new Map<string, LoadGenerator>([[RANDOM_GENERATOR.name, RANDOM_GENERATOR]]);
  for (const p of await pluginsOf(v.config as string | undefined))
    for (const g of p.generators ?? []) generators.set(g.name, g);
  const generator = generators.get(v.generator as string);
  if (!generator)
    throw usage(`no generator "${String(v.generator)}" (known: ${[...generators.keys()].join(', ')})`);
  const topic = (v.topic as string | undefined) ?? generator.defaultTopic;
  if (!topic) throw usage('--topic is required');
  const kafka = createKafkaClient({
    bootstrapServers: await bootstrap(
      (v['bootstrap-servers'] as string | undefined) ?? process.env.KAFKA_BOOTSTRAP_SERVERS,
    ),
    clientId: 'millrace-loadgen',
  });
  try {
    if (v.partitions !== undefined)
      await kafka
        .admin()
        .createTopics([{ name: topic, partitions: int('partitions', 1), replicationFactor: -1 }], {
          ignoreIfExists: true,
        });
    await runLoadgen({
      kafka,
      generator,
      topic,
      count: int('count', 0),
      rate: int('rate', 0),
      keys: int('keys', 1),
      seed: int('seed', 0),
      log,
    });
  } finally {
    await kafka.close();
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command = 'run', ...args] = argv;
  switch (command) {
    case 'run':
      return run(args);
    case 'validate': {
      const { values, positionals } = parse(args, { config: { type: 'string' } }, 1);
      const { topology, config } = await compileSpec(positionals[0]!, values.config as string | undefined);
      const d = topology.describe();
      console.log(
        `${positionals[0]}: valid (application.id ${config['application.id']}, ${d.subtopologies.length} sub-topologies, ${d.globalStores.length} global stores)`,
      );
      return 0;
    }
    case 'describe': {
      const { values, positionals } = parse(
        args,
        { config: { type: 'string' }, format: { type: 'string', default: 'text' } },
        1,
      );
      const format = values.format as string;
      if (!['text', 'json', 'mermaid'].includes(format))
        throw usage(`--format "${format}" is not text, json or mermaid`);
      const d = (await compileSpec(positionals[0]!, values.config as string | undefined)).topology.describe();
      console.log(
        format === 'json'
          ? JSON.stringify(d.toJSON(), null, 2)
          : format === 'mermaid'
            ? d.toMermaid()
            : d.toString(),
      );
      return 0;
    }
    case 'reset':
      return reset(args);
    case 'loadgen':
      return loadgen(args);
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    default:
      throw usage(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    log(isMillraceError(err) ? `${err.code}: ${err.message}` : String((err as Error)?.stack ?? err));
    process.exitCode = isMillraceError(err, 'MR_CLI_USAGE') ? 2 : 1;
  },
);

import type { ChaosSizes } from './scenario.ts';
import { CHAOS_SCENARIO_BY_NAME, CHAOS_SCENARIOS } from './scenarios/index.ts';

/** What `npm run chaos -- <scenario|all>[,...] [options]` asks for. */
export interface ChaosArgs {
  readonly scenarios: readonly string[];
  /** Soak-sized defaults instead of CI-sized ones. */
  readonly soak: boolean;
  readonly seed: number;
  readonly guarantee: 'at_least_once' | 'exactly_once_v2' | undefined;
  readonly brokerPort: number;
  /** Flags that override the chosen defaults. */
  readonly sizes: Partial<ChaosSizes>;
}

export const CHAOS_USAGE = `usage: npm run chaos -- <scenario|all>[,...] [options]
  scenarios: ${CHAOS_SCENARIOS.map((s) => s.name).join(', ')}
  --soak              soak-sized defaults (minutes, more instances and keys) instead of CI-sized ones
  --seed N            seed of every random choice (default: time-based; printed, so a run can be replayed)
  --duration-s S      how long faults are injected
  --instances N       application instances (child processes)
  --keys N            distinct input keys
  --rate N            input records/s while faults are injected
  --partitions N      input partitions
  --requests N        http-fuzz: fuzzed requests
  --guarantee G       at_least_once | exactly_once_v2 (default: the scenario's, exactly_once_v2)
  --broker-port P     broker-restart: port of its own broker (default 39092; never the shared one)
Prints one line per scenario: "<scenario>: faults=F records=R mismatches=M"; exits 1 on any mismatch.`;

const positive = (flag: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive integer, got ${v}`);
  return n;
};

/** Parses the command line; throws with a message on a bad flag. */
export function parseChaosArgs(argv: readonly string[]): ChaosArgs {
  let scenarios: string[] = [];
  let soak = false;
  let seed = Date.now() % 2 ** 31;
  let guarantee: ChaosArgs['guarantee'];
  let brokerPort = 39092;
  const sizes: { -readonly [K in keyof ChaosSizes]?: ChaosSizes[K] } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => argv[++i];
    if (a === '--soak') soak = true;
    else if (a === '--seed') seed = positive(a, value());
    else if (a === '--duration-s') sizes.durationMs = positive(a, value()) * 1000;
    else if (a === '--instances') sizes.instances = positive(a, value());
    else if (a === '--keys') sizes.keys = positive(a, value());
    else if (a === '--rate') sizes.rate = positive(a, value());
    else if (a === '--partitions') sizes.partitions = positive(a, value());
    else if (a === '--requests') sizes.requests = positive(a, value());
    else if (a === '--broker-port') brokerPort = positive(a, value());
    else if (a === '--guarantee') {
      const g = value();
      if (g !== 'at_least_once' && g !== 'exactly_once_v2')
        throw new Error(`--guarantee is at_least_once or exactly_once_v2, got ${g}`);
      guarantee = g;
    } else if (a.startsWith('--')) throw new Error(`unknown flag ${a}\n${CHAOS_USAGE}`);
    else scenarios.push(...a.split(',').filter(Boolean));
  }
  if (scenarios.includes('all')) scenarios = CHAOS_SCENARIOS.map((s) => s.name);
  for (const s of scenarios)
    if (!CHAOS_SCENARIO_BY_NAME.has(s)) throw new Error(`unknown scenario ${s}\n${CHAOS_USAGE}`);
  if (brokerPort === 9092)
    throw new Error('--broker-port 9092 is the shared broker: broker-restart would stop it');
  return { scenarios, soak, seed, guarantee, brokerPort, sizes };
}

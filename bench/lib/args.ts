/** What `npm run bench -- <what> [options]` asks for. */
export type Guarantee = 'at_least_once' | 'exactly_once_v2';
export const SCENARIOS = ['profiles', 'orders', 'connections'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
export const EXTRAS = ['query-load', 'restore', 'key-growth'] as const;
export type ExtraName = (typeof EXTRAS)[number];
export const CONTENDERS = ['millrace', 'kafka-streams', 'ceiling'] as const;
export type ContenderName = (typeof CONTENDERS)[number];

export interface BenchArgs {
  readonly scenarios: readonly ScenarioName[];
  readonly extras: readonly ExtraName[];
  readonly events: number;
  readonly guarantees: readonly Guarantee[];
  readonly contenders: readonly ContenderName[];
  /** Commit interval of every contender; default 100 ms under both guarantees. */
  readonly commitIntervalMs: number | undefined;
  /** Distinct keys in state (key-growth runs once per value). */
  readonly keys: readonly number[];
  /** Write a V8 CPU profile of the Millrace child into this directory. */
  readonly cpuProf: string | undefined;
  /** Rounds per scenario and guarantee (contenders rotate); the table shows each contender's median. */
  readonly rounds: number;
  /** query-load: the app's `query.threads` (worker threads answering key lookups); default 1. */
  readonly queryThreads: number;
  /**
   * Scenarios: Kafka Streams' `num.stream.threads` and the number of Millrace instances (processes of one
   * application, each with its own stream thread and state dir); the ceiling stays one loop. Default 1.
   */
  readonly parallelism: number;
}

export const USAGE = `usage: npm run bench -- <scenario|extra|all>[,...] [options]
  scenarios: ${SCENARIOS.join(', ')}; extras: ${EXTRAS.join(', ')}; all = every scenario
  --events N          events loaded per run (default 1000000)
  --guarantee G       at_least_once | exactly_once_v2 | both (default both)
  --contenders LIST   millrace,kafka-streams,ceiling (default all three)
  --commit-interval-ms MS   every contender's commit interval (default 100, both guarantees)
  --keys LIST         key-growth: distinct keys, e.g. 10000,10000000 (default 10000,10000000)
  --cpu-prof DIR      write a --cpu-prof profile of each Millrace child into DIR
  --rounds N          run the contenders N times per scenario and guarantee, rotating their order; the
                      table shows each one's median run (default 1)
  --query-threads N   query-load: query.threads of the app (0 = lookups on the stream thread's loop; default 1)
  --parallelism N     scenarios: Kafka Streams num.stream.threads=N, Millrace N instances (processes) of the
                      application; CPU and memory summed over them; the ceiling stays one loop (default 1)`;

/** Parses the command line; throws an Error whose message includes the usage on a bad argument. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const positional: string[] = [];
  const opts = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) opts.set(a.slice(2, eq), a.slice(eq + 1));
      else {
        const v = argv[i + 1];
        if (v === undefined || v.startsWith('--')) fail(`${a} needs a value`);
        opts.set(a.slice(2), v);
        i++;
      }
    } else positional.push(a);
  }
  for (const k of opts.keys()) {
    if (
      ![
        'events',
        'guarantee',
        'contenders',
        'commit-interval-ms',
        'keys',
        'cpu-prof',
        'query-threads',
        'rounds',
        'parallelism',
      ].includes(k)
    )
      fail(`unknown option --${k}`);
  }
  if (positional.length !== 1) fail('name one scenario, extra, or all');
  const scenarios: ScenarioName[] = [];
  const extras: ExtraName[] = [];
  for (const w of positional[0]!.split(',')) {
    if (w === 'all') scenarios.push(...SCENARIOS);
    else if ((SCENARIOS as readonly string[]).includes(w)) scenarios.push(w as ScenarioName);
    else if ((EXTRAS as readonly string[]).includes(w)) extras.push(w as ExtraName);
    else fail(`unknown scenario "${w}"`);
  }
  const g = opts.get('guarantee') ?? 'both';
  const guarantees: Guarantee[] =
    g === 'both'
      ? ['at_least_once', 'exactly_once_v2']
      : g === 'at_least_once' || g === 'exactly_once_v2'
        ? [g]
        : fail(`--guarantee must be at_least_once, exactly_once_v2 or both, not "${g}"`);
  const contenders = (opts.get('contenders') ?? CONTENDERS.join(',')).split(',').map((c) => {
    if (!(CONTENDERS as readonly string[]).includes(c)) fail(`unknown contender "${c}"`);
    return c as ContenderName;
  });
  const ci = opts.get('commit-interval-ms');
  return {
    scenarios: [...new Set(scenarios)],
    extras: [...new Set(extras)],
    events: positiveInt('events', opts.get('events') ?? '1000000'),
    guarantees,
    contenders,
    commitIntervalMs: ci === undefined ? undefined : positiveInt('commit-interval-ms', ci),
    keys: (opts.get('keys') ?? '10000,10000000').split(',').map((k) => positiveInt('keys', k)),
    cpuProf: opts.get('cpu-prof'),
    rounds: positiveInt('rounds', opts.get('rounds') ?? '1'),
    queryThreads: nonNegativeInt('query-threads', opts.get('query-threads') ?? '1'),
    parallelism: positiveInt('parallelism', opts.get('parallelism') ?? '1'),
  };
}

/**
 * The commit interval a run uses: the option, else 100 ms under both guarantees (Kafka Streams' EOS
 * default). Completion is seen through committed offsets, so a long interval would blur the end of a
 * short run by up to one interval; every contender gets the same value.
 */
export function commitIntervalFor(args: Pick<BenchArgs, 'commitIntervalMs'>, _g: Guarantee): number {
  return args.commitIntervalMs ?? 100;
}

function positiveInt(name: string, raw: string): number {
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n <= 0) fail(`--${name} must be a positive integer, not "${raw}"`);
  return n;
}

function nonNegativeInt(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) fail(`--${name} must be an integer ≥ 0, not "${raw}"`);
  return n;
}

function fail(message: string): never {
  throw new Error(`${message}\n${USAGE}`);
}

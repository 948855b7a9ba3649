import type { KafkaClient } from '../../src/kafka/index.ts';
import type { Random } from './lib/random.ts';

/** Sizes of a chaos run. Every scenario has CI-sized and soak-sized defaults; flags override them. */
export interface ChaosSizes {
  /** How long faults are injected while input keeps coming. */
  readonly durationMs: number;
  /** Application instances (child processes) of the scenario. */
  readonly instances: number;
  /** Distinct keys of the input. */
  readonly keys: number;
  /** Input records produced per second while faults are injected. */
  readonly rate: number;
  /** Partitions of the input topic. */
  readonly partitions: number;
  /** Fuzzed HTTP requests (http-fuzz only). */
  readonly requests?: number;
}

/** What a scenario runs with. */
export interface ChaosContext {
  readonly kafka: KafkaClient;
  readonly bootstrapServers: string;
  readonly sizes: ChaosSizes;
  readonly guarantee: 'at_least_once' | 'exactly_once_v2';
  readonly random: Random;
  /** Port of the scenario's own broker (broker-restart only; never the shared broker's). */
  readonly brokerPort: number;
  /** Progress messages (stderr); the summary line is printed by the caller. */
  readonly log: (message: string) => void;
}

/** What a scenario found. `mismatches` counts every oracle disagreement; each is described in `problems`. */
export interface ChaosResult {
  readonly faults: number;
  readonly records: number;
  readonly mismatches: number;
  /** At most a few dozen descriptions of mismatches (the first ones), for the report. */
  readonly problems: readonly string[];
}

/** A chaos scenario: injects faults while an application runs, then checks the result against an oracle. */
export interface ChaosScenario {
  readonly name: string;
  readonly description: string;
  readonly ci: ChaosSizes;
  readonly soak: ChaosSizes;
  /** Default guarantee; `--guarantee` overrides it where the scenario supports both. */
  readonly guarantee: 'at_least_once' | 'exactly_once_v2';
  run(ctx: ChaosContext): Promise<ChaosResult>;
}

/** The summary line every scenario prints: `kill-loop: faults=7 records=12000 mismatches=0`. */
export function summaryLine(name: string, r: ChaosResult): string {
  return `${name}: faults=${r.faults} records=${r.records} mismatches=${r.mismatches}`;
}

/** A result from a list of problems (at most 50 kept; the count is exact). */
export function chaosResult(faults: number, records: number, problems: readonly string[]): ChaosResult {
  // Keep a few of each kind (the first word: output, store, dlq, …) so one flood does not hide another.
  const kept: string[] = [];
  const perKind = new Map<string, number>();
  for (const p of problems) {
    const kind = p.split(' ')[0]!;
    const n = perKind.get(kind) ?? 0;
    perKind.set(kind, n + 1);
    if (n < 10 && kept.length < 50) kept.push(p);
  }
  return { faults, records, mismatches: problems.length, problems: kept };
}

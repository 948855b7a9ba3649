import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyedInput } from '../../../test/fixtures/runtime/count-oracle.ts';
import type { ChaosContext } from '../scenario.ts';
import { startAppProcess, type AppProcess } from './app-process.ts';
import { checkCount } from './count-check.ts';
import { startFeeder, type Feeder } from './feeder.ts';
import { committedSum, createTopics, endOffsetSum, sendRecords, waitUntil } from './kafka-io.ts';

/** The count application of the runtime tests (test/fixtures/runtime/count-app.ts), reused as it is. */
const COUNT_APP = fileURLToPath(new URL('../../../test/fixtures/runtime/count-app.ts', import.meta.url));

/** Options of a count run. */
export interface CountRunOptions {
  /** Bootstrap servers of the app and the feeder (default: the context's). */
  bootstrapServers?: string;
  /** Fixed group.instance.id per slot (like pod names), so a wiped state dir keeps its static member. */
  fixedInstanceIds?: boolean;
}

/**
 * N slots of the count application (one state dir each, child processes), its input fed throughout, and
 * the oracle check at the end: the fixture every count-based chaos scenario shares. A slot holds at most
 * one live process; `start`, `kill`, `stop` act on a slot.
 */
export class CountRun {
  readonly appId: string;
  readonly input: string;
  readonly output: string;
  readonly dirs: string[];
  readonly gen: ReturnType<typeof keyedInput>;
  readonly #ctx: ChaosContext;
  readonly #bootstrap: string;
  readonly #fixedIds: boolean;
  readonly #procs: (AppProcess | undefined)[];
  readonly #all: AppProcess[] = [];
  /** Processes this run killed or stopped; any other exit is the app giving up by itself (a mismatch). */
  readonly #ended = new Set<AppProcess>();
  /** Unclean exits of graceful stops: each is a mismatch (a graceful stop must exit 0). */
  readonly problems: string[] = [];
  #feeder: Feeder | undefined;

  constructor(ctx: ChaosContext, name: string, options: CountRunOptions = {}) {
    this.#ctx = ctx;
    this.#bootstrap = options.bootstrapServers ?? ctx.bootstrapServers;
    this.#fixedIds = options.fixedInstanceIds ?? false;
    const id = `${Date.now().toString(36)}-${ctx.random.int(0, 1e9).toString(36)}`;
    this.appId = `chaos-${name}-${id}`;
    this.input = `chaos-${name}-in-${id}`;
    this.output = `chaos-${name}-out-${id}`;
    this.gen = keyedInput(ctx.sizes.keys);
    this.dirs = Array.from({ length: ctx.sizes.instances }, () =>
      mkdtempSync(join(tmpdir(), `millrace-chaos-${name}-`)),
    );
    this.#procs = this.dirs.map(() => undefined);
  }

  /** Creates the topics and produces a first load (so the first kill lands mid-processing). */
  async setup(initialRecords: number): Promise<void> {
    const kafka = this.#ctx.kafka;
    await createTopics(kafka, [this.input, this.output], this.#ctx.sizes.partitions);
    const producer = kafka.producer();
    try {
      await sendRecords(producer, this.input, this.gen.next(initialRecords));
    } finally {
      await producer.close();
    }
  }

  startFeeder(): Feeder {
    this.#feeder = startFeeder(this.#ctx.kafka, this.input, this.#ctx.sizes.rate, (n) => this.gen.next(n));
    return this.#feeder;
  }

  env(slot: number): Record<string, string> {
    return {
      COUNT_INPUT: this.input,
      COUNT_OUTPUT: this.output,
      MILLRACE_APPLICATION_ID: this.appId,
      MILLRACE_BOOTSTRAP_SERVERS: this.#bootstrap,
      KAFKA_BOOTSTRAP_SERVERS: this.#bootstrap,
      MILLRACE_STATE_DIR: this.dirs[slot]!,
      MILLRACE_PROCESSING_GUARANTEE: this.#ctx.guarantee,
      ...(this.#fixedIds ? { MILLRACE_GROUP_INSTANCE_ID: `${this.appId}-slot${slot}` } : {}),
    };
  }

  live(): number[] {
    return this.#procs.flatMap((p, i) => (p?.alive() ? [i] : []));
  }

  stopped(): number[] {
    return this.#procs.flatMap((p, i) => (p?.alive() ? [] : [i]));
  }

  /** Starts the slot's process and waits until it runs (or `waitMs` passes: it may be mid-rebalance). */
  async start(slot: number, waitMs = 60_000): Promise<AppProcess> {
    if (this.#procs[slot]?.alive()) throw new Error(`slot ${slot} already runs`);
    const p = startAppProcess(`${this.appId}#${slot}`, COUNT_APP, this.env(slot));
    this.#procs[slot] = p;
    this.#all.push(p);
    await Promise.race([p.running, new Promise((r) => setTimeout(r, waitMs))]);
    return p;
  }

  async kill(slot: number): Promise<void> {
    const p = this.#procs[slot];
    if (p) this.#ended.add(p);
    await p?.kill();
  }

  /** Graceful stop; a non-zero exit is recorded as a problem. */
  async stop(slot: number): Promise<void> {
    const p = this.#procs[slot];
    if (!p?.alive()) return;
    this.#ended.add(p);
    const code = await p.stop();
    if (code !== 0)
      this.problems.push(`${p.label}: graceful stop exited with ${code}:\n${p.stderr().slice(-2000)}`);
  }

  /**
   * Ends the run: stops the feeder, makes sure every slot runs, waits until the group committed the whole
   * input, stops every slot gracefully and checks the oracle. Cleans up the state dirs.
   */
  async finish(): Promise<{ records: number; problems: string[] }> {
    const kafka = this.#ctx.kafka;
    try {
      await this.#feeder?.stop();
      for (const p of this.#all)
        if (!p.alive() && !this.#ended.has(p))
          this.problems.push(
            `${p.label} exited by itself (${p.child.exitCode}):\n${p.stderr().slice(-2000)}`,
          );
      for (const slot of this.stopped()) await this.start(slot);
      const end = await endOffsetSum(kafka, this.input);
      if (end !== BigInt(this.gen.total))
        this.problems.push(`input holds ${end} records but ${this.gen.total} were produced`);
      const drained = await waitUntil(
        async () => (await committedSum(kafka, this.appId, this.input)) >= end,
        120_000,
      );
      if (!drained) this.problems.push(`the group did not commit the whole input (${end}) within 120 s`);
      for (const slot of this.live()) await this.stop(slot);
      const check = await checkCount({
        kafka,
        bootstrapServers: this.#bootstrap,
        appId: this.appId,
        output: this.output,
        oracle: this.gen.oracle,
        total: this.gen.total,
        guarantee: this.#ctx.guarantee,
        stateDir: this.dirs[0]!,
        topologyInput: this.input,
      });
      const problems = [...this.problems, ...check];
      if (problems.length > 0) problems.unshift(`logs: ${this.#saveLogs()}`);
      return { records: this.gen.total, problems };
    } finally {
      await this.dispose();
    }
  }

  /** Writes every process's log (stderr) to `<tmp>/millrace-chaos-logs/<app id>/`; returns the folder. */
  #saveLogs(): string {
    const dir = join(tmpdir(), 'millrace-chaos-logs', this.appId);
    mkdirSync(dir, { recursive: true });
    this.#all.forEach((p, i) => writeFileSync(join(dir, `${i}-${p.label.split('#')[1]}.log`), p.stderr()));
    return dir;
  }

  /** Kills whatever still runs and deletes the state dirs. */
  async dispose(): Promise<void> {
    await this.#feeder?.stop().catch(() => undefined);
    await Promise.all(this.#all.map((p) => p.kill()));
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}

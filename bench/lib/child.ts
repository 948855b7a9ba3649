import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { cpuSeconds, peakRssBytes, rssAnonBytes } from './proc-status.ts';

/** How often the anonymous RSS of a child is sampled. */
const ANON_SAMPLE_MS = 200;

/**
 * A contender's child process: its stdout lines are watched for `READY <ms>` and `RESTORED <n> <start ms> <end ms>`,
 * its stderr goes to the harness's stderr with a prefix (errors must be seen, not swallowed).
 */
export class ContenderProcess {
  readonly name: string;
  readonly spawnedAt = performance.now();
  readonly #child: ChildProcess;
  #readyAt: number | undefined;
  #exit: string | undefined;
  readonly #waiters: (() => void)[] = [];
  readonly restored: { records: number; startMs: number; endMs: number }[] = [];
  /** Other processes of this contender it announced (`CHILD <pid>`): their CPU and memory count too. */
  readonly #children: number[] = [];
  readonly exited: Promise<void>;

  readonly #logFile: WriteStream | undefined;
  /** Highest RssAnon seen by the sampler (the kernel keeps no high-water mark of it). */
  #peakAnon: number | undefined;
  readonly #sampler: NodeJS.Timeout;

  /** With `logFile`, the child's stderr goes to that file instead (e.g. Kafka Streams at INFO level). */
  constructor(name: string, command: string, args: readonly string[], cwd: string, logFile?: string) {
    this.name = name;
    this.#child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.#child.stdout! }).on('line', (line) => this.#line(line));
    this.#logFile = logFile ? createWriteStream(logFile) : undefined;
    if (this.#logFile) this.#child.stderr!.pipe(this.#logFile);
    else
      createInterface({ input: this.#child.stderr! }).on('line', (line) =>
        process.stderr.write(`  [${name}] ${line}\n`),
      );
    this.#sampler = setInterval(() => this.#sampleAnon(), ANON_SAMPLE_MS);
    this.#sampler.unref();
    this.exited = new Promise((resolve) =>
      this.#child.on('exit', (code, signal) => {
        clearInterval(this.#sampler);
        this.#exit = `${name} exited (code ${code}, signal ${signal})`;
        this.#wake();
        resolve();
      }),
    );
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /** Why the child is gone, if it is. */
  get exitReason(): string | undefined {
    return this.#exit;
  }

  #line(line: string): void {
    const [word, a, b, c] = line.trim().split(/\s+/);
    if (word === 'READY' && this.#readyAt === undefined) this.#readyAt = performance.now();
    else if (word === 'RESTORED')
      this.restored.push({ records: Number(a), startMs: Number(b), endMs: Number(c) });
    else if (word === 'CHILD') this.#children.push(Number(a));
    else if (word === 'FAILED') this.#exit = `${this.name} failed`;
    else process.stderr.write(`  [${this.name}] ${line}\n`);
    this.#wake();
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Resolves with performance.now() at READY; rejects if the child exits first or the time runs out. */
  async ready(timeoutMs = 300_000): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (this.#readyAt === undefined) {
      if (this.#exit !== undefined) throw new Error(this.#exit);
      if (performance.now() > deadline) throw new Error(`${this.name} not READY within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        this.#waiters.push(r);
        setTimeout(r, 500);
      });
    }
    return this.#readyAt;
  }

  /** Waits until `count` RESTORED lines came. */
  async restoredLines(count: number, timeoutMs = 600_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.restored.length < count) {
      if (this.#exit !== undefined) throw new Error(this.#exit);
      if (performance.now() > deadline)
        throw new Error(`${this.name} did not restore within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        this.#waiters.push(r);
        setTimeout(r, 500);
      });
    }
  }

  /** CPU seconds used so far, all threads of its processes (read it before stop()). */
  cpuSeconds(): number | undefined {
    return this.#sum(cpuSeconds);
  }

  /** Peak RSS so far; with child processes, the sum of each one's peak (read it before stop()). */
  peakRss(): number | undefined {
    return this.#sum(peakRssBytes);
  }

  /** `read` of this process plus each child; undefined when this one cannot be read. */
  #sum(read: (pid: number) => number | undefined): number | undefined {
    const own = read(this.pid);
    if (own === undefined) return undefined;
    let total = own;
    for (const pid of this.#children) total += read(pid) ?? 0;
    return total;
  }

  /** Peak anonymous RSS (of all its processes together) so far, sampled every ANON_SAMPLE_MS. */
  peakAnonRss(): number | undefined {
    this.#sampleAnon();
    return this.#peakAnon;
  }

  #sampleAnon(): void {
    const now = this.#sum(rssAnonBytes);
    if (now !== undefined && (this.#peakAnon === undefined || now > this.#peakAnon)) this.#peakAnon = now;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 40_000): Promise<void> {
    if (this.#exit !== undefined && this.#child.exitCode !== null) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

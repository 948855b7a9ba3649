import { spawn, type ChildProcess } from 'node:child_process';

/**
 * An application running in a child process (this process's Node, which runs .ts by type stripping). The
 * app prints `RUNNING` on stdout each time all its tasks run, and may print other lines (`STATE <to>`).
 * A generalization of test/fixtures/runtime/child-app.ts: any script, every stdout line kept, and the
 * ways a chaos scenario ends a process (SIGKILL, graceful SIGTERM).
 */
export interface AppProcess {
  readonly label: string;
  readonly child: ChildProcess;
  /** Resolves at the first `RUNNING` line; rejects if the process exits before. */
  readonly running: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every stdout line so far. */
  lines(): readonly string[];
  /** The log (stderr) so far. */
  stderr(): string;
  alive(): boolean;
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful shutdown) and wait; resolves with the exit code (0 = clean). */
  stop(timeoutMs?: number): Promise<number | null>;
}

/** Starts `script` with `env` added to this process's environment. */
export function startAppProcess(label: string, script: string, env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const lines: string[] = [];
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    if (process.env.MILLRACE_CHILD_LOG) process.stderr.write(`[${label}] ${d.toString()}`);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let partial = '';
  const running = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      partial += d.toString();
      const parts = partial.split('\n');
      partial = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (line === 'RUNNING') resolve();
      }
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`${label} exited (code ${code}, signal ${signal}) before running:\n${tail(err)}`)),
    );
  });
  running.catch(() => undefined);
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    label,
    child,
    running,
    exited,
    lines: () => lines,
    stderr: () => err,
    alive,
    async kill() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop(timeoutMs = 60_000) {
      if (!alive()) return (await exited).code;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const { code } = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

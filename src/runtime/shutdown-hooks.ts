import type { AppState } from './app-lifecycle.ts';

/** The part of a {@link StreamsApp} the hooks use. */
export interface ShutdownTarget {
  readonly state: AppState;
  readonly config: { readonly 'shutdown.timeout.ms': number };
  close(timeoutMs?: number): Promise<void>;
  onStateChange(listener: (to: AppState, from: AppState) => void): () => void;
}

/** Options of {@link installShutdownHooks}. */
export interface ShutdownHooksOptions {
  /** Signals that start a graceful shutdown (default SIGTERM and SIGINT). */
  signals?: readonly NodeJS.Signals[];
  /** Ends the process (default `process.exit`); tests pass a spy. */
  exit?: (code: number) => void;
  /** Where the hooks say what they do (default stderr). */
  log?: (message: string) => void;
  /** Also exit (code 1) when the application stops on an error by itself. Default true. */
  exitOnError?: boolean;
  /** The process the signal handlers are installed on (default `process`). */
  process?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/**
 * Exit codes: 0 after a graceful shutdown; 1 when the application failed, or its shutdown did not finish
 * within `shutdown.timeout.ms` (plus a second for the Kafka clients to close); 130 on a second signal
 * (the operator insists: exit at once, the next start resumes from the last commit).
 */
export const SHUTDOWN_EXIT_CODES = { clean: 0, failed: 1, forced: 130 } as const;

/**
 * Makes SIGTERM/SIGINT shut the application down gracefully — finish the in-flight batch, commit, close
 * the tasks, leave the group — then exit the process with 0; a second signal exits at once. Under
 * exactly_once_v2 nothing is reprocessed after such a stop, because the last transaction committed.
 * Returns a function that removes the hooks.
 *
 * @example
 * ```ts
 * const app = createStreamsApp(topology, config);
 * installShutdownHooks(app);
 * await app.start();
 * ```
 */
export function installShutdownHooks(app: ShutdownTarget, options: ShutdownHooksOptions = {}): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.log ?? ((m: string) => console.error(m));
  const proc = options.process ?? process;
  let shuttingDown = false;
  let exited = false;
  const end = (code: number) => {
    if (exited) return;
    exited = true;
    remove();
    exit(code);
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      log(`${signal} again: exiting without waiting for the shutdown to finish`);
      end(SHUTDOWN_EXIT_CODES.forced);
      return;
    }
    shuttingDown = true;
    const timeoutMs = app.config['shutdown.timeout.ms'];
    log(`${signal}: shutting down gracefully (at most ${timeoutMs} ms)`);
    // close() gives up waiting on the thread after timeoutMs and still closes the clients; the watchdog only
    // fires if even that hangs.
    const watchdog = setTimeout(() => {
      log(
        `shutdown did not finish within ${timeoutMs} ms: exiting; the next start resumes from the last commit`,
      );
      end(SHUTDOWN_EXIT_CODES.failed);
    }, timeoutMs + 1000);
    watchdog.unref();
    const started = Date.now();
    app.close(timeoutMs).then(
      () => {
        clearTimeout(watchdog);
        // close() resolves after timeoutMs even when the thread did not stop: that is not a clean stop.
        const timedOut = Date.now() - started >= timeoutMs;
        end(app.state === 'ERROR' || timedOut ? SHUTDOWN_EXIT_CODES.failed : SHUTDOWN_EXIT_CODES.clean);
      },
      (err: unknown) => {
        clearTimeout(watchdog);
        log(`shutdown failed: ${(err as Error)?.message ?? String(err)}`);
        end(SHUTDOWN_EXIT_CODES.failed);
      },
    );
  };

  const offState =
    options.exitOnError === false
      ? () => undefined
      : app.onStateChange((to) => {
          if (to === 'ERROR' && !shuttingDown) {
            log('the application failed: exiting');
            end(SHUTDOWN_EXIT_CODES.failed);
          }
        });
  for (const s of signals) proc.on(s, onSignal);
  function remove(): void {
    offState();
    for (const s of signals) proc.off(s, onSignal);
  }
  return remove;
}

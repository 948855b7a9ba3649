import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { AppState } from '../../../src/runtime/app-lifecycle.ts';
import { installShutdownHooks, type ShutdownTarget } from '../../../src/runtime/shutdown-hooks.ts';

function fakeApp(closeMs = 0) {
  const listeners = new Set<(to: AppState, from: AppState) => void>();
  let closes = 0;
  const app: ShutdownTarget & { set(s: AppState): void; readonly closes: number } = {
    state: 'RUNNING' as AppState,
    config: { 'shutdown.timeout.ms': 5_000 },
    get closes() {
      return closes;
    },
    close() {
      closes++;
      return new Promise<void>((r) =>
        setTimeout(() => {
          app.set('NOT_RUNNING');
          r();
        }, closeMs),
      );
    },
    onStateChange(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    set(s) {
      const from = app.state;
      (app as { state: AppState }).state = s;
      for (const l of listeners) l(s, from);
    },
  };
  return app;
}

function harness(app: ShutdownTarget) {
  const proc = new EventEmitter();
  const codes: number[] = [];
  const logs: string[] = [];
  const remove = installShutdownHooks(app, {
    exit: (c) => codes.push(c),
    log: (m) => logs.push(m),
    process: proc as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
  });
  return { proc, codes, logs, remove };
}

describe('installShutdownHooks', () => {
  it('closes the app on SIGTERM and exits 0 once it is closed', async () => {
    const app = fakeApp(20);
    const h = harness(app);
    h.proc.emit('SIGTERM', 'SIGTERM');
    expect(app.closes).toBe(1);
    expect(h.codes).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.codes).toEqual([0]);
    expect(h.proc.listenerCount('SIGTERM')).toBe(0);
  });

  it('exits 130 at once on a second signal', () => {
    const app = fakeApp(10_000);
    const h = harness(app);
    h.proc.emit('SIGINT', 'SIGINT');
    h.proc.emit('SIGTERM', 'SIGTERM');
    expect(h.codes).toEqual([130]);
    expect(app.closes).toBe(1);
  });

  it('exits 1 when the application fails by itself', () => {
    const app = fakeApp();
    const h = harness(app);
    app.set('PENDING_ERROR');
    app.set('ERROR');
    expect(h.codes).toEqual([1]);
  });

  it('does nothing once removed', () => {
    const app = fakeApp();
    const h = harness(app);
    h.remove();
    h.proc.emit('SIGTERM', 'SIGTERM');
    app.set('ERROR');
    expect(app.closes).toBe(0);
    expect(h.codes).toEqual([]);
  });
});

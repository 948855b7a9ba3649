import { MillraceError } from '../errors/index.ts';

/**
 * The lifecycle of a Millrace application instance (Kafka Streams' `KafkaStreams.State`):
 *
 * ```
 * CREATED ──► REBALANCING ◄──► RUNNING
 *    │             │              │
 *    └─────────────┴──────────────┴──► PENDING_SHUTDOWN ──► NOT_RUNNING
 *                  └──────────────┴──► PENDING_ERROR ──► ERROR
 * ```
 *
 * REBALANCING covers joining the group and restoring; RUNNING means every assigned task is running.
 */
export type AppState =
  'CREATED' | 'REBALANCING' | 'RUNNING' | 'PENDING_SHUTDOWN' | 'NOT_RUNNING' | 'PENDING_ERROR' | 'ERROR';

const LEGAL: Readonly<Record<AppState, readonly AppState[]>> = {
  CREATED: ['REBALANCING', 'PENDING_SHUTDOWN', 'PENDING_ERROR'],
  REBALANCING: ['RUNNING', 'REBALANCING', 'PENDING_SHUTDOWN', 'PENDING_ERROR'],
  RUNNING: ['REBALANCING', 'PENDING_SHUTDOWN', 'PENDING_ERROR'],
  PENDING_SHUTDOWN: ['NOT_RUNNING'],
  NOT_RUNNING: [],
  PENDING_ERROR: ['ERROR'],
  ERROR: [],
};

/** Holds the application's state, refuses illegal transitions and tells listeners of each change. */
export class AppLifecycle {
  #state: AppState = 'CREATED';
  readonly #listeners = new Set<(to: AppState, from: AppState) => void>();

  get state(): AppState {
    return this.#state;
  }

  onChange(listener: (to: AppState, from: AppState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Moves to `to`; moving to the current state is a no-op. */
  transitionTo(to: AppState): void {
    const from = this.#state;
    if (from === to) return;
    if (!LEGAL[from].includes(to)) {
      throw new MillraceError('MR_APP_ILLEGAL_STATE', `the application cannot go from ${from} to ${to}`);
    }
    this.#state = to;
    for (const l of this.#listeners) l(to, from);
  }
}

import { MillraceError } from '../errors/index.ts';

/**
 * The lifecycle of a stream task (Kafka Streams' `Task.State`):
 *
 * ```
 * CREATED ──► RESTORING ──► RUNNING ──► SUSPENDED ──► CLOSED
 *    │            │  ▲          │           │
 *    │            │  └──────────┼───────────┘ (re-assigned before close: resume, restore the gap)
 *    └────────────┴─────────────┴──────────────────► CLOSED (revoked or shut down)
 * ```
 *
 * RESTORING: the task's stores are caught up from their changelogs; its input partitions are paused.
 * RUNNING: records are processed. SUSPENDED: flushed and committed, waiting to be closed or resumed.
 */
export type TaskLifecycleState = 'CREATED' | 'RESTORING' | 'RUNNING' | 'SUSPENDED' | 'CLOSED';

const LEGAL: Readonly<Record<TaskLifecycleState, readonly TaskLifecycleState[]>> = {
  CREATED: ['RESTORING', 'CLOSED'],
  RESTORING: ['RUNNING', 'SUSPENDED', 'CLOSED'],
  RUNNING: ['SUSPENDED', 'CLOSED'],
  SUSPENDED: ['RESTORING', 'CLOSED'],
  CLOSED: [],
};

/** Whether a task may move from `from` to `to`. */
export function isLegalTaskTransition(from: TaskLifecycleState, to: TaskLifecycleState): boolean {
  return LEGAL[from].includes(to);
}

/** Holds a task's state and refuses illegal transitions (a bug, never a user error). */
export class TaskLifecycle {
  #state: TaskLifecycleState = 'CREATED';
  readonly taskId: string;
  readonly #onChange: ((from: TaskLifecycleState, to: TaskLifecycleState) => void) | undefined;

  constructor(taskId: string, onChange?: (from: TaskLifecycleState, to: TaskLifecycleState) => void) {
    this.taskId = taskId;
    this.#onChange = onChange;
  }

  get state(): TaskLifecycleState {
    return this.#state;
  }

  transitionTo(to: TaskLifecycleState): void {
    const from = this.#state;
    if (!isLegalTaskTransition(from, to)) {
      throw new MillraceError(
        'MR_TASK_ILLEGAL_STATE',
        `task ${this.taskId} cannot go from ${from} to ${to}`,
        {
          taskId: this.taskId,
        },
      );
    }
    this.#state = to;
    this.#onChange?.(from, to);
  }
}

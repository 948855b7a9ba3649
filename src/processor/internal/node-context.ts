import type { StateStore } from '../../../state/types.ts';
import { MillraceError } from '../../errors/index.ts';
import type { ProcessorContext } from '../processor-context.ts';
import type { Cancellable, PunctuationType, Punctuator } from '../punctuation.ts';
import type { RecordMetadata, StreamRecord } from '../record.ts';
import type { RuntimeNode, TaskExecutor } from './task-executor.ts';
import { isPromise } from './sequence.ts';

/** The context of one processor node in one task. */
export class NodeContext implements ProcessorContext<unknown, unknown> {
  readonly #task: TaskExecutor;
  readonly #node: RuntimeNode;
  readonly #stores: readonly string[];

  constructor(task: TaskExecutor, node: RuntimeNode) {
    this.#task = task;
    this.#node = node;
    this.#stores = node.spec.kind === 'processor' ? node.spec.stores : [];
  }

  get applicationId(): string {
    return this.#task.applicationId;
  }

  get taskId(): string {
    return this.#task.id;
  }

  forward(record: StreamRecord<unknown, unknown>, childName?: string): void | Promise<void> {
    let targets = this.#node.children;
    if (childName !== undefined) {
      const child = targets.find((c) => c.spec.name === childName);
      if (child === undefined) {
        throw new MillraceError(
          'MR_TOPOLOGY_INVALID',
          `processor "${this.#node.spec.name}" forwarded to "${childName}", which is not one of its children (${targets.map((c) => c.spec.name).join(', ') || 'none'}): use a child's name`,
        );
      }
      targets = [child];
    }
    const result = this.#task.forwardTo(targets, record);
    if (isPromise(result)) this.#task.track(result);
    return result;
  }

  getStateStore<S extends StateStore>(name: string): S {
    return this.#task.storeFor(this.#node.spec.name, this.#stores, name) as S;
  }

  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable {
    return this.#task.schedule(this.#node.spec.name, intervalMs, type, punctuator);
  }

  recordMetadata(): RecordMetadata | undefined {
    return this.#task.recordMetadata();
  }

  currentStreamTimeMs(): number {
    return this.#task.streamTimeMs();
  }

  recordDropped(): void {
    this.#task.recordDropped(this.#node.spec.name);
  }

  currentSystemTimeMs(): number {
    return this.#task.clock();
  }
}

import type { ProcessorContext } from './processor-context.ts';
import type { StreamRecord } from './record.ts';

/**
 * A node of a topology (Kafka Streams' `api.Processor`). `process` may return a promise: the task awaits
 * it (and only then) before the next record, so synchronous processors pay nothing for async support.
 *
 * @example
 * ```ts
 * const upper: ProcessorSupplier<string, string, string, string> = () => {
 *   let ctx!: ProcessorContext<string, string>;
 *   return {
 *     init: (c) => { ctx = c; },
 *     process: (r) => ctx.forward({ ...r, value: r.value.toUpperCase() }),
 *   };
 * };
 * ```
 */
export interface Processor<KIn, VIn, KOut = never, VOut = never> {
  init?(context: ProcessorContext<KOut, VOut>): void;
  process(record: StreamRecord<KIn, VIn>): void | Promise<void>;
  close?(): void;
}

/** Makes a new processor for each task (processors keep per-task state, so never share one instance). */
export type ProcessorSupplier<KIn, VIn, KOut = never, VOut = never> = () => Processor<KIn, VIn, KOut, VOut>;

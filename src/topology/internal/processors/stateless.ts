import type { ProcessorContext } from '../../../processor/processor-context.ts';
import type { ProcessorSupplier } from '../../../processor/processor.ts';
import type { StreamRecord } from '../../../processor/record.ts';
import { sequence } from '../../../processor/internal/sequence.ts';

type R = StreamRecord<unknown, unknown>;
type AnySupplier = ProcessorSupplier<unknown, unknown, unknown, unknown>;

/**
 * A processor that turns each record into zero, one or many records and forwards them in order. Every
 * stateless DSL operation (filter, map, mapValues, flatMap, selectKey, peek, pass-through) is one of these.
 */
export function statelessSupplier(transform: (record: R) => R | readonly R[] | undefined): AnySupplier {
  return () => {
    let context: ProcessorContext<unknown, unknown>;
    return {
      init(c) {
        context = c;
      },
      process(record) {
        const out = transform(record);
        if (out === undefined) return undefined;
        if (Array.isArray(out)) return sequence(out as readonly R[], (r) => context.forward(r));
        return context.forward(out as R);
      },
    };
  };
}

/** Forwards every record unchanged (merge, repartition filter, branch children). */
export const passThrough: AnySupplier = statelessSupplier((r) => r);

/**
 * Forwards each record to the first branch whose predicate matches, else to the default branch if any
 * (Kafka Streams' `KStreamBranch`).
 */
export function branchSupplier(
  predicates: readonly ((key: unknown, value: unknown) => boolean)[],
  children: readonly string[],
  defaultChild: () => string | undefined,
): AnySupplier {
  return () => {
    let context: ProcessorContext<unknown, unknown>;
    return {
      init(c) {
        context = c;
      },
      process(record) {
        for (let i = 0; i < predicates.length; i++) {
          if (predicates[i]?.(record.key, record.value)) return context.forward(record, children[i]);
        }
        const d = defaultChild();
        return d === undefined ? undefined : context.forward(record, d);
      },
    };
  };
}

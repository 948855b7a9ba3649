import type { KStream } from './kstream.ts';

/** One branch of a split. */
export interface Branched<K, V> {
  /** Suffix of the branch name (the split's name + this); default the branch's 1-based index. */
  name?: string;
  /** Applied to the branch stream; its result (if any) is what the returned map holds. */
  chain?: (stream: KStream<K, V>) => KStream<K, V> | void;
}

/**
 * The result of `KStream.split()` (Kafka Streams' `BranchedKStream`). Each record goes to the first branch
 * whose predicate matches, else to the default branch (or nowhere).
 *
 * @example
 * ```ts
 * const branches = orders.split({ name: 'orders-' })
 *   .branch((_, o) => o.urgent, { name: 'urgent' })
 *   .defaultBranch({ name: 'normal' });
 * branches.get('orders-urgent')!.to('urgent-orders');
 * ```
 */
export interface BranchedStream<K, V> {
  branch(predicate: (key: K, value: V) => boolean, branched?: Branched<K, V>): BranchedStream<K, V>;
  /** Ends the split with a default branch (named `<split>0` unless named). */
  defaultBranch(branched?: Branched<K, V>): Map<string, KStream<K, V>>;
  /** Ends the split without a default branch: unmatched records are dropped. */
  noDefaultBranch(): Map<string, KStream<K, V>>;
}

import type { Branched, BranchedStream } from '../branched-stream.ts';
import type { KStream } from '../kstream.ts';
import type { KStreamImpl } from './kstream-impl.ts';
import { branchSupplier, passThrough } from './processors/stateless.ts';

/** The implementation of {@link BranchedStream} (Kafka Streams' `BranchedKStreamImpl`). */
export class BranchedStreamImpl<K, V> implements BranchedStream<K, V> {
  readonly #parent: KStreamImpl<K, V>;
  readonly #splitName: string;
  readonly #predicates: ((key: unknown, value: unknown) => boolean)[] = [];
  readonly #children: string[] = [];
  readonly #result = new Map<string, KStream<K, V>>();
  #defaultChild: string | undefined;

  constructor(parent: KStreamImpl<K, V>, splitName: string) {
    this.#parent = parent;
    this.#splitName = splitName;
    // The splitter reads the arrays as branches are added (they are complete before the topology runs).
    parent.b.addProcessor(
      splitName,
      [parent.name],
      branchSupplier(this.#predicates, this.#children, () => this.#defaultChild),
    );
  }

  branch(predicate: (key: K, value: V) => boolean, branched?: Branched<K, V>): BranchedStream<K, V> {
    const child = this.#addBranch(branched, String(this.#predicates.length + 1));
    this.#predicates.push(predicate as (key: unknown, value: unknown) => boolean);
    this.#children.push(child);
    return this;
  }

  defaultBranch(branched?: Branched<K, V>): Map<string, KStream<K, V>> {
    this.#defaultChild = this.#addBranch(branched, '0');
    return this.#result;
  }

  noDefaultBranch(): Map<string, KStream<K, V>> {
    return this.#result;
  }

  #addBranch(branched: Branched<K, V> | undefined, index: string): string {
    const p = this.#parent;
    const name = this.#splitName + (branched?.name ?? index);
    p.b.addProcessor(name, [this.#splitName], passThrough);
    const stream = new (p.constructor as typeof KStreamImpl)<K, V>(
      p.b,
      name,
      p.keySerde,
      p.valueSerde,
      p.repartitionRequired,
    );
    const out = branched?.chain === undefined ? stream : branched.chain(stream);
    if (out !== undefined) this.#result.set(name, out);
    return name;
  }
}

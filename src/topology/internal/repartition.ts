import type { Serde } from '../../serdes/serde.ts';
import type { InternalBuilder } from './internal-builder.ts';
import { passThrough } from './processors/stateless.ts';
import type { GroupedSource } from './windowed-kstream-impl.ts';

const REPARTITION_SUFFIX = '-repartition';
const GENERATED = /^KSTREAM.*-[0-9]{10}$/;

/**
 * Inserts sink → `<prefix>-repartition` → source after `parent` (Kafka Streams'
 * `KStreamImpl.createRepartitionedSource`): it burns three generated names for compatibility and uses
 * them when the prefix is generated, else names the nodes `<topic>-sink`, `<topic>-filter`, `<topic>-source`.
 * Returns the new source's name.
 */
export function createRepartitionedSource(
  b: InternalBuilder,
  parent: string,
  prefix: string,
  keySerde: Serde<unknown>,
  valueSerde: Serde<unknown>,
  partitions?: number,
): string {
  const topic = prefix.endsWith(REPARTITION_SUFFIX) ? prefix : prefix + REPARTITION_SUFFIX;
  const genSink = b.newName('KSTREAM-SINK-');
  const genFilter = b.newName('KSTREAM-FILTER-');
  const genSource = b.newName('KSTREAM-SOURCE-');
  const generated = GENERATED.test(prefix);
  const sink = generated ? genSink : `${topic}-sink`;
  const filter = generated ? genFilter : `${topic}-filter`;
  const source = generated ? genSource : `${topic}-source`;
  b.addRepartitionTopic(topic, partitions);
  b.addProcessor(filter, [parent], passThrough);
  b.addSink(sink, filter, topic, keySerde, valueSerde);
  b.addSource(source, [topic], keySerde, valueSerde);
  return source;
}

/**
 * The node a grouped stream's aggregation reads from: the grouped stream itself, or, after a key change,
 * a new repartition topic's source named after the grouping (or else after the aggregation's store).
 */
export function groupedParent(
  g: GroupedSource,
  storeName: string,
  keySerde: Serde<unknown>,
  valueSerde: Serde<unknown>,
): string {
  if (!g.repartitionRequired) return g.parent;
  return createRepartitionedSource(g.b, g.parent, g.groupedName ?? storeName, keySerde, valueSerde);
}

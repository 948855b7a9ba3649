package dev.millrace.bench;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * A string→string RocksDB store fed by an (empty) input topic: started on a pre-filled changelog
 * ({@code <appId>-<store>-changelog}), it restores the store and reports RESTORED.
 */
final class RestoreTopology {
  static Topology build(String input, String store) {
    Topology t = new Topology();
    t.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), input);
    t.addProcessor("put", () -> new Processor<String, String, Void, Void>() {
      private KeyValueStore<String, String> kv;

      @Override
      public void init(ProcessorContext<Void, Void> context) {
        kv = context.getStateStore(store);
      }

      @Override
      public void process(Record<String, String> r) {
        kv.put(r.key(), r.value());
      }
    }, "in");
    t.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.String()),
        "put");
    return t;
  }

  private RestoreTopology() {}
}

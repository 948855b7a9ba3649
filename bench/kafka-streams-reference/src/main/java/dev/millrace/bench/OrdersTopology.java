package dev.millrace.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.WindowedSerdes;

/**
 * Windowed order analytics: per tenant (the record key), a 1-minute tumbling window (10 s grace) holding
 * the order count and the revenue in cents, aggregated with the DSL (`windowedBy(...).aggregate`, RocksDB
 * window store, the DSL's default record cache), emitted on update to the output topic.
 * The aggregate is the JSON text {"count":n,"revenueCents":m}.
 */
final class OrdersTopology {
  static Topology build(String input, String output) {
    StreamsBuilder b = new StreamsBuilder();
    b.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(10)))
        .aggregate(
            () -> "{\"count\":0,\"revenueCents\":0}",
            (tenant, order, agg) -> {
              JsonNode o = Json.parse(order);
              JsonNode a = Json.parse(agg);
              return "{\"count\":" + (a.get("count").asLong() + 1) + ",\"revenueCents\":"
                  + (a.get("revenueCents").asLong() + o.get("amountCents").asLong()) + "}";
            },
            Materialized.with(Serdes.String(), Serdes.String()))
        .toStream()
        .to(output, Produced.with(WindowedSerdes.timeWindowedSerdeFrom(String.class, 60_000L), Serdes.String()));
    return b.build();
  }

  private OrdersTopology() {}
}

package dev.millrace.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.sf.geographiclib.Geodesic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Location → connections, the Processor API equivalent of topology/person-connections.yaml (locations
 * only): the indexer keeps each locationId's current version and sends it to every grid cell near it
 * (retracting the old version when it moved), through the repartition topic {@code cells} keyed by cell;
 * the matcher keeps each cell's locations and adds/retracts pairs within 50 m (geodesic, WGS84) in
 * {@code person-connections}, both directions, each pair only in the home cell of its smaller locationId.
 */
final class ConnectionsTopology {
  static final double MAX_DISTANCE_M = 50;
  static final Geodesic WGS84 = Geodesic.WGS84;

  static Topology build(String input, String cellsTopic) {
    Topology t = new Topology();
    t.addSource("locations", Serdes.String().deserializer(), Serdes.String().deserializer(), input);
    t.addProcessor("location-indexer", Indexer::new, "locations");
    t.addStateStore(store("location-index"), "location-indexer");
    t.addSink("to-cells", cellsTopic, Serdes.String().serializer(), Serdes.String().serializer(), "location-indexer");
    t.addSource("cells", Serdes.String().deserializer(), Serdes.String().deserializer(), cellsTopic);
    t.addProcessor("connection-matcher", Matcher::new, "cells");
    t.addStateStore(store("cell-locations"), "connection-matcher");
    t.addStateStore(store("person-connections"), "connection-matcher");
    return t;
  }

  private static org.apache.kafka.streams.state.StoreBuilder<KeyValueStore<String, String>> store(String name) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String());
  }

  static final class Indexer implements Processor<String, String, String, String> {
    private final GeoGrid grid = new GeoGrid(MAX_DISTANCE_M, 2 * MAX_DISTANCE_M);
    private ProcessorContext<String, String> ctx;
    private KeyValueStore<String, String> index;

    @Override
    public void init(ProcessorContext<String, String> context) {
      ctx = context;
      index = context.getStateStore("location-index");
    }

    @Override
    public void process(Record<String, String> record) {
      JsonNode e = Json.parse(record.value());
      long locationId = e.get("locationId").asLong();
      long personId = e.get("personId").asLong();
      double lat = e.get("latitude").asDouble();
      double lon = e.get("longitude").asDouble();
      Instant created = Instant.parse(e.get("creationTime").asText());
      String creationNanos = Long.toString(created.getEpochSecond() * 1_000_000_000L + created.getNano());
      String id = Long.toString(locationId);
      String oldText = index.get(id);
      ObjectNode old = oldText == null ? null : (ObjectNode) Json.parse(oldText);
      if (old != null && old.get("personId").asLong() == personId && old.get("latitude").asDouble() == lat
          && old.get("longitude").asDouble() == lon && old.get("creationNanos").asText().equals(creationNanos))
        return;
      ObjectNode loc = JsonNodeFactory.instance.objectNode();
      loc.put("locationId", locationId);
      loc.put("personId", personId);
      loc.put("latitude", lat);
      loc.put("longitude", lon);
      loc.put("creationNanos", creationNanos);
      loc.put("v", ctx.recordMetadata().map(m -> m.offset()).orElse(0L));
      loc.put("home", grid.homeCell(lat, lon));
      index.put(id, Json.write(loc));
      if (old != null) send("remove", old, record.timestamp());
      send("add", loc, record.timestamp());
    }

    private void send(String op, ObjectNode loc, long ts) {
      ObjectNode msg = JsonNodeFactory.instance.objectNode();
      msg.put("op", op);
      msg.set("loc", loc);
      String text = Json.write(msg);
      for (String cell : grid.cellsNear(loc.get("latitude").asDouble(), loc.get("longitude").asDouble()))
        ctx.forward(new Record<>(cell, text, ts));
    }
  }

  static final class Matcher implements Processor<String, String, Void, Void> {
    private KeyValueStore<String, String> cells;
    private KeyValueStore<String, String> connections;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      cells = context.getStateStore("cell-locations");
      connections = context.getStateStore("person-connections");
    }

    @Override
    public void process(Record<String, String> record) {
      String cell = record.key();
      JsonNode msg = Json.parse(record.value());
      JsonNode loc = msg.get("loc");
      String slot = cell + "|" + loc.get("locationId").asLong();
      String presentText = cells.get(slot);
      JsonNode present = presentText == null ? null : Json.parse(presentText);
      if (msg.get("op").asText().equals("remove")) {
        if (present == null || present.get("v").asLong() != loc.get("v").asLong()) return;
        cells.delete(slot);
        for (String[] pair : pairs(cell, loc)) connections.delete(pair[0]);
        return;
      }
      if (present != null) {
        if (present.get("v").asLong() == loc.get("v").asLong()) return;
        cells.delete(slot);
        for (String[] pair : pairs(cell, present)) connections.delete(pair[0]);
      }
      for (String[] pair : pairs(cell, loc)) connections.put(pair[0], pair[1]);
      cells.put(slot, Json.write(loc));
    }

    /** Both directions of every pair of loc this cell reports: [key, entry JSON]. */
    private List<String[]> pairs(String cell, JsonNode loc) {
      List<String[]> out = new ArrayList<>();
      long id = loc.get("locationId").asLong();
      long person = loc.get("personId").asLong();
      double lat = loc.get("latitude").asDouble();
      double lon = loc.get("longitude").asDouble();
      try (KeyValueIterator<String, String> it = cells.prefixScan(cell + "|", new StringSerializer())) {
        while (it.hasNext()) {
          KeyValue<String, String> kv = it.next();
          JsonNode other = Json.parse(kv.value);
          long otherId = other.get("locationId").asLong();
          if (otherId == id || other.get("personId").asLong() == person) continue;
          JsonNode ref = otherId < id ? other : loc;
          if (!ref.get("home").asText().equals(cell)) continue;
          double oLat = other.get("latitude").asDouble();
          double oLon = other.get("longitude").asDouble();
          double there = WGS84.Inverse(lat, lon, oLat, oLon).s12;
          double back = WGS84.Inverse(oLat, oLon, lat, lon).s12;
          if (Math.min(there, back) > MAX_DISTANCE_M) continue;
          out.add(new String[] {key(loc, other), entry(loc, other, there)});
          out.add(new String[] {key(other, loc), entry(other, loc, back)});
        }
      }
      return out;
    }

    private static String key(JsonNode own, JsonNode other) {
      return own.get("personId").asLong() + "|" + own.get("locationId").asLong() + "|"
          + other.get("locationId").asLong() + "|" + own.get("v").asLong() + "|" + other.get("v").asLong();
    }

    private static String entry(JsonNode own, JsonNode other, double distance) {
      ObjectNode e = JsonNodeFactory.instance.objectNode();
      e.set("own", own);
      e.set("other", other);
      e.put("distance", distance);
      return Json.write(e);
    }
  }

  private ConnectionsTopology() {}
}

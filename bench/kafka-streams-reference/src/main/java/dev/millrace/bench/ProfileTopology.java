package dev.millrace.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Patient-profile KTable upsert, the Processor API equivalent of topology/patient-profiles.yaml: eventId
 * dedupe, then per-field last-writer-wins on updatedAt at nanosecond precision (ties: the later offset),
 * deletes clear fields written at or before their time, and the merged profile is forwarded when it
 * visibly changed. Stores hold JSON strings in RocksDB (default persistent store, change-logged).
 */
final class ProfileTopology {
  static Topology build(String input, String output) {
    Topology t = new Topology();
    t.addSource("updates", Serdes.String().deserializer(), Serdes.String().deserializer(), input);
    t.addProcessor("patient-profile-merge", Merge::new, "updates");
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore("patient-profiles"), Serdes.String(), Serdes.String()),
        "patient-profile-merge");
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore("patient-profile-event-ids"), Serdes.String(), Serdes.Integer()),
        "patient-profile-merge");
    t.addSink("current", output, Serdes.String().serializer(), Serdes.String().serializer(), "patient-profile-merge");
    return t;
  }

  static final class Merge implements Processor<String, String, String, String> {
    private ProcessorContext<String, String> ctx;
    private KeyValueStore<String, String> profiles;
    private KeyValueStore<String, Integer> seen;

    @Override
    public void init(ProcessorContext<String, String> context) {
      ctx = context;
      profiles = context.getStateStore("patient-profiles");
      seen = context.getStateStore("patient-profile-event-ids");
    }

    @Override
    public void process(Record<String, String> record) {
      if (record.value() == null) return;
      JsonNode event = Json.parse(record.value());
      String patientId = event.get("patientId").asText();
      JsonNode eventId = event.get("eventId");
      if (eventId != null && !eventId.isNull()) {
        String seenKey = Json.write(new String[] {patientId, eventId.asText()});
        if (seen.get(seenKey) != null) return;
        seen.put(seenKey, 1);
      }
      long updatedAt = epochNanos(event.get("updatedAt").asText());
      long offset = ctx.recordMetadata().map(m -> m.offset()).orElse(0L);
      String storedText = profiles.get(patientId);
      ObjectNode stored = storedText == null ? null : (ObjectNode) Json.parse(storedText);
      boolean delete = event.path("deleted").asBoolean(false);
      ObjectNode next = apply(stored, event, delete, updatedAt, offset);
      if (next == null) return;
      profiles.put(patientId, Json.write(next));
      if (sameVisible(stored, next)) return;
      ctx.forward(new Record<>(patientId, render(patientId, next), record.timestamp()));
    }

    /**
     * True when render() of both would be equal, found without rendering (as Millrace's
     * sameVisibleProfile): both invisible, or the same visible fields and values and the same newest time.
     */
    private static boolean sameVisible(ObjectNode a, ObjectNode b) {
      long[] sa = summary(a);
      long[] sb = summary(b);
      if (sa == null || sb == null) return sa == sb;
      if (sa[0] != sb[0] || sa[1] != sb[1]) return false;
      Iterator<Map.Entry<String, JsonNode>> it = b.get("fields").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode vb = e.getValue().get("v");
        if (vb.isNull()) continue;
        JsonNode fa = a.get("fields").get(e.getKey());
        if (fa == null || fa.get("v").isNull() || !fa.get("v").equals(vb)) return false;
      }
      return true;
    }

    /** {visible field count, newest field time}, or null when nothing is visible. */
    private static long[] summary(ObjectNode p) {
      if (p == null) return null;
      long visible = 0;
      long newest = -1;
      Iterator<JsonNode> it = p.get("fields").elements();
      while (it.hasNext()) {
        JsonNode f = it.next();
        newest = Math.max(newest, f.get("t").asLong());
        if (!f.get("v").isNull()) visible++;
      }
      return visible == 0 ? null : new long[] {visible, newest};
    }

    /** The new stored state, or null when nothing changed. */
    private static ObjectNode apply(ObjectNode stored, JsonNode event, boolean delete, long at, long offset) {
      long deletedAt = stored != null && stored.has("deletedAt") ? stored.get("deletedAt").asLong() : Long.MIN_VALUE;
      ObjectNode storedFields = stored == null ? null : (ObjectNode) stored.get("fields");
      if (delete) {
        if (deletedAt >= at) return null;
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("deletedAt", Long.toString(at));
        ObjectNode fields = n.putObject("fields");
        if (storedFields != null)
          storedFields.fields().forEachRemaining(e -> {
            if (e.getValue().get("t").asLong() > at) fields.set(e.getKey(), e.getValue());
          });
        return n;
      }
      if (at <= deletedAt) return null;
      ObjectNode next = null;
      for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String name = e.getKey();
        if (name.equals("patientId") || name.equals("updatedAt") || name.equals("eventId") || name.equals("deleted"))
          continue;
        JsonNode current = storedFields == null ? null : storedFields.get(name);
        if (current != null) {
          long t = current.get("t").asLong();
          if (at < t || (at == t && offset <= current.get("o").asLong())) continue;
        }
        if (next == null) {
          next = stored == null ? JsonNodeFactory.instance.objectNode() : stored.deepCopy();
          if (!next.has("fields")) next.putObject("fields");
        }
        ObjectNode f = ((ObjectNode) next.get("fields")).putObject(name);
        f.set("v", e.getValue());
        f.put("t", Long.toString(at));
        f.put("o", offset);
      }
      return next;
    }

    /** The visible profile as JSON, or null when unknown, deleted or every field is cleared. */
    private static String render(String patientId, ObjectNode stored) {
      if (stored == null) return null;
      TreeMap<String, JsonNode> fields = new TreeMap<>();
      stored.get("fields").fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
      if (fields.values().stream().allMatch(f -> f.get("v").isNull())) return null;
      long newest = -1;
      ObjectNode view = JsonNodeFactory.instance.objectNode();
      view.put("patientId", patientId);
      view.put("updatedAt", "");
      for (Map.Entry<String, JsonNode> e : fields.entrySet()) {
        newest = Math.max(newest, e.getValue().get("t").asLong());
        if (!e.getValue().get("v").isNull()) view.set(e.getKey(), e.getValue().get("v"));
      }
      view.put("updatedAt", DateTimeFormatter.ISO_INSTANT.format(
          Instant.ofEpochSecond(Math.floorDiv(newest, 1_000_000_000L), Math.floorMod(newest, 1_000_000_000L))));
      return Json.write(view);
    }

    static long epochNanos(String rfc3339) {
      OffsetDateTime t = OffsetDateTime.parse(rfc3339);
      Instant i = t.toInstant();
      return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
  }

  static {
    ZoneOffset.UTC.getId(); // keep java.time loaded before the first record
  }

  private ProfileTopology() {}
}

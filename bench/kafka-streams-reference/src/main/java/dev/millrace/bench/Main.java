package dev.millrace.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Runs one Kafka Streams reference topology of the Millrace benchmark until SIGTERM.
 *
 * <p>Arguments are {@code key=value}: scenario (profiles|orders|connections|restore), bootstrap, appId,
 * guarantee (at_least_once|exactly_once_v2), commitIntervalMs, stateDir, plus the topic names the scenario
 * needs (input, output, cells). Prints {@code READY <epoch ms>} on stdout when the instance reaches RUNNING,
 * and {@code RESTORED <records> <start epoch ms> <end epoch ms>} after each store partition's restore, so the harness can time it from outside.
 */
public final class Main {
  public static void main(String[] argv) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String s : argv) {
      int i = s.indexOf('=');
      a.put(s.substring(0, i), s.substring(i + 1));
    }
    String scenario = a.get("scenario");
    Topology topology =
        switch (scenario) {
          case "profiles" -> ProfileTopology.build(a.get("input"), a.get("output"));
          case "orders" -> OrdersTopology.build(a.get("input"), a.get("output"));
          case "connections" -> ConnectionsTopology.build(a.get("input"), a.get("cells"));
          case "restore" -> RestoreTopology.build(a.get("input"), a.get("store"));
          default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };

    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, a.get("appId"));
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, a.get("bootstrap"));
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, a.get("guarantee"));
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, a.get("commitIntervalMs"));
    p.put(StreamsConfig.STATE_DIR_CONFIG, a.get("stateDir"));
    // One stream thread by default, like one Millrace instance (its tasks run on one event loop);
    // `--parallelism N` of the harness: N threads here, N Millrace instances there.
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, a.getOrDefault("threads", "1"));
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    if (a.containsKey("maxPollRecords"))
      p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), a.get("maxPollRecords"));

    KafkaStreams streams = new KafkaStreams(topology, p);
    CountDownLatch stop = new CountDownLatch(1);
    streams.setStateListener(
        (to, from) -> {
          if (to == KafkaStreams.State.RUNNING) out("READY " + System.currentTimeMillis());
          if (to == KafkaStreams.State.ERROR) {
            out("FAILED");
            stop.countDown();
          }
        });
    streams.setGlobalStateRestoreListener(
        new StateRestoreListener() {
          private final Map<TopicPartition, Long> started = new HashMap<>();

          @Override
          public synchronized void onRestoreStart(TopicPartition tp, String store, long start, long end) {
            started.put(tp, System.currentTimeMillis());
          }

          @Override
          public void onBatchRestored(TopicPartition tp, String store, long endOffset, long n) {}

          @Override
          public synchronized void onRestoreEnd(TopicPartition tp, String store, long total) {
            long now = System.currentTimeMillis();
            out("RESTORED " + total + " " + started.getOrDefault(tp, now) + " " + now);
          }
        });
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  streams.close(Duration.ofSeconds(30));
                  stop.countDown();
                }));
    streams.start();
    stop.await();
  }

  static synchronized void out(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private Main() {}
}

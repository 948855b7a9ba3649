import { createStreamsBuilder, jsonSerde, stringSerde } from '../../src/index.ts';
import { TimeWindows } from '../../src/topology/windows.ts';
import { windowedSerde } from '../../src/topology/internal/windowed-serdes.ts';
import { random, T0_MS, type BenchEvent, type ContenderTopics, type Scenario } from './scenario.ts';

/** The aggregate of one tenant's one-minute window. */
export interface OrderWindow {
  count: number;
  revenueCents: number;
}

/**
 * Windowed order analytics (issue 7 scenario ii): orders keyed by tenant (`keys` tenants, default 100),
 * 100 per second of event time, in order within each partition; per tenant a 1-minute tumbling window
 * (10 s grace) with the order count and the revenue, emitted on update. Millrace uses the DSL
 * (`groupByKey().windowedBy(...).aggregate`), Kafka Streams the same DSL calls (OrdersTopology.java).
 */
export const orders: Scenario = {
  name: 'orders',
  inputPartitions: 6,
  defaultKeys: 100,
  event(i: number, keys: number): BenchEvent {
    return orderEvent(i, keys);
  },
  millraceTopology(t: ContenderTopics) {
    const str = stringSerde();
    const b = createStreamsBuilder();
    b.stream<string, string>(t.input, { keySerde: str, valueSerde: str })
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace(60_000, 10_000))
      .aggregate<OrderWindow>(
        () => ({ count: 0, revenueCents: 0 }),
        (_tenant, order, agg) => ({
          count: agg.count + 1,
          revenueCents: agg.revenueCents + (JSON.parse(order) as { amountCents: number }).amountCents,
        }),
        { storeName: 'order-windows', keySerde: str, valueSerde: jsonSerde<OrderWindow>() },
      )
      .toStream()
      .to(t.output, { keySerde: windowedSerde(str), valueSerde: jsonSerde<OrderWindow | null>() });
    return b.build();
  },
  millraceTopics: () => [],
  javaArgs: () => [],
  javaTopics: () => [],
};

/** Order i: tenant `tenant-<i mod keys>`, at T0 + 10·i ms. */
export function orderEvent(i: number, keys: number): BenchEvent {
  const r = random(i * 40503 + 7);
  const tenant = `tenant-${i % keys}`;
  const timestamp = T0_MS + i * 10;
  const value = {
    orderId: `o-${i}`,
    tenant,
    amountCents: 100 + Math.floor(r() * 20_000),
    items: 1 + Math.floor(r() * 5),
    pharmacy: `ph-${Math.floor(r() * 50)}`,
  };
  return { key: tenant, value: JSON.stringify(value), timestamp };
}

import { describe, expect, it } from 'vitest';
import { stringSerde } from '../../../src/serdes/index.ts';
import { createStreamsBuilder } from '../../../src/topology/index.ts';
import {
  bootstrapServers,
  createTopics,
  eventually,
  produceStrings,
  readTopic,
  uniqueName,
} from '../../helpers/kafka.ts';
import { useTestApps } from '../../helpers/test-apps.ts';

const str = stringSerde();

/**
 * A KTable-KTable foreign-key join on the Kafka runtime (the driver test, test/src/topology/fk-join.test.ts,
 * checks the record-by-record semantics): orders (orderId → productId, 4 partitions) joined with products
 * (productId → name, 2 partitions: the two sides are partitioned differently, which is what a foreign-key
 * join is for). After creates, re-pointed orders, deleted orders and renamed products, the last output per
 * order must be `productId:name` of its current product, and a tombstone (or nothing) for a deleted order.
 */
describe('foreign-key join on a real broker', () => {
  const t = useTestApps('fk');
  const kafka = t.kafka;

  it('ends with the join of every order with its current product', async () => {
    const ordersTopic = uniqueName('fk-orders');
    const productsTopic = uniqueName('fk-products');
    const out = uniqueName('fk-out');
    await createTopics(kafka, [ordersTopic, out], 4);
    await createTopics(kafka, [productsTopic], 2);

    const b = createStreamsBuilder();
    const orders = b.table<string, string>(ordersTopic, { keySerde: str, valueSerde: str });
    const products = b.table<string, string>(productsTopic, { keySerde: str, valueSerde: str });
    orders
      .join(
        products,
        (productId) => productId,
        (productId: string, name: string) => `${productId}:${name}`,
      )
      .toStream()
      .to(out, { keySerde: str, valueSerde: str });
    const app = await t.start(b.build(), {
      'application.id': uniqueName('fk-app'),
      'bootstrap.servers': bootstrapServers(),
      'state.dir': t.dirs[0]!,
      'processing.guarantee': 'exactly_once_v2',
    });
    await app.waitUntilRunning(60_000);

    let x = 7;
    const rnd = (n: number): number => (x = (x * 1103515245 + 12345) % 2147483648) % n;
    const name = new Map<string, string>();
    const productOf = new Map<string, string>();
    const productRecords = Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, value: `name-${i}` }));
    for (const r of productRecords) name.set(r.key, r.value);
    await produceStrings(kafka, productsTopic, productRecords);

    const orderRecords: { key: string; value: string | null }[] = [];
    for (let i = 0; i < 600; i++) orderRecords.push({ key: `o${i}`, value: `p${rnd(100)}` });
    for (let i = 0; i < 100; i++) orderRecords.push({ key: `o${rnd(600)}`, value: `p${rnd(100)}` });
    for (let i = 0; i < 40; i++) orderRecords.push({ key: `o${rnd(600)}`, value: null });
    for (const r of orderRecords) {
      if (r.value === null) productOf.delete(r.key);
      else productOf.set(r.key, r.value);
    }
    await produceStrings(kafka, ordersTopic, orderRecords);

    const renames = Array.from({ length: 30 }, (_, i) => ({ key: `p${rnd(100)}`, value: `renamed-${i}` }));
    for (const r of renames) name.set(r.key, r.value);
    await produceStrings(kafka, productsTopic, renames);

    const oracle = new Map<string, string>();
    for (const [order, product] of productOf) oracle.set(order, `${product}:${name.get(product)!}`);

    const lastPerOrder = async (): Promise<Map<string, string>> => {
      const last = new Map<string, string | null>();
      for (const r of await readTopic(kafka, out)) {
        last.set(r.key!.toString(), r.value === null ? null : r.value.toString());
      }
      const m = new Map<string, string>();
      for (const [k, v] of last) if (v !== null) m.set(k, v);
      return m;
    };
    const matches = async (): Promise<boolean> => {
      const got = await lastPerOrder();
      return got.size === oracle.size && [...oracle].every(([k, v]) => got.get(k) === v);
    };
    expect(await eventually(matches, 90_000, 1_000)).toBe(true);
    expect(await lastPerOrder()).toEqual(oracle);
  }, 150_000);
});

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyedInput } from '../../fixtures/runtime/count-oracle.ts';
import { checkCount } from '../../../bench/chaos/lib/count-check.ts';
import { runChaosScenario } from '../../../bench/chaos/run-chaos.ts';
import { summaryLine } from '../../../bench/chaos/scenario.ts';
import { CHAOS_SCENARIOS } from '../../../bench/chaos/scenarios/index.ts';
import {
  bootstrapServers,
  createTopics,
  produceStrings,
  testKafka,
  uniqueName,
} from '../../helpers/kafka.ts';

/**
 * The CI variant of `npm run chaos -- all`: every scenario in its short (CI-sized) form, with a fixed seed
 * per scenario so a failure replays with `npm run chaos -- <scenario> --seed <seed>`. Each must inject
 * faults, check records and report zero mismatches. broker-restart starts and stops its own broker on port
 * 39092 (never the shared one).
 */
describe('chaos scenarios (CI sizes)', () => {
  const kafka = testKafka();
  afterAll(() => kafka.close());

  for (const [i, scenario] of CHAOS_SCENARIOS.entries()) {
    const seed = 1000 + i;
    it(`${scenario.name} reports zero mismatches (seed ${seed})`, async () => {
      const result = await runChaosScenario(scenario.name, {
        kafka,
        bootstrapServers: bootstrapServers().join(','),
        seed,
      });
      console.log(summaryLine(scenario.name, result));
      expect(result.problems).toEqual([]);
      expect(result.mismatches).toBe(0);
      expect(result.faults).toBeGreaterThan(0);
      expect(result.records).toBeGreaterThan(0);
    }, 150_000);
  }

  it('the count oracle reports a duplicated and a lost update (it can fail)', async () => {
    const input = uniqueName('chaos-oracle-in');
    const output = uniqueName('chaos-oracle-out');
    await createTopics(kafka, [input, output], 1);
    const gen = keyedInput(2);
    gen.next(4); // k0 ×2, k1 ×2
    const long = (n: number) => {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(BigInt(n));
      return b;
    };
    // k0 counted twice at 2 (a duplicate), k1 never reaches 2 (a loss); the store is empty (nothing ran).
    await produceStrings(kafka, output, [
      { key: 'k0', value: long(1) },
      { key: 'k0', value: long(2) },
      { key: 'k0', value: long(2) },
      { key: 'k1', value: long(1) },
    ]);
    const problems = await checkCount({
      kafka,
      bootstrapServers: bootstrapServers().join(','),
      appId: uniqueName('chaos-oracle-app'),
      topologyInput: input,
      output,
      oracle: gen.oracle,
      total: gen.total,
      guarantee: 'exactly_once_v2',
      stateDir: join(tmpdir(), uniqueName('chaos-oracle-state')),
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^output k0: expected 1\.\.2, got 3 values/),
        expect.stringMatching(/^output k1: expected 1\.\.2, got 1 values/),
        'store k0: undefined (oracle 2)',
        'store k1: undefined (oracle 2)',
      ]),
    );
  }, 60_000);
});

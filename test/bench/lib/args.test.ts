import { describe, expect, it } from 'vitest';
import { commitIntervalFor, parseBenchArgs } from '../../../bench/lib/args.ts';

describe('parseBenchArgs', () => {
  it('reads all, the size, one guarantee and the contenders', () => {
    const a = parseBenchArgs([
      'all',
      '--events',
      '200_000',
      '--guarantee=exactly_once_v2',
      '--contenders',
      'millrace,ceiling',
    ]);
    expect(a.scenarios).toEqual(['profiles', 'orders', 'connections']);
    expect(a.extras).toEqual([]);
    expect(a.events).toBe(200_000);
    expect(a.guarantees).toEqual(['exactly_once_v2']);
    expect(a.contenders).toEqual(['millrace', 'ceiling']);
  });

  it('defaults: 1,000,000 events, both guarantees, every contender, 10k and 10M keys', () => {
    const a = parseBenchArgs(['profiles']);
    expect(a.events).toBe(1_000_000);
    expect(a.guarantees).toEqual(['at_least_once', 'exactly_once_v2']);
    expect(a.contenders).toEqual(['millrace', 'kafka-streams', 'ceiling']);
    expect(a.keys).toEqual([10_000, 10_000_000]);
    expect(commitIntervalFor(a, 'at_least_once')).toBe(100);
  });

  it('mixes scenarios and extras in one comma list, once each', () => {
    const a = parseBenchArgs([
      'orders,restore,orders,key-growth',
      '--keys',
      '10,20',
      '--commit-interval-ms',
      '1000',
    ]);
    expect(a.scenarios).toEqual(['orders']);
    expect(a.extras).toEqual(['restore', 'key-growth']);
    expect(a.keys).toEqual([10, 20]);
    expect(commitIntervalFor(a, 'exactly_once_v2')).toBe(1000);
  });

  it.each([
    [['nope'], 'unknown scenario "nope"'],
    [['all', '--events', '0'], '--events must be a positive integer'],
    [['all', '--events'], '--events needs a value'],
    [['all', '--guarantee', 'eos'], '--guarantee must be'],
    [['all', '--contenders', 'flink'], 'unknown contender "flink"'],
    [['all', '--speed', '1'], 'unknown option --speed'],
    [[], 'name one scenario'],
  ])('refuses %j with a message and the usage', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(message);
    expect(() => parseBenchArgs(argv)).toThrow('usage: npm run bench');
  });
});

describe('bench arguments: rounds and query threads', () => {
  it('parses --rounds and --query-threads, with defaults 1 and 1', () => {
    const d = parseBenchArgs(['profiles']);
    expect([d.rounds, d.queryThreads]).toEqual([1, 1]);
    const a = parseBenchArgs(['profiles', '--rounds', '3', '--query-threads', '0']);
    expect([a.rounds, a.queryThreads]).toEqual([3, 0]);
    expect(() => parseBenchArgs(['profiles', '--rounds', '0'])).toThrow(/positive integer/);
  });
});

describe('bench arguments: parallelism', () => {
  it('parses --parallelism, default 1, positive only', () => {
    expect(parseBenchArgs(['profiles']).parallelism).toBe(1);
    expect(parseBenchArgs(['profiles', '--parallelism', '2']).parallelism).toBe(2);
    expect(() => parseBenchArgs(['profiles', '--parallelism', '0'])).toThrow(/positive integer/);
  });
});

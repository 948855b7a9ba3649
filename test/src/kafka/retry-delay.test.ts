import { MultipleErrors, NetworkError, ProtocolError, ResponseError } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import {
  CONCURRENT_TRANSACTIONS_DELAYS_MS,
  LIBRARY_RETRIES,
  LIBRARY_RETRY_DELAY_MS,
  TRANSACTIONAL_EXTRA_RETRIES,
  baseOptions,
  retryDelayMs,
} from '../../../src/kafka/internal/base-options.ts';

// AddPartitionsToTxn is API key 24; its response reports an error per partition.
const concurrent = () =>
  new ResponseError(
    24,
    3,
    {
      '/results_by_topic/0/partitions/0': [51, null],
      '/results_by_topic/0/partitions/1': [51, null],
    },
    undefined,
  );

describe('retryDelayMs (the delay before a retry of a failed request)', () => {
  it('retries CONCURRENT_TRANSACTIONS after 20 ms first, as Java does, then backs off', () => {
    expect(concurrent().errors[0]).toBeInstanceOf(ProtocolError);
    const delays = Array.from({ length: 14 }, (_, i) => retryDelayMs(i + 1, concurrent()));
    expect(delays.slice(0, 3)).toEqual([20, 20, 20]);
    expect(delays).toEqual([...CONCURRENT_TRANSACTIONS_DELAYS_MS, 1000, 1000, 1000]);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
  });

  it('finds CONCURRENT_TRANSACTIONS inside the errors of the earlier attempts', () => {
    const chain = new MultipleErrors('addPartitionsToTransaction failed 2 times.', [
      new NetworkError('connection reset'),
      concurrent(),
    ]);
    expect(retryDelayMs(2, chain)).toBe(20);
  });

  it("keeps the library's delay for every other error", () => {
    expect(retryDelayMs(1, new ProtocolError('NOT_COORDINATOR'))).toBe(LIBRARY_RETRY_DELAY_MS);
    expect(retryDelayMs(1, new NetworkError('connection refused'))).toBe(LIBRARY_RETRY_DELAY_MS);
    expect(retryDelayMs(1, new Error('other'))).toBe(LIBRARY_RETRY_DELAY_MS);
    expect(retryDelayMs(1, undefined)).toBe(LIBRARY_RETRY_DELAY_MS);
  });

  it('waits about as long in all as the library default before giving up on CONCURRENT_TRANSACTIONS', () => {
    const attempts = LIBRARY_RETRIES + TRANSACTIONAL_EXTRA_RETRIES;
    const total = CONCURRENT_TRANSACTIONS_DELAYS_MS.slice(0, attempts).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(LIBRARY_RETRIES * LIBRARY_RETRY_DELAY_MS);
  });

  it('is what every client of the library gets', () => {
    const options = baseOptions({ clientId: 'c', bootstrapServers: ['localhost:9092'] }, 'producer');
    expect(options.retryDelay(undefined, 'addPartitionsToTransaction', 1, 3, concurrent())).toBe(20);
    expect(options.retryDelay(undefined, 'produce', 1, 3, new NetworkError('x'))).toBe(1000);
  });
});

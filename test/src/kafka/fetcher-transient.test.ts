import type { Consumer } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { Fetcher, isTransientFetchError } from '../../../src/kafka/internal/fetcher.ts';

/** An error shaped like the library's: a protocol error name in `apiId`, nested in `errors`. */
function protocolError(apiId: string): Error {
  const inner = Object.assign(new Error(apiId), { apiId });
  return Object.assign(new Error('Received response with error while executing API Fetch(v17)'), {
    errors: [inner],
  });
}

describe('isTransientFetchError (regression: a broker restart stopped the app with FETCH_SESSION_ID_NOT_FOUND)', () => {
  it('retries session loss, leadership changes and connection loss', () => {
    expect(isTransientFetchError(protocolError('FETCH_SESSION_ID_NOT_FOUND'))).toBe(true);
    expect(isTransientFetchError(protocolError('NOT_LEADER_OR_FOLLOWER'))).toBe(true);
    expect(isTransientFetchError(Object.assign(new Error('connect'), { code: 'PLT_KFK_NETWORK' }))).toBe(
      true,
    );
  });

  it('does not hide real failures', () => {
    expect(isTransientFetchError(protocolError('TOPIC_AUTHORIZATION_FAILED'))).toBe(false);
    expect(isTransientFetchError(protocolError('UNSUPPORTED_VERSION'))).toBe(false);
    expect(isTransientFetchError(new Error('boom'))).toBe(false);
  });
});

describe('Fetcher.fetch when the metadata has no leader (regression: broker-restart soak stopped an instance)', () => {
  const position = { topic: 't', partition: 0, offset: 0n };
  const fetcherWith = (metadata: () => Promise<never>) =>
    new Fetcher({ metadata } as unknown as Consumer, {
      readCommitted: false,
      maxBytes: 1024,
      maxBytesPerPartition: 1024,
    });

  it('returns an empty round on LEADER_NOT_AVAILABLE, to be retried by the next poll', async () => {
    const fetcher = fetcherWith(() => Promise.reject(protocolError('LEADER_NOT_AVAILABLE')));
    const result = await fetcher.fetch([position], 10);
    expect(result.records).toEqual([]);
    expect(result.nextOffsets.size).toBe(0);
  });

  it('still fails on an error that is not transient', async () => {
    const fetcher = fetcherWith(() => Promise.reject(protocolError('TOPIC_AUTHORIZATION_FAILED')));
    await expect(fetcher.fetch([position], 10)).rejects.toThrow(/TOPIC_AUTHORIZATION_FAILED/);
  });
});

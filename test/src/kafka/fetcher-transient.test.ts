import { describe, expect, it } from 'vitest';
import { isTransientFetchError } from '../../../src/kafka/internal/fetcher.ts';

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

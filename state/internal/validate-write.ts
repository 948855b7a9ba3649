import { MillraceError } from '../../src/errors/index.ts';

/**
 * Throws MR_STATE_KEY_INVALID for a key no backend accepts (empty: LMDB rejects zero-length keys) or one
 * longer than `maxKeySize`. Checked when a write is buffered, never at commit: by then the Kafka
 * transaction has committed and a rejected key could no longer be undone.
 */
export function assertKey(store: string, key: Uint8Array, maxKeySize: number): void {
  if (key.byteLength === 0 || key.byteLength > maxKeySize) {
    throw new MillraceError(
      'MR_STATE_KEY_INVALID',
      `store "${store}": a key of ${key.byteLength} bytes is not allowed (1..${maxKeySize}): shorten the key or hash it`,
    );
  }
}

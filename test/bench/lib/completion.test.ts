import { describe, expect, it } from 'vitest';
import { committedProgress, formatTrace, reaches, totalOffset } from '../../../bench/lib/completion.ts';

const tpo = (partition: number, offset: bigint, topic = 'in') => ({ topic, partition, offset });

describe('completion checks', () => {
  const targets = [tpo(0, 10n), tpo(1, 0n), tpo(2, 5n)];

  it('needs every non-empty partition committed up to its target', () => {
    expect(reaches([tpo(0, 10n), tpo(2, 5n)], targets)).toBe(true);
    expect(reaches([tpo(0, 10n), tpo(2, 4n)], targets)).toBe(false);
    expect(reaches([tpo(0, 10n)], targets)).toBe(false);
    expect(reaches([tpo(0, 10n), tpo(2, 5n, 'other')], targets)).toBe(false);
    expect(reaches([tpo(0, 11n), tpo(2, 6n)], targets)).toBe(true);
  });

  it('sums committed progress capped at the targets', () => {
    expect(committedProgress([tpo(0, 4n), tpo(2, 9n)], targets)).toBe(9);
    expect(committedProgress([], targets)).toBe(0);
    expect(totalOffset(targets)).toBe(15);
  });

  it('formats the progress curve from a start time', () => {
    expect(
      formatTrace(
        [
          [1500, 25],
          [2000, 100],
        ],
        1000,
        100,
      ),
    ).toBe('+0.5s 25% +1.0s 100%');
  });
});

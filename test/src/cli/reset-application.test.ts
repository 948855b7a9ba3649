import { describe, expect, it } from 'vitest';
import { isMillraceError } from '../../../src/errors/index.ts';
import { parseDateTime, parseDuration } from '../../../src/cli/reset-application.ts';

describe('reset option parsing', () => {
  it('reads PnDTnHnMn durations as Kafka’s --by-duration does', () => {
    const H = 3_600_000;
    expect(parseDuration('P1D')).toBe(24 * H);
    expect(parseDuration('PT15M')).toBe(15 * 60_000);
    expect(parseDuration('P1DT2H30M')).toBe(26.5 * H);
    expect(parseDuration('PT1.5S')).toBe(1500);
    for (const bad of ['', 'P', 'PT', '1D', 'P1H', 'PT-1M', 'P1DT'])
      expect(() => parseDuration(bad), bad).toThrow(/not a duration/);
  });

  it('reads ISO date-times and epoch milliseconds', () => {
    expect(parseDateTime('2026-01-31T12:00:00Z')).toBe(Date.UTC(2026, 0, 31, 12));
    expect(parseDateTime('2026-01-31T12:00:00.250+01:00')).toBe(Date.UTC(2026, 0, 31, 11, 0, 0, 250));
    expect(parseDateTime('1700000000000')).toBe(1_700_000_000_000);
    try {
      parseDateTime('yesterday');
      expect.fail('accepted "yesterday"');
    } catch (err) {
      expect(isMillraceError(err, 'MR_CLI_USAGE')).toBe(true);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { parseVmHwm, peakRssBytes } from '../../../bench/lib/proc-status.ts';

describe('peak RSS from /proc/<pid>/status', () => {
  it('reads VmHWM in kB as bytes', () => {
    const status = 'Name:\tnode\nVmPeak:\t 9999 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n';
    expect(parseVmHwm(status)).toBe(123_456 * 1024);
    expect(parseVmHwm('Name:\tnode\n')).toBeUndefined();
  });

  it('reads this process, at least its current RSS', () => {
    expect(peakRssBytes(process.pid)).toBeGreaterThanOrEqual(process.memoryUsage().rss * 0.5);
    expect(peakRssBytes(-1)).toBeUndefined();
  });
});

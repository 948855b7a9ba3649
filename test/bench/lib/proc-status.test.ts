import { describe, expect, it } from 'vitest';
import { majorFaults, parseMajorFaults, parseVmHwm, peakRssBytes } from '../../../bench/lib/proc-status.ts';

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

describe('major page faults from /proc/<pid>/stat', () => {
  it('reads field 12, even when the command name holds spaces and parentheses', () => {
    const stat = '4242 (node (bench) x) S 1 4242 4242 0 -1 4194560 1234 0 77 0 5 6 0 0 20 0 11 0';
    expect(parseMajorFaults(stat)).toBe(77);
  });

  it('reads this process', () => {
    expect(majorFaults(process.pid)).toBeGreaterThanOrEqual(0);
    expect(majorFaults(-1)).toBeUndefined();
  });
});

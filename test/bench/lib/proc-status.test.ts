import { describe, expect, it } from 'vitest';
import {
  cpuSeconds,
  majorFaults,
  parseCpuSeconds,
  parseMajorFaults,
  parseRssAnon,
  parseVmHwm,
  peakRssBytes,
  rssAnonBytes,
} from '../../../bench/lib/proc-status.ts';

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

describe('anonymous RSS from /proc/<pid>/status', () => {
  it('reads RssAnon in kB as bytes, not RssFile', () => {
    const status = 'Name:\tnode\nVmRSS:\t  900 kB\nRssAnon:\t  700 kB\nRssFile:\t  200 kB\n';
    expect(parseRssAnon(status)).toBe(700 * 1024);
    expect(parseRssAnon('Name:\tnode\n')).toBeUndefined();
  });

  it('reads this process: some, but not more than its RSS', () => {
    const anon = rssAnonBytes(process.pid);
    expect(anon).toBeGreaterThan(0);
    expect(anon).toBeLessThanOrEqual(process.memoryUsage().rss * 1.5);
    expect(rssAnonBytes(-1)).toBeUndefined();
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

describe('CPU seconds from /proc/<pid>/stat', () => {
  it('adds utime and stime (fields 14 and 15, in 1/100 s) after a command name with spaces', () => {
    const stat = '4242 (node (worker) x) S 1 4242 4242 0 -1 4194304 900 0 77 0 1234 566 0 0 20 0 11 0';
    expect(parseCpuSeconds(stat)).toBeCloseTo(18.0, 6);
  });

  it('reads this process, which has used some CPU', () => {
    let x = 0;
    for (let i = 0; i < 2e7; i++) x += i % 7;
    expect(x).toBeGreaterThan(0);
    expect(cpuSeconds(process.pid)).toBeGreaterThan(0);
    expect(cpuSeconds(-1)).toBeUndefined();
  });
});

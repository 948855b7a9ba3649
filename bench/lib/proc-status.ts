import { readFileSync } from 'node:fs';

/**
 * Peak resident set size (`VmHWM`, "high water mark") of a live process, in bytes, from
 * /proc/<pid>/status (Linux). Read it before the process exits: the file disappears with it.
 */
export function peakRssBytes(pid: number): number | undefined {
  return fromProc(pid, 'status', parseVmHwm);
}

/** `VmHWM:   123456 kB` → bytes; undefined when the line is missing. */
export function parseVmHwm(status: string): number | undefined {
  const m = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  return m ? Number(m[1]) * 1024 : undefined;
}

/**
 * Anonymous resident memory (`RssAnon`: heaps, stacks, private allocations; not the pages of mapped files
 * such as LMDB's data file) of a live process now, in bytes, from /proc/<pid>/status.
 */
export function rssAnonBytes(pid: number): number | undefined {
  return fromProc(pid, 'status', parseRssAnon);
}

/** `RssAnon:   123456 kB` → bytes; undefined when the line is missing. */
export function parseRssAnon(status: string): number | undefined {
  const m = /^RssAnon:\s+(\d+)\s+kB$/m.exec(status);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** Major page faults (pages read from disk) of a live process so far, from /proc/<pid>/stat. */
export function majorFaults(pid: number): number | undefined {
  return fromProc(pid, 'stat', parseMajorFaults);
}

/** Field 12 (`majflt`) of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses. */
export function parseMajorFaults(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const v = Number(fields[9]);
  return Number.isFinite(v) ? v : undefined;
}

/** Linux reports utime/stime in clock ticks of USER_HZ, which is 100 on every mainstream architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system, all threads) a live process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number | undefined {
  return fromProc(pid, 'stat', parseCpuSeconds);
}

/** Fields 14 and 15 (`utime`, `stime`) of /proc/<pid>/stat, in seconds. */
export function parseCpuSeconds(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks / CLOCK_TICKS_PER_SECOND : undefined;
}

/** `parse` of /proc/<pid>/<file>; undefined when the process is gone (or this is not Linux). */
function fromProc(pid: number, file: 'status' | 'stat', parse: (text: string) => number | undefined) {
  try {
    return parse(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
  } catch {
    return undefined;
  }
}

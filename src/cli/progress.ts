/**
 * Progress of long CLI work: at most one line a second (`12000/100000 (12%) 5000/s`), and a final line.
 * On a terminal the line is rewritten in place.
 */
export function createProgress(label: string, total: number, log: (m: string) => void) {
  const started = Date.now();
  let last = 0;
  const tty = process.stderr.isTTY === true;
  const line = (n: number) => {
    const s = (Date.now() - started) / 1000;
    const pct = total > 0 ? Math.floor((100 * n) / total) : 100;
    return `${label}: ${n}/${total} (${pct}%) ${s > 0 ? Math.round(n / s) : 0}/s`;
  };
  return {
    update(n: number) {
      if (Date.now() - last < 1000) return;
      last = Date.now();
      if (tty) process.stderr.write(`\r${line(n)}`);
      else log(line(n));
    },
    done(n: number) {
      if (tty) process.stderr.write('\r');
      log(`${line(n)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
  };
}

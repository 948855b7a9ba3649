import type { BenchArgs, ExtraName } from '../lib/args.ts';
import type { RunContext } from '../lib/run-scenario.ts';
import { runKeyGrowth } from './key-growth.ts';
import { runQueryLoad } from './query-load.ts';
import { runRestore } from './restore.ts';

/** Runs one of the extra measurements and returns its printed report. */
export function runExtra(ctx: RunContext, name: ExtraName, args: BenchArgs): Promise<string> {
  switch (name) {
    case 'query-load':
      return runQueryLoad(ctx, args);
    case 'restore':
      return runRestore(ctx, args);
    case 'key-growth':
      return runKeyGrowth(ctx, args);
  }
}

import type { BenchArgs, ExtraName } from '../lib/args.ts';
import type { RunContext } from '../lib/run-scenario.ts';

/** Runs one of the extra measurements and returns its printed report. */
export async function runExtra(_ctx: RunContext, name: ExtraName, _args: BenchArgs): Promise<string> {
  return `${name}: not implemented yet`;
}

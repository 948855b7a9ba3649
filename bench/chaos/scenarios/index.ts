import type { ChaosScenario } from '../scenario.ts';
import { brokerRestart } from './broker-restart.ts';
import { httpFuzz } from './http-fuzz.ts';
import { joinLeave } from './join-leave.ts';
import { killLoop } from './kill-loop.ts';
import { poisonFlood } from './poison-flood.ts';
import { stateWipe } from './state-wipe.ts';

/** Every chaos scenario, in the order `all` runs them. */
export const CHAOS_SCENARIOS: readonly ChaosScenario[] = [
  killLoop,
  brokerRestart,
  joinLeave,
  stateWipe,
  poisonFlood,
  httpFuzz,
];

export const CHAOS_SCENARIO_BY_NAME: ReadonlyMap<string, ChaosScenario> = new Map(
  CHAOS_SCENARIOS.map((s) => [s.name, s]),
);

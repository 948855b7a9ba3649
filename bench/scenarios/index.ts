import type { ScenarioName } from '../lib/args.ts';
import { connections } from './connections.ts';
import { orders } from './orders.ts';
import { profiles } from './profiles.ts';
import type { Scenario } from './scenario.ts';

export const SCENARIO_BY_NAME: Readonly<Record<ScenarioName, Scenario>> = { profiles, orders, connections };

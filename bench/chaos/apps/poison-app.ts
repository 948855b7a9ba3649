/**
 * The poison-flood application, run as a child process: the JSON-schema count topology, every error handler
 * at its default (dlq). Topics from POISON_INPUT / POISON_OUTPUT, every streams config key as MILLRACE_<KEY>.
 * Prints `STATE <to>` on every state change and `RUNNING` when every assigned task runs.
 */
import { loadStreamsConfig } from '../../../src/config/index.ts';
import { createStreamsApp } from '../../../src/runtime/streams-app.ts';
import { installShutdownHooks } from '../../../src/runtime/shutdown-hooks.ts';
import { poisonTopology } from './poison-topology.ts';

const input = process.env.POISON_INPUT;
const output = process.env.POISON_OUTPUT;
if (!input || !output) throw new Error('set POISON_INPUT and POISON_OUTPUT');

const app = createStreamsApp(poisonTopology(input, output), loadStreamsConfig({}, process.env));
installShutdownHooks(app);
app.onStateChange((to) => {
  process.stdout.write(`STATE ${to}\n`);
  if (to === 'RUNNING') process.stdout.write('RUNNING\n');
});
await app.start();

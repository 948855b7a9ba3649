#!/usr/bin/env node
/**
 * `millrace` command line. `millrace run` (what `npm start` runs) starts the application on its defaults,
 * starting a local Kafka broker when none answers and KAFKA_BOOTSTRAP_SERVERS is not set.
 */
import { isMillraceError } from '../errors/index.ts';
import { ensureBroker } from './ensure-broker.ts';

const log = (m: string) => console.error(`[millrace] ${m}`);

async function main(command: string | undefined): Promise<number> {
  switch (command ?? 'run') {
    case 'run': {
      const servers = await ensureBroker(log);
      log(`Kafka broker ready at ${servers.join(',')}.`);
      log(
        'The stream engine and the healthcare topologies have not landed yet (issues 3 and 5): nothing else to run.',
      );
      return 0;
    }
    default:
      console.error('usage: millrace run');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    log(isMillraceError(err) ? `${err.code}: ${err.message}` : String((err as Error)?.stack ?? err));
    process.exitCode = 1;
  },
);

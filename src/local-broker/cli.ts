#!/usr/bin/env node
/**
 * The local Kafka broker tool: `npm run kafka:fetch | kafka:start | kafka:stop | kafka:status | kafka:logs [-- -f]`.
 * Environment: KAFKA_PORT (default 9092), MILLRACE_KAFKA_HEAP (default 512m), MILLRACE_KAFKA_VERSION (pin a
 * 4.x release), MILLRACE_KAFKA_HOME (cache and data, default .millrace/kafka).
 */
import { spawn } from 'node:child_process';
import { isMillraceError } from '../errors/index.ts';
import { resolveKafka } from './kafka-resolver.ts';
import { checkPrerequisites } from './prerequisites.ts';
import { localBrokerStatus, startLocalBroker, stopLocalBroker, tail } from './broker-process.ts';

async function main(command: string | undefined, args: string[]): Promise<number> {
  switch (command) {
    case 'start': {
      const { status } = await startLocalBroker();
      console.log(status.bootstrapServers);
      return 0;
    }
    case 'fetch': {
      const { paths } = await localBrokerStatus();
      await checkPrerequisites();
      const dist = await resolveKafka(paths.dist, (m) => console.error(`[kafka-local] ${m}`));
      console.log(`Apache Kafka ${dist.version}: ${dist.libs}`);
      return 0;
    }
    case 'stop':
      await stopLocalBroker();
      return 0;
    case 'status': {
      const s = await localBrokerStatus();
      const what = {
        started: 'running (started by this tool)',
        external: 'answering (not started by this tool)',
        stopped: 'stopped',
      }[s.state];
      console.log(
        `broker ${s.bootstrapServers}: ${what}${s.pid ? `, pid ${s.pid}` : ''}${s.version ? `, Kafka ${s.version}` : ''}`,
      );
      console.log(`data: ${s.paths.data}\nlog:  ${s.paths.log}`);
      return s.answering ? 0 : 3;
    }
    case 'logs': {
      const { paths } = await localBrokerStatus();
      if (args.includes('-f') || args.includes('--follow')) {
        const child = spawn('tail', ['-n', '50', '-F', paths.log], { stdio: 'inherit' });
        return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
      }
      console.log((await tail(paths.log, Number(args[0] ?? 100))) || `(no log yet at ${paths.log})`);
      return 0;
    }
    default:
      console.error('usage: kafka-local fetch | start | stop | status | logs [-f | N]');
      return 2;
  }
}

main(process.argv[2], process.argv.slice(3)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(isMillraceError(err) ? `[kafka-local] ${err.code}: ${err.message}` : err);
    process.exitCode = 1;
  },
);

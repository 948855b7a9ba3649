import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Builds the Kafka Streams reference (`mvn -q package` in bench/kafka-streams-reference; Maven resolves
 * kafka-streams and its dependencies from Maven Central the first time) and returns the `java -cp`
 * classpath: its classes plus every runtime jar (target/classpath.txt, written by the build).
 */
export async function buildKafkaStreamsReference(dir: string, log: (m: string) => void): Promise<string> {
  log('building the Kafka Streams reference with Maven (mvn -q package)');
  try {
    await run('mvn', ['-B', '-q', 'package'], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stdout?: string; message: string };
    throw new Error(
      `mvn package failed in ${dir}: ${e.message}\n${e.stdout ?? ''}\nJava 17+ and Maven are needed (apt-get install openjdk-17-jdk-headless maven).`,
      { cause: err },
    );
  }
  const deps = (await readFile(join(dir, 'target', 'classpath.txt'), 'utf8')).trim();
  return `${join(dir, 'target', 'classes')}:${deps}`;
}

/**
 * The JVM options of the reference: a 1 GiB heap cap (the default would be a quarter of the RAM); log level
 * `MILLRACE_BENCH_JAVA_LOG` (default info; the log goes to a file, see JAVA_LOG_DIR).
 */
export const JVM_OPTIONS = [
  '-Xmx1g',
  `-Dorg.slf4j.simpleLogger.defaultLogLevel=${process.env.MILLRACE_BENCH_JAVA_LOG ?? 'info'}`,
];

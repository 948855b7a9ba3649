import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MillraceError } from '../errors/index.ts';

const run = promisify(execFile);

/** The lowest Java feature release Kafka 4.x brokers run on. */
export const MIN_JAVA = 17;

/**
 * Checks that Java (>= 17) and Maven are installed, and says exactly what to install when one is not.
 * Returns the Java feature version.
 */
export async function checkPrerequisites(): Promise<{ java: number; maven: string }> {
  const java = await javaVersion();
  const maven = await mavenVersion();
  return { java, maven };
}

async function javaVersion(): Promise<number> {
  let text: string;
  try {
    const { stdout, stderr } = await run('java', ['-version']);
    text = `${stderr}${stdout}`;
  } catch (cause) {
    throw new MillraceError(
      'MR_LOCAL_BROKER_PREREQUISITE',
      `Java was not found: the local Kafka broker needs Java ${MIN_JAVA} or newer. Install it (Debian/Ubuntu: ` +
        '`apt-get install openjdk-17-jre-headless`), or point KAFKA_BOOTSTRAP_SERVERS at an existing cluster.',
      { cause },
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : NaN;
  if (!(major >= MIN_JAVA)) {
    throw new MillraceError(
      'MR_LOCAL_BROKER_PREREQUISITE',
      `Java ${Number.isNaN(major) ? '(unknown version)' : major} is too old: Kafka 4.x needs Java ${MIN_JAVA}+. ` +
        'Install a newer JDK and put it first on PATH (or set JAVA_HOME).',
    );
  }
  return major;
}

async function mavenVersion(): Promise<string> {
  try {
    const { stdout } = await run('mvn', ['-v'], { env: { ...process.env, MAVEN_OPTS: '' } });
    return /Apache Maven (\S+)/.exec(stdout)?.[1] ?? 'unknown';
  } catch (cause) {
    throw new MillraceError(
      'MR_LOCAL_BROKER_PREREQUISITE',
      'Maven was not found: the local Kafka broker tool resolves Apache Kafka from Maven Central with Maven. ' +
        'Install it (Debian/Ubuntu: `apt-get install maven`), or point KAFKA_BOOTSTRAP_SERVERS at an existing cluster.',
      { cause },
    );
  }
}

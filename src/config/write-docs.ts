/** Writes docs/configuration.md from STREAMS_CONFIG: `npm run docs:config` (a test checks they agree). */
import { writeFile } from 'node:fs/promises';
import { STREAMS_CONFIG, envName } from './streams-config.ts';

export function renderConfigDoc(): string {
  const rows = Object.values(STREAMS_CONFIG).map((k) => {
    const def =
      k.default === undefined
        ? k.name === 'commit.interval.ms'
          ? '30000 / 100 (EOS)'
          : '(required)'
        : `\`${JSON.stringify(k.default)}\``;
    return `| \`${k.name}\` | ${def} | \`${envName(k.name)}\` | ${k.doc} |`;
  });
  return `# Configuration

<!-- Generated from src/config/streams-config.ts by \`npm run docs:config\`. -->

Keys use Kafka Streams' names where the concept is the same. The configuration is validated once at start-up
(an unknown key or a bad value stops the start with \`MR_CONFIG_INVALID\` naming the key) and then frozen.

Environment variables (the column below; \`bootstrap.servers\` also reads \`KAFKA_BOOTSTRAP_SERVERS\`)
apply only where the environment is handed to \`loadStreamsConfig(input, env)\`:

- \`millrace run\` (\`src/cli/start-millrace.ts\`) passes \`process.env\`: there they override the run
  config file, so a deployment can point an app at another broker or state dir without editing it.
- \`createStreamsApp(topology, config)\` uses exactly the config given in code and never reads the
  environment: a program that names a broker talks to that broker. To honour the environment in your own
  program, pass \`loadStreamsConfig(input, process.env)\` (the child-process test fixtures do).

| key | default | environment | meaning |
| --- | --- | --- | --- |
${rows.join('\n')}
`;
}

if (import.meta.main) {
  await writeFile(new URL('../../docs/configuration.md', import.meta.url), renderConfigDoc());
}

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
Each key can be overridden by an environment variable; \`bootstrap.servers\` also reads
\`KAFKA_BOOTSTRAP_SERVERS\`.

| key | default | environment | meaning |
| --- | --- | --- | --- |
${rows.join('\n')}
`;
}

if (import.meta.main) {
  await writeFile(new URL('../../docs/configuration.md', import.meta.url), renderConfigDoc());
}

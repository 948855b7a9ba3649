/**
 * Writes docs/errors.md from ERROR_CODES: `npm run docs:errors`. test/src/errors/codes.test.ts fails when the
 * two disagree, so a new code cannot land undocumented.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { ERROR_CODES } from './codes.ts';

const HEADER = '<!-- The table below is generated from src/errors/codes.ts by `npm run docs:errors`. -->';

export function renderErrorTable(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, meaning]) => `| \`${code}\` | ${meaning} |`);
  return [HEADER, '', '| code | meaning |', '| --- | --- |', ...rows, ''].join('\n');
}

const INTRO = `# Errors

Every error Millrace throws is a \`MillraceError\` (exported from the package entry) with a stable \`code\`, a
message that says what to do, the \`cause\` where there is one, and the \`taskId\` where the error belongs to a
task. Match on \`code\`, never on the message text:

\`\`\`ts
import { isMillraceError } from 'millrace';
try {
  await app.start();
} catch (err) {
  if (isMillraceError(err, 'MR_KAFKA_CONNECT')) console.error('is the broker up?', err.message);
  else throw err;
}
\`\`\`

`;

if (import.meta.main) {
  const path = new URL('../../docs/errors.md', import.meta.url);
  const current = await readFile(path, 'utf8').catch(() => '');
  const intro = current.includes(HEADER) ? current.slice(0, current.indexOf(HEADER)) : INTRO;
  await writeFile(path, intro + renderErrorTable());
}

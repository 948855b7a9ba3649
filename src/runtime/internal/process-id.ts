import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The instance's process id, kept in `<state.dir>/<application.id>/process-id` so that it survives restarts
 * (as Kafka Streams' `kafka-streams-process-metadata`). It names the transactional id, so an instance that
 * restarts after a crash fences its own zombie at once and the broker aborts the zombie's open transaction
 * instead of waiting for `transaction.timeout.ms`.
 */
export function loadProcessId(appStateDir: string): string {
  const file = join(appStateDir, 'process-id');
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f-]{36}$/.test(id)) return id;
  } catch {
    // first start
  }
  const id = randomUUID();
  mkdirSync(appStateDir, { recursive: true });
  writeFileSync(file, `${id}\n`);
  return id;
}

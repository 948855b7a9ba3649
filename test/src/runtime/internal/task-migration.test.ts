import { describe, expect, it } from 'vitest';
import { MillraceError } from '../../../../src/errors/index.ts';
import { commitFailed, taskMigrationReason } from '../../../../src/runtime/internal/task-migration.ts';

const kafkaError = (names: string[]) =>
  new MillraceError('MR_KAFKA_TRANSACTION', `could not commit (${names.join(', ')})`, {
    details: { kafkaErrors: names },
  });

describe('taskMigrationReason', () => {
  it('finds a fencing or generation error anywhere in the cause chain', () => {
    expect(taskMigrationReason(kafkaError(['PRODUCER_FENCED']))).toBe('PRODUCER_FENCED');
    const wrapped = new MillraceError('MR_COMMIT_FAILED', 'x', { cause: kafkaError(['ILLEGAL_GENERATION']) });
    expect(taskMigrationReason(wrapped)).toBe('ILLEGAL_GENERATION');
  });

  it('leaves other failures alone (they stop the thread)', () => {
    expect(taskMigrationReason(kafkaError(['NOT_ENOUGH_REPLICAS']))).toBeUndefined();
    expect(taskMigrationReason(new Error('PRODUCER_FENCED in a plain message'))).toBeUndefined();
    expect(taskMigrationReason(undefined)).toBeUndefined();
  });
});

describe('commitFailed', () => {
  it('says what to do, and names a shared state.dir when fencing repeats', () => {
    const err = commitFailed([], kafkaError(['PRODUCER_FENCED']), true, 'PRODUCER_FENCED');
    expect(err.code).toBe('MR_COMMIT_FAILED');
    expect(err.message).toContain('restart it');
    expect(err.message).toContain('its own state.dir');
  });
});

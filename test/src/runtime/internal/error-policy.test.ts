import { describe, expect, it } from 'vitest';
import { MillraceError } from '../../../../src/errors/index.ts';
import { classifyFailure } from '../../../../src/runtime/internal/error-policy.ts';

const record = { topic: 'in', partition: 1, offset: 7, key: null, value: null, timestamp: 0, headers: [] };

describe('classifyFailure', () => {
  it('keeps the cause in the message: the wrapper says where, the cause says why', () => {
    const err = new MillraceError('MR_SERDE', 'could not deserialize the value of in-1@7', {
      cause: new SyntaxError('Unexpected end of JSON input'),
      details: { topic: 'in', offset: 7 },
    });
    expect(classifyFailure(err, record)).toEqual({
      code: 'MR_SERDE',
      stage: 'deserialization',
      message: 'could not deserialize the value of in-1@7: caused by Unexpected end of JSON input',
    });
  });

  it('calls a failure of another record, or a plain error, a processing failure', () => {
    const other = new MillraceError('MR_SERDE', 'x', { details: { topic: 'in', offset: 8 } });
    expect(classifyFailure(other, record).stage).toBe('processing');
    expect(classifyFailure(new RangeError('too big'), record)).toEqual({
      code: 'MR_TASK_PROCESS',
      stage: 'processing',
      message: 'too big',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { isMillraceError } from '../../../src/errors/index.ts';
import { jsonSchemaSerde, longSerde, stringSerde } from '../../../src/serdes/index.ts';

describe('serdes', () => {
  it('longSerde writes Kafka Serdes.Long() bytes (int64 big-endian)', () => {
    expect([...longSerde().serialize(258)]).toEqual([0, 0, 0, 0, 0, 0, 1, 2]);
    expect(longSerde().deserialize(longSerde().serialize(-5))).toBe(-5);
  });

  it('stringSerde round-trips UTF-8', () => {
    expect(stringSerde().deserialize(stringSerde().serialize('café'))).toBe('café');
  });

  it('jsonSchemaSerde rejects values that do not match, naming the path', () => {
    const serde = jsonSchemaSerde<{ id: string }>({
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string' } },
    });
    expect(serde.deserialize(serde.serialize({ id: 'a' }))).toEqual({ id: 'a' });
    try {
      serde.deserialize(new TextEncoder().encode('{"id":1}'));
      expect.unreachable();
    } catch (err) {
      expect(isMillraceError(err, 'MR_SERDE')).toBe(true);
      expect((err as Error).message).toContain('/id must be string');
    }
  });
});

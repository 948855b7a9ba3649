import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeMetadata } from '../../../src/local-broker/metadata-probe.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A fake broker that answers one Metadata v4 request with the given brokers and cluster id. */
function fakeBroker(
  brokers: { id: number; host: string; port: number }[],
  clusterId: string,
): Promise<number> {
  server = createServer((socket) => {
    socket.once('data', (req: Buffer) => {
      expect(req.readInt16BE(4)).toBe(3); // api_key Metadata
      expect(req.readInt16BE(6)).toBe(4); // api_version
      const parts: Buffer[] = [int32(req.readInt32BE(8)), int32(0), int32(brokers.length)];
      for (const b of brokers) parts.push(int32(b.id), str(b.host), int32(b.port), int16(-1));
      parts.push(str(clusterId), int32(1), int32(0));
      const body = Buffer.concat(parts);
      socket.end(Buffer.concat([int32(body.length), body]));
    });
  });
  return new Promise((resolve) =>
    server!.listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port)),
  );
}

describe('probeMetadata', () => {
  it('reads the broker count and cluster id of a Metadata v4 answer', async () => {
    const port = await fakeBroker([{ id: 1, host: 'localhost', port: 9092 }], 'abc123');
    await expect(probeMetadata('127.0.0.1', port)).resolves.toEqual({ brokers: 1, clusterId: 'abc123' });
  });

  it('rejects when nothing listens', async () => {
    const port = await fakeBroker([], 'x');
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    await expect(probeMetadata('127.0.0.1', port, 500)).rejects.toThrow();
  });
});

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}
function int16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}
function str(s: string): Buffer {
  return Buffer.concat([int16(Buffer.byteLength(s)), Buffer.from(s)]);
}

import { connect } from 'node:net';

/** What a broker said to a Metadata request. */
export interface MetadataAnswer {
  brokers: number;
  clusterId: string | null;
}

/**
 * Sends one Kafka Metadata request (v4, all topics) to `host:port` and reads the broker list from the answer.
 * The tool needs no Kafka client for this (only src/kafka/ may import one), and a broker that answers a
 * Metadata request with itself in the broker list is ready for clients.
 *
 * Wire format (big-endian), request:
 *   int32 size | int16 api_key=3 | int16 api_version=4 | int32 correlation_id | int16 len + client_id
 *   | int32 topics=-1 (null: all topics) | int8 allow_auto_topic_creation=0
 * Response:
 *   int32 size | int32 correlation_id | int32 throttle_time_ms | int32 broker_count
 *   | broker_count × (int32 node_id | int16 len + host | int32 port | int16 len (-1 = null) + rack)
 *   | int16 len (-1 = null) + cluster_id | …
 */
export function probeMetadata(host: string, port: number, timeoutMs = 2000): Promise<MetadataAnswer> {
  const clientId = Buffer.from('millrace-local-broker');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4 + 1);
  let o = 0;
  o = body.writeInt16BE(3, o);
  o = body.writeInt16BE(4, o);
  o = body.writeInt32BE(1, o);
  o = body.writeInt16BE(clientId.length, o);
  o += clientId.copy(body, o);
  o = body.writeInt32BE(-1, o);
  body.writeInt8(0, o);
  const frame = Buffer.concat([int32(body.length), body]);

  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(timeoutMs, () =>
      fail(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`)),
    );
    socket.on('error', fail);
    socket.on('connect', () => socket.write(frame));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      socket.destroy();
      try {
        resolve(parse(received.subarray(4)));
      } catch (err) {
        reject(err as Error);
      }
    });
  });
}

function parse(r: Buffer): MetadataAnswer {
  let o = 8; // correlation_id, throttle_time_ms
  const brokers = r.readInt32BE(o);
  o += 4;
  for (let i = 0; i < brokers; i++) {
    o += 4;
    o += 2 + r.readInt16BE(o);
    o += 4;
    const rack = r.readInt16BE(o);
    o += 2 + Math.max(rack, 0);
  }
  const len = r.readInt16BE(o);
  const clusterId = len < 0 ? null : r.toString('utf8', o + 2, o + 2 + len);
  return { brokers, clusterId };
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { StubUpstream } from './stub-upstream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * Makes a stub upstream accept WebSocket upgrades and echo each text message back as
 * `<name>:<message>` (a minimal RFC 6455 server: unfragmented frames, enough for tests).
 * `seen` collects the upgrade requests' headers.
 */
export function acceptWebSockets(stub: StubUpstream, seen: IncomingMessage['headers'][] = []): typeof seen {
  stub.server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    seen.push(req.headers);
    const key = req.headers['sec-websocket-key'];
    if (req.url === '/ws/refuse' || typeof key !== 'string') {
      socket.end(
        'HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: 7\r\nconnection: close\r\n\r\nrefused',
      );
      return;
    }
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nX-Upstream: ${stub.name}\r\n\r\n`,
    );
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const frame = readFrame(buffered);
        if (!frame) return;
        buffered = buffered.subarray(frame.size);
        if (frame.opcode === 8) {
          socket.end(encodeFrame(8, frame.payload));
          return;
        }
        if (frame.opcode === 1) socket.write(encodeFrame(1, Buffer.from(`${stub.name}:${frame.payload.toString()}`)));
      }
    });
    socket.on('error', () => socket.destroy());
  });
  return seen;
}

function readFrame(data: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (data.length < 2) return undefined;
  const opcode = (data[0] as number) & 0x0f;
  const masked = ((data[1] as number) & 0x80) !== 0;
  let length = (data[1] as number) & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return undefined;
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  const mask = masked ? data.subarray(offset, offset + 4) : undefined;
  if (masked) offset += 4;
  if (data.length < offset + length) return undefined;
  const payload = Buffer.from(data.subarray(offset, offset + length));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] as number) ^ (mask[i % 4] as number);
  return { opcode, payload, size: offset + length };
}

function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const head =
    payload.length < 126
      ? Buffer.from([0x80 | opcode, payload.length])
      : Buffer.from([0x80 | opcode, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([head, payload]);
}

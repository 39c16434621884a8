/**
 * How many bytes a Socket.IO socket has queued that its client has not taken yet: packets waiting
 * in engine.io's write buffer (a long-polling client between polls, or a WebSocket whose previous
 * write has not completed) plus what the WebSocket has handed to Node but the kernel has not
 * accepted (ws `bufferedAmount`). Neither is public API in engine.io's typings, hence the narrow
 * structural view; a transport without them counts as 0.
 */
import type { Socket } from 'socket.io';

interface EnginePacketView {
  data?: unknown;
  options?: { wsPreEncodedFrame?: unknown };
}

interface EngineSocketView {
  writeBuffer?: EnginePacketView[];
  transport?: { socket?: { bufferedAmount?: number } };
}

/** Packets beyond this many are estimated from the first ones (a stuck polling client). */
const PACKETS_MEASURED = 64;
/** A packet whose size cannot be read (a plain object, before encoding) counts as this much. */
const UNKNOWN_PACKET_BYTES = 1024;

function packetBytes(packet: EnginePacketView): number {
  const { data } = packet;
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return UNKNOWN_PACKET_BYTES;
}

export function queuedBytes(socket: Socket): number {
  const engine = socket.conn as unknown as EngineSocketView;
  const buffer = engine.writeBuffer ?? [];
  let bytes = 0;
  const measured = Math.min(buffer.length, PACKETS_MEASURED);
  for (let i = 0; i < measured; i++) bytes += packetBytes(buffer[i]!);
  if (buffer.length > measured) bytes = (bytes / measured) * buffer.length;
  return bytes + (engine.transport?.socket?.bufferedAmount ?? 0);
}

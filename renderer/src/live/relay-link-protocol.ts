/**
 * The messages between the page and the relay link (relay-link.ts), which holds the one Socket.IO
 * connection on a worker thread. At 50,000 vehicles a position frame is ~850 KB a second; reading
 * it off the WebSocket costs the thread that owns the socket ~7 ms per frame, so that thread is
 * not the page's: the worker receives, and hands each frame's buffer over without a copy
 * (a transfer). Everything else (tables, changes, health) is small and structured-cloned.
 *
 * Order is kept: every server event crosses in the order the socket delivered it, over one port,
 * so "the relay sends table changes before the frames that use them" still holds on the page.
 */
import type { SocketAuth } from '../../../shared/auth';
import type { ServerToClientEvents } from '../../../shared/events';

/** A server event as the socket delivered it. */
export type LinkServerEvent = keyof ServerToClientEvents;

/** Page → link. */
export type PageToLink =
  /** Connect to `relays[0]` (then the next on each loss, DESIGN §12). */
  | { type: 'start'; relays: readonly string[] }
  /** The answer to an `auth-request`: what the next handshake carries (null: not signed in). */
  | { type: 'auth'; requestId: number; auth: SocketAuth | null }
  /**
   * Emit an event; with `timeoutMs` the relay's acknowledgement (or its absence) comes back as
   * an `ack` with the same request id.
   */
  | {
      type: 'emit';
      requestId: number;
      event: string;
      args: readonly unknown[];
      timeoutMs: number | null;
    }
  | { type: 'stop' };

/** Link → page. */
export type LinkToPage =
  | { type: 'event'; event: LinkServerEvent; args: readonly unknown[] }
  /** Connected to `relay` (an origin). */
  | { type: 'connect'; relay: string }
  | { type: 'disconnect'; reason: string }
  | { type: 'connect-error'; message: string; data: unknown }
  /** A handshake is about to be made: the page answers with an `auth` (token, catch-up point). */
  | { type: 'auth-request'; requestId: number }
  | { type: 'ack'; requestId: number; ok: true; result: unknown }
  | { type: 'ack'; requestId: number; ok: false; reason: 'timeout' | 'not-connected' };

/** One side's end of the channel: a worker, its global scope, or a MessagePort in tests. */
export interface LinkPort<Out, In> {
  post(message: Out, transfer?: Transferable[]): void;
  /** Calls `handler` for every message; returns the function that stops listening. */
  listen(handler: (message: In) => void): () => void;
}

/** What a Worker and a worker's global scope both are: a message target with postMessage. */
export interface MessageTarget {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** One end of the channel over a Worker (the page's side) or a worker's scope (the link's). */
export function portOver<Out, In>(target: MessageTarget): LinkPort<Out, In> {
  return {
    post: (message, transfer = []) => target.postMessage(message, transfer),
    listen: (handler) => {
      const listener = (event: MessageEvent): void => handler(event.data as In);
      target.addEventListener('message', listener);
      return () => target.removeEventListener('message', listener);
    },
  };
}

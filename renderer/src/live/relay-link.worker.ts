/**
 * The relay link's thread (relay-link.ts): a dedicated worker started by the socket client. Its
 * global scope is the port to the page.
 */
import { io } from 'socket.io-client';
import { runRelayLink, type PagePort } from './relay-link';
import type { PageToLink } from './relay-link-protocol';

/** The worker's global scope, typed by what it is used for (the page's lib has no worker types). */
const scope = globalThis as unknown as {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<PageToLink>) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent<PageToLink>) => void): void;
  close(): void;
};

const page: PagePort = {
  post: (message, transfer = []) => scope.postMessage(message, transfer),
  listen: (handler) => {
    const listener = (event: MessageEvent<PageToLink>): void => handler(event.data);
    scope.addEventListener('message', listener);
    return () => scope.removeEventListener('message', listener);
  },
};

// Once the page says stop and the socket is closed, the thread ends itself.
runRelayLink(page, io, () => scope.close());

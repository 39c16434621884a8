/**
 * The relay link's thread (relay-link.ts): a dedicated worker started by the socket client. Its
 * global scope is the port to the page.
 */
import { io } from 'socket.io-client';
import { runRelayLink } from './relay-link';
import {
  portOver,
  type LinkToPage,
  type MessageTarget,
  type PageToLink,
} from './relay-link-protocol';

/** The worker's global scope (the page's lib has no worker types): its port to the page. */
const scope = globalThis as unknown as MessageTarget & { close(): void };

// Once the page says stop and the socket is closed, the thread ends itself.
runRelayLink(portOver<LinkToPage, PageToLink>(scope), io, () => scope.close());

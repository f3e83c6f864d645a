import type { SocketHandlers } from '../realtime/handler.js';
import type { AlertInbox } from './inbox.js';

/** Thin socket handlers for the staff alert inbox. */
export function alertHandlers(inbox: AlertInbox): SocketHandlers {
  return {
    'alert:list': async (_p, socket) => ({ alerts: await inbox.list(socket.data.user) }),
    'alert:ack': async (p, socket) => ({ alert: await inbox.acknowledge(socket.data.user, p) }),
    'alert:resolve': async (p, socket) => ({ alert: await inbox.resolve(socket.data.user, p) }),
  };
}

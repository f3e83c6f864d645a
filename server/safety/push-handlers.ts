import type { SocketHandlers } from '../realtime/handler.js';
import type { PushService } from './push.js';

/** Thin socket handlers for staff devices' Web Push subscriptions (§5.5). */
export function pushHandlers(push: PushService): SocketHandlers {
  return {
    'push:subscribe': async (p, socket) => {
      await push.subscribe(socket.data.user, p);
      return {};
    },
    'push:unsubscribe': async (p, socket) => {
      await push.unsubscribe(socket.data.user, p.endpoint);
      return {};
    },
  };
}

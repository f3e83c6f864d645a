import type { SocketHandlers } from '../realtime/handler.js';
import type { CheckinService } from './service.js';

/** Thin socket handlers for a person's own check-ins. */
export function checkinHandlers(checkins: CheckinService): SocketHandlers {
  return {
    'checkin:send': async (p, socket) => ({ checkin: await checkins.send(socket.data.user, p) }),
    'checkin:sharing': async (p, socket) => ({ with: await checkins.sharing(socket.data.user, p.with) }),
    'checkin:daily': async (p, socket) => ({ on: await checkins.daily(socket.data.user, p.on) }),
  };
}

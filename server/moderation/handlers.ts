import { done, type SocketHandlers } from '../realtime/handler.js';
import type { ReportService } from './reports.js';
import type { ModerationService } from './service.js';

/** Thin socket handlers for the facilitator's controls and for reports. */
export function moderationHandlers(mod: ModerationService, reports: ReportService): SocketHandlers {
  return {
    'mod:mute': (p, socket) => mod.mute(socket.data.user, p).then(done),
    'mod:unmute': (p, socket) => mod.unmute(socket.data.user, p).then(done),
    'mod:remove': (p, socket) => mod.remove(socket.data.user, p).then(done),
    'mod:ban': (p, socket) => mod.ban(socket.data.user, p).then(done),
    'mod:unban': (p, socket) => mod.unban(socket.data.user, p).then(done),
    'mod:delete': (p, socket) => mod.delete(socket.data.user, p).then(done),
    'mod:lock': (p, socket) => mod.lock(socket.data.user, p).then(done),
    'mod:slowmode': (p, socket) => mod.slowMode(socket.data.user, p).then(done),
    'mod:pin': (p, socket) => mod.pin(socket.data.user, p).then(done),
    'mod:session': (p, socket) => mod.session(socket.data.user, p).then(done),
    'mod:quiet': (p, socket) => mod.quiet(socket.data.user, p).then(done),
    'mod:lowerHand': (p, socket) => mod.lowerHand(socket.data.user, p).then(done),
    'mod:waitingroom': (p, socket) => mod.setWaitingRoom(socket.data.user, p).then(done),
    'mod:admit': (p, socket) => mod.admit(socket.data.user, p).then(done),
    'mod:turn-away': (p, socket) => mod.turnAway(socket.data.user, p).then(done),
    report: async (p, socket) => ({ reportId: await reports.report(socket.data.user, p) }),
  };
}

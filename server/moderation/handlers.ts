import { on, type HandlerContext } from '../realtime/handler.js';
import type { AppSocket } from '../realtime/types.js';
import type { ReportService } from './reports.js';
import type { ModerationService } from './service.js';

/** Thin socket handlers for the facilitator's controls and for reports. */
export function registerModerationHandlers(socket: AppSocket, ctx: HandlerContext, mod: ModerationService, reports: ReportService): void {
  const user = () => socket.data.user;
  const done = () => ({});
  on(socket, ctx, 'mod:mute', (p) => mod.mute(user(), p).then(done));
  on(socket, ctx, 'mod:unmute', (p) => mod.unmute(user(), p).then(done));
  on(socket, ctx, 'mod:remove', (p) => mod.remove(user(), p).then(done));
  on(socket, ctx, 'mod:ban', (p) => mod.ban(user(), p).then(done));
  on(socket, ctx, 'mod:unban', (p) => mod.unban(user(), p).then(done));
  on(socket, ctx, 'mod:delete', (p) => mod.delete(user(), p).then(done));
  on(socket, ctx, 'mod:lock', (p) => mod.lock(user(), p).then(done));
  on(socket, ctx, 'mod:slowmode', (p) => mod.slowMode(user(), p).then(done));
  on(socket, ctx, 'mod:pin', (p) => mod.pin(user(), p).then(done));
  on(socket, ctx, 'mod:session', (p) => mod.session(user(), p).then(done));
  on(socket, ctx, 'mod:lowerHand', (p) => mod.lowerHand(user(), p).then(done));
  on(socket, ctx, 'report', async (p) => ({ reportId: await reports.report(user(), p) }));
}

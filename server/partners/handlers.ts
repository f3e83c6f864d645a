import { on, type HandlerContext } from '../realtime/handler.js';
import type { AppSocket } from '../realtime/types.js';
import type { PartnerService } from './service.js';

/** Thin socket handlers for accountability partners. */
export function registerPartnerHandlers(socket: AppSocket, ctx: HandlerContext, partners: PartnerService): void {
  const user = () => socket.data.user;
  const done = () => ({});
  on(socket, ctx, 'partner:invite', async (p) => ({ inviteId: await partners.invite(user(), p) }));
  on(socket, ctx, 'partner:respond', async (p) => {
    const partnership = await partners.respond(user(), p);
    return partnership ? { partnership } : {};
  });
  on(socket, ctx, 'partner:list', () => partners.list(user()));
  on(socket, ctx, 'partner:open', (p) => partners.open(user(), p));
  on(socket, ctx, 'partner:send', async (p) => ({ message: await partners.send(user(), p) }));
  on(socket, ctx, 'partner:checkin', async (p) => ({ message: await partners.checkin(user(), p) }));
  on(socket, ctx, 'partner:history', (p) => partners.history(user(), p));
  on(socket, ctx, 'partner:read', (p) => partners.read(user(), p).then(done));
  on(socket, ctx, 'partner:typing', (p) => partners.typing(user(), p).then(done));
  on(socket, ctx, 'partner:end', (p) => partners.end(user(), p).then(done));
}

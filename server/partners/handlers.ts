import { done, type SocketHandlers } from '../realtime/handler.js';
import type { PartnerService } from './service.js';
import { partnerAccess } from './socket-access.js';

/** Thin socket handlers for accountability partners. */
export function partnerHandlers(partners: PartnerService): SocketHandlers {
  return {
    'partner:invite': async (p, socket) => ({ inviteId: await partners.invite(socket.data.user, p) }),
    'partner:respond': async (p, socket) => {
      const partnership = await partners.respond(socket.data.user, p);
      return partnership ? { partnership } : {};
    },
    'partner:list': (_p, socket) => partners.list(socket.data.user),
    'partner:open': (p, socket) => partners.open(socket.data.user, p),
    'partner:send': (p, socket) => partners.send(socket.data.user, p),
    'partner:checkin': (p, socket) => partners.checkin(socket.data.user, p),
    'partner:history': (p, socket) => partners.history(socket.data.user, p),
    'partner:read': (p, socket) => partners.read(socket.data.user, p).then(done),
    'partner:typing': (p, socket) => partners.typing(socket.data.user, p, partnerAccess(socket)).then(done),
    'partner:end': (p, socket) => partners.end(socket.data.user, p).then(done),
  };
}

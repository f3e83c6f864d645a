import { on, type HandlerContext } from '../realtime/handler.js';
import { groupRoom, type AppSocket } from '../realtime/types.js';
import type { GroupService } from './service.js';

/** Thin socket handlers for group rooms: validate (in `on`), call the service, ack. */
export function registerGroupHandlers(socket: AppSocket, ctx: HandlerContext, groups: GroupService): void {
  const user = () => socket.data.user;
  on(socket, ctx, 'group:join', (p) => groups.join(user(), p, () => socket.join(groupRoom(p.groupId))));
  on(socket, ctx, 'group:leave', async ({ groupId }) => {
    await socket.leave(groupRoom(groupId));
    return {};
  });
  on(socket, ctx, 'group:send', async (p) => ({ message: await groups.send(user(), p) }));
  on(socket, ctx, 'group:history', (p) => groups.history(user(), p));
  on(socket, ctx, 'group:typing', (p) => groups.typing(user(), p).then(() => ({})));
  on(socket, ctx, 'group:hand', (p) => groups.hand(user(), p).then(() => ({})));
  on(socket, ctx, 'group:react', async (p) => ({ reactions: await groups.react(user(), p) }));
}

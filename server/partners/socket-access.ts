import { partnerRoom, type AppSocket } from '../realtime/types.js';
import type { PartnerAccess } from './service.js';

/**
 * One socket's memory of the partnerships it may type into: the partner's id, or the read that
 * will tell it (concurrent events share one read). An entry holds while the socket is in the
 * partnership's room, which ending the partnership empties on every node; the socket joins before
 * the store is read, so an end that lands after the read still empties it.
 */
export function partnerAccess(socket: AppSocket): PartnerAccess {
  return (partnershipId, read) => {
    const room = partnerRoom(partnershipId);
    const partners = (socket.data.partners ??= new Map<string, Promise<string | undefined>>());
    const known = socket.rooms.has(room) ? partners.get(partnershipId) : undefined;
    if (known) return known;
    const forget = () => {
      if (partners.get(partnershipId) !== admitted) return;
      partners.delete(partnershipId);
      void socket.leave(room);
    };
    const admitted = (async () => {
      await socket.join(room);
      return read();
    })().then(
      (partnerId) => {
        if (partnerId === undefined) forget();
        return partnerId;
      },
      (err: unknown) => {
        forget();
        throw err;
      },
    );
    partners.set(partnershipId, admitted);
    return admitted;
  };
}

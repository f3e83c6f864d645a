import { z } from 'zod';
import type { Ack } from './errors.js';
import { message, messagePage } from './schemas/common.js';
import * as a from './schemas/agreement.js';
import * as c from './schemas/checkins.js';
import * as g from './schemas/groups.js';
import * as m from './schemas/moderation.js';
import * as p from './schemas/partners.js';
import * as push from './schemas/push.js';
import * as s from './schemas/safety.js';
import { sessionExpiredEvent } from './schemas/session.js';

const empty = z.object({});

/**
 * Every client → server event: its payload schema (validated on the server, typed on clients)
 * and its result schema (what `data` holds in `{ ok: true, data }`).
 */
export const clientEvents = {
  'group:join': { payload: g.groupJoin, result: g.groupJoinResult },
  'group:leave': { payload: g.groupLeave, result: empty },
  'group:send': { payload: g.groupSend, result: g.sentResult },
  'group:history': { payload: g.groupHistory, result: messagePage },
  'group:typing': { payload: g.groupTyping, result: empty },
  'group:hand': { payload: g.groupHand, result: empty },
  'group:react': { payload: g.groupReact, result: g.reactResult },
  'group:agree': { payload: a.groupAgree, result: a.groupAgreeResult },
  report: { payload: m.report, result: m.reportResult },
  'mod:mute': { payload: m.modMute, result: empty },
  'mod:unmute': { payload: m.modTarget, result: empty },
  'mod:remove': { payload: m.modTarget, result: empty },
  'mod:ban': { payload: m.modBan, result: empty },
  'mod:unban': { payload: m.modTarget, result: empty },
  'mod:delete': { payload: m.modDelete, result: empty },
  'mod:lock': { payload: m.modLock, result: empty },
  'mod:slowmode': { payload: m.modSlowmode, result: empty },
  'mod:pin': { payload: m.modPin, result: empty },
  'mod:session': { payload: m.modSession, result: empty },
  'mod:quiet': { payload: m.modQuiet, result: empty },
  'mod:lowerHand': { payload: m.modTarget, result: empty },
  'mod:waitingroom': { payload: m.modWaitingRoom, result: empty },
  'mod:admit': { payload: m.modAdmit, result: empty },
  'mod:turn-away': { payload: m.modTarget, result: empty },
  'partner:invite': { payload: p.partnerInvite, result: p.inviteResult },
  'partner:respond': { payload: p.partnerRespond, result: p.respondResult },
  'partner:list': { payload: p.partnerList, result: p.partnerListResult },
  'partner:open': { payload: p.partnerOpen, result: p.partnerOpenResult },
  'partner:send': { payload: p.partnerSend, result: p.partnerSentResult },
  'partner:checkin': { payload: p.partnerCheckin, result: p.partnerSentResult },
  'partner:history': { payload: p.partnerHistory, result: messagePage },
  'partner:read': { payload: p.partnerRead, result: empty },
  'partner:typing': { payload: p.partnerTyping, result: empty },
  'partner:end': { payload: p.partnerEnd, result: empty },
  'checkin:send': { payload: c.checkinSend, result: c.checkinSendResult },
  'checkin:sharing': { payload: c.checkinSharingPayload, result: c.checkinSharingResult },
  'checkin:daily': { payload: c.checkinDailyPayload, result: c.checkinDailyResult },
  'alert:list': { payload: s.alertList, result: s.alertListResult },
  'alert:ack': { payload: s.alertAck, result: s.alertResult },
  'alert:resolve': { payload: s.alertResolve, result: s.alertResult },
  'push:subscribe': { payload: push.pushSubscription, result: empty },
  'push:unsubscribe': { payload: push.pushUnsubscribe, result: empty },
} as const;

/** Every server → client event and its payload schema. */
export const serverEvents = {
  'group:message': message,
  'group:deleted': g.groupDeletedEvent,
  'group:presence': g.groupPresenceEvent,
  'group:typing': g.groupTypingEvent,
  'group:hand': g.groupHandEvent,
  'group:reaction': g.groupReactionEvent,
  'group:state': g.groupStateEvent,
  'group:waiting': g.groupWaitingEvent,
  'group:admitted': g.groupAdmittedEvent,
  'group:turned-away': g.groupTurnedAwayEvent,
  'mod:notice': m.modNoticeEvent,
  'mod:alert': m.modAlertEvent,
  'partner:message': message,
  'partner:read': p.partnerReadEvent,
  'partner:typing': p.partnerTypingEvent,
  'partner:invited': p.partnerInvitedEvent,
  'partner:updated': p.partnerUpdatedEvent,
  'partner:presence': p.partnerPresenceEvent,
  'partner:held': p.partnerHeldEvent,
  'safety:resources': s.safetyResourcesEvent,
  'alert:changed': s.staffAlert,
  'alert:escalated': s.alertEscalatedEvent,
  'session:expired': sessionExpiredEvent,
} as const;

export type ClientEventName = keyof typeof clientEvents;
export type ServerEventName = keyof typeof serverEvents;
/** What a client sends (before the server's transforms and defaults). */
export type PayloadIn<E extends ClientEventName> = z.input<(typeof clientEvents)[E]['payload']>;
/** What a handler receives after validation. */
export type Payload<E extends ClientEventName> = z.output<(typeof clientEvents)[E]['payload']>;
export type Result<E extends ClientEventName> = z.infer<(typeof clientEvents)[E]['result']>;
export type ServerPayload<E extends ServerEventName> = z.infer<(typeof serverEvents)[E]>;

/** The Socket.IO event maps both `new Server<…>()` and the client's `io()` are typed with. */
export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: PayloadIn<E>, ack: (res: Ack<Result<E>>) => void) => void;
};
export type ServerToClientEvents = {
  [E in ServerEventName]: (payload: ServerPayload<E>) => void;
};

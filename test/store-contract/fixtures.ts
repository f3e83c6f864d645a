// What the store's contract files share: fresh ids, drafts and records as the services build
// them, and a few arrangements made through the ports' verbs.
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Conversation, Enrolment, Group, GroupRole, Message, UserRef } from '../../shared/index.js';
import type { Stores } from '../../server/store/ports.js';
import type { MessageDraft } from '../../server/store/store.js';

/** A fresh id in the §4 id alphabet, so tests sharing one store never see each other's data. */
export function uid(tag = 'x'): string {
  return `${tag}_${randomBytes(8).toString('hex')}`;
}

export function user(role: UserRef['role'] = 'participant', name = 'Sam'): UserRef {
  return { id: uid('u'), name, role };
}

export function groupConv(id = uid('g')): Conversation {
  return { kind: 'group', id };
}

export function partnerConv(id = uid('p')): Conversation {
  return { kind: 'partner', id };
}

/** A full §4 text message as the service builds it (the store assigns `seq`). */
export function draft(
  conversation: Conversation,
  sender: UserRef,
  opts: { text?: string; clientMsgId?: string; createdAt?: number; deleted?: true } = {},
): MessageDraft {
  const d: MessageDraft = {
    id: uid('m'),
    conversation: { ...conversation },
    sender: { ...sender },
    kind: 'text',
    text: opts.text ?? 'hello',
    createdAt: opts.createdAt ?? Date.now(),
  };
  if (opts.clientMsgId !== undefined) d.clientMsgId = opts.clientMsgId;
  if (opts.deleted) d.deleted = true;
  return d;
}

export function makeGroup(opts: { createdAt?: number; createdBy?: string; name?: string } = {}): Group {
  return {
    id: uid('g'),
    name: opts.name ?? 'Evening IOP',
    description: 'Tuesday and Thursday evenings',
    schedule: 'Tue/Thu 18:00',
    createdAt: opts.createdAt ?? Date.now(),
    createdBy: opts.createdBy ?? uid('u'),
  };
}

export function enrolmentOf(userId: string, role: GroupRole = 'participant', name = 'Sam'): Enrolment {
  return { userId, role, name };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
export const seqs = (messages: Message[]) => messages.map((m) => m.seq);
export const byUserId = (a: Enrolment, b: Enrolment) => a.userId.localeCompare(b.userId);

/** A fresh room's state: unlocked, not slowed, open, unpinned, no raised hands. */
export const FRESH_STATE = {
  locked: false,
  waitingRoom: false,
  slowModeSec: 0,
  sessionOpen: true,
  pinnedMessageId: null,
  quietPartnerChat: false,
  handQueue: [],
  session: null,
  nextSessionStart: null,
};

/** Appends `n` messages from `sender` one after another, returning the stored messages. */
export async function appendMessages(store: Pick<Stores, 'log'>, c: Conversation, n: number, sender: UserRef = user()): Promise<Message[]> {
  const out: Message[] = [];
  for (let i = 1; i <= n; i++) out.push((await store.log.appendMessage(c, draft(c, sender, { text: `message ${i}` }))).message);
  return out;
}

/** Enrols the user and joins, which records them as attending this session. */
export async function attend(
  store: Pick<Stores, 'groups' | 'admission'>,
  g: string,
  u: string,
  role: GroupRole = 'participant',
): Promise<void> {
  await store.groups.enrol(g, { userId: u, role, name: 'Sam' });
  expect(await store.admission.joinGroup(g, { userId: u, admin: false, now: Date.now() })).to.not.have.property('refused');
}

/** Whether the user attends this session (is admitted to it), as the store shows it. */
export async function attending(store: Pick<Stores, 'moderation'>, g: string, u: string): Promise<boolean> {
  return (await store.moderation.waitingFacts(g, u)).admitted;
}

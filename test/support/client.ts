import { expect } from 'chai';
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientEventName,
  ClientToServerEvents,
  GroupJoinAdmitted,
  Message,
  Partnership,
  PayloadIn,
  Result,
  ServerEventName,
  ServerPayload,
  ServerToClientEvents,
  WireError,
} from '../../shared/index.js';

export type TypedSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/** What `ok` resolves: a join that entered the room, any other event's result. */
type OkResult<E extends ClientEventName> = E extends 'group:join' ? GroupJoinAdmitted : Result<E>;

/** Polls `fn` until it returns a truthy value or the deadline passes (no fixed sleeps). */
export async function waitFor<T>(fn: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** waitFor for a check that has to ask (the store, the page, the HTTP API): polls until `fn` resolves truthy. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A real socket.io-client that records every server event from its first moment, so a test can
 * never miss one by subscribing late, and can count exactly.
 */
export class TestClient {
  readonly socket: TypedSocket;
  readonly events: { event: string; payload: any }[] = [];

  constructor(url: string, auth: unknown, opts: { transports?: string[] } = {}) {
    this.socket = io(url, {
      auth: auth as Record<string, unknown>,
      transports: opts.transports ?? ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: 5000,
    });
    this.socket.onAny((event: string, payload: unknown) => this.events.push({ event, payload }));
  }

  static async connect(url: string, token: string, opts?: { transports?: string[] }): Promise<TestClient> {
    const c = new TestClient(url, { token }, opts);
    await new Promise<void>((resolve, reject) => {
      c.socket.once('connect', () => resolve());
      c.socket.once('connect_error', (err) => reject(err));
    });
    return c;
  }

  /**
   * Emits with an ack and resolves whatever the server acks (rejects after timeoutMs). The payload
   * is any value, not only a PayloadIn<E>: the malformed-input tests send what the schema refuses.
   */
  ack<E extends ClientEventName>(event: E, payload: unknown, timeoutMs = 5000): Promise<Ack<Result<E>>> {
    return (this.socket.timeout(timeoutMs) as any).emitWithAck(event, payload);
  }

  /**
   * Emits and expects `{ ok: true }`; returns data. A `group:join` is expected to enter the room
   * (a join left waiting, §5.7, throws): tests of the waiting room use `ack`.
   */
  async ok<E extends ClientEventName>(event: E, payload: PayloadIn<E>): Promise<OkResult<E>> {
    const res = await this.ack(event, payload);
    if (!res.ok) throw new Error(`${event} failed: ${JSON.stringify(res.error)}`);
    if (event === 'group:join' && 'waiting' in res.data && !('members' in res.data)) throw new Error('group:join left waiting');
    return res.data as OkResult<E>;
  }

  /** A partner message that must go out now, not held (§6.2): its ack's message, with its seq. */
  async sent<E extends 'partner:send' | 'partner:checkin'>(event: E, payload: PayloadIn<E>): Promise<{ message: Message }> {
    const res = await this.ok(event, payload);
    if ('held' in res) throw new Error(`${event} was held`);
    return res;
  }

  received<E extends ServerEventName>(event: E, pred: (p: ServerPayload<E>) => boolean = () => true): ServerPayload<E>[] {
    return this.events.filter((e) => e.event === event && pred(e.payload)).map((e) => e.payload);
  }

  messages(groupId: string): Message[] {
    return this.received('group:message', (m) => m.conversation.kind === 'group' && m.conversation.id === groupId);
  }

  /** The partner:message events this device got for one partnership. */
  partnerMessages(partnershipId: string): Message[] {
    return this.received('partner:message', (m) => m.conversation.kind === 'partner' && m.conversation.id === partnershipId);
  }

  /** The caller's view of one partnership, from partner:list. */
  async partnerView(partnershipId: string) {
    const view = (await this.ok('partner:list', {})).partnerships.find((p) => p.id === partnershipId);
    if (!view) throw new Error(`partnership ${partnershipId} is not in the list`);
    return view;
  }

  waitEvent<E extends ServerEventName>(
    event: E,
    pred: (p: ServerPayload<E>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<ServerPayload<E>> {
    return waitFor(() => this.received(event, pred)[0], event, timeoutMs);
  }

  /**
   * Ordering barrier for "nothing else arrived": an ack is written after everything the node had
   * already written to this socket.
   */
  async sync(groupId: string): Promise<void> {
    await this.ack('group:history', { groupId, limit: 1 });
  }

  close(): void {
    this.socket.close();
  }
}

/** 'ok', or the error code an ack refused with. */
export const codeOf = (res: Ack<unknown>) => (res.ok ? 'ok' : res.error.code);

/** Expects the ack to refuse with this code; returns the error. */
export function refusedWith(res: Ack<unknown>, code: WireError['code']): WireError {
  expect(res.ok, `expected ${code}, got ${JSON.stringify(res)}`).to.equal(false);
  if (res.ok) throw new Error('unreachable');
  expect(res.error.code, res.error.message).to.equal(code);
  return res.error;
}

/** Expects the handshake to be refused; resolves the connect_error. */
export function refused(url: string, auth: unknown, opts?: { transports?: string[] }): Promise<Error & { data?: any }> {
  const c = new TestClient(url, auth, opts);
  return new Promise((resolve, reject) => {
    c.socket.once('connect', () => {
      c.close();
      reject(new Error('connection was accepted'));
    });
    c.socket.once('connect_error', (err) => {
      c.close();
      resolve(err);
    });
  });
}

/** `from` invites `toUserId`, whose client `to` accepts; resolves the partnership. */
export async function pairByInvite(from: TestClient, to: TestClient, toUserId: string): Promise<Partnership> {
  const { inviteId } = await from.ok('partner:invite', { userId: toUserId });
  return (await to.ok('partner:respond', { inviteId, accept: true })).partnership!;
}

/** The highest seq such that this client got every message 1..seq live: what it would pass as `since`. */
export function contiguousSeq(messages: Message[]): number {
  const seqs = new Set(messages.map((m) => m.seq));
  let s = 0;
  while (seqs.has(s + 1)) s++;
  return s;
}

/** Closes every client given; for afterEach. */
export function closeAll(clients: TestClient[]): void {
  for (const c of clients.splice(0)) c.close();
}

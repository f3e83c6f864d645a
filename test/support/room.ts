import type { GlobalRole } from '../../shared/index.js';
import { closeAll, TestClient } from './client.js';
import { makeGroup, type TestUser, type Tuple } from './server.js';

/** What a client connects to: a TestServer or a cluster node. */
export type Endpoint = { url: string };
/** What issues users with valid tokens: a TestServer or a Cluster. */
export type Users = { user(role?: GlobalRole): TestUser };

type GroupOptions = { on?: Endpoint & Partial<Users>; users?: Users };
type Room<N extends number> = { fac: TestUser; people: Tuple<TestUser, N>; groupId: string; cs: Tuple<TestClient, N> };

const noDefault = (): Endpoint => {
  throw new Error('roomClients() was given no node: name one in the call');
};

/**
 * The room fixture: real clients on the node `node()` names now (servers start in `before`) or
 * on the node a call names, all closed by `closeAll` (for afterEach). `room()` is the common
 * case in one call: a fresh group, its facilitator and participants connected and joined.
 */
export function roomClients(node: () => Endpoint & Partial<Users> = noDefault) {
  const clients: TestClient[] = [];
  let n = 0;
  const connect = async (u: { token: string }, on: Endpoint = node(), opts?: { transports?: string[] }) => {
    const c = await TestClient.connect(on.url, u.token, opts);
    clients.push(c);
    return c;
  };
  const enter = async (u: { token: string }, groupId: string, on: Endpoint = node(), opts?: { transports?: string[] }) => {
    const c = await connect(u, on, opts);
    await c.ok('group:join', { groupId });
    return c;
  };
  /** A send with a fresh clientMsgId; resolves the ack whatever it is. */
  const send = (c: TestClient, groupId: string, text = `message ${n + 1}`) =>
    c.ack('group:send', { groupId, text, clientMsgId: `c${++n}` });
  /** A send that must succeed; resolves the message. */
  const sent = async (c: TestClient, groupId: string, text?: string) => {
    const res = await send(c, groupId, text);
    if (!res.ok) throw new Error(`send failed: ${JSON.stringify(res.error)}`);
    return res.data.message;
  };
  /** A partner message that must succeed, with a fresh clientMsgId; resolves the message. */
  const partnerSent = async (c: TestClient, partnershipId: string, text: string) =>
    (await c.sent('partner:send', { partnershipId, text, clientMsgId: `p${++n}` })).message;
  /**
   * A facilitator and `participants` people enrolled in a fresh group, made over HTTP on `on`;
   * users come from `users`, or from the node when it issues them (a TestServer does).
   */
  const group = async <N extends number>(participants: N, { on = node(), users }: GroupOptions = {}) => {
    const issuer = users ?? (on.user ? (on as Users) : undefined);
    if (!issuer) throw new Error('roomClients: this node issues no users; pass `users`');
    const fac = issuer.user('facilitator');
    const people = Array.from({ length: participants }, () => issuer.user()) as Tuple<TestUser, N>;
    const groupId = await makeGroup(on, fac, people);
    return { fac, people, groupId };
  };
  /**
   * The common case in one call: group(), then each participant (in order) connects and joins,
   * then the facilitator (`cf`), unless `facilitatorJoins` is false.
   */
  async function room<N extends number>(
    participants: N,
    opts?: GroupOptions & { facilitatorJoins?: true },
  ): Promise<Room<N> & { cf: TestClient }>;
  async function room<N extends number>(participants: N, opts: GroupOptions & { facilitatorJoins: false }): Promise<Room<N>>;
  async function room<N extends number>(
    participants: N,
    opts: GroupOptions & { facilitatorJoins?: boolean } = {},
  ): Promise<Room<N> & { cf?: TestClient }> {
    const on = opts.on ?? node();
    const g = await group(participants, { ...opts, on });
    const cs: TestClient[] = [];
    for (const p of g.people) cs.push(await enter(p, g.groupId, on));
    const cf = opts.facilitatorJoins === false ? undefined : await enter(g.fac, g.groupId, on);
    return { ...g, cs: cs as Tuple<TestClient, N>, ...(cf ? { cf } : {}) };
  }
  return { connect, enter, send, sent, partnerSent, group, room, closeAll: () => closeAll(clients) };
}

/** Ordering barrier: each ack is written after everything the node had already written to that socket. */
export async function syncAll(groupId: string, ...cs: TestClient[]): Promise<void> {
  for (const c of cs) await c.sync(groupId);
}

/** The same barrier for partner events, which need no group. */
export function partnerSync(...cs: TestClient[]) {
  return Promise.all(cs.map((c) => c.ok('partner:list', {})));
}

import { io, type Socket } from 'socket.io-client';
import type {
  ClientEventName,
  ClientToServerEvents,
  PayloadIn,
  Result,
  ServerEventName,
  ServerPayload,
  ServerToClientEvents,
} from '../../shared/index.js';
import { noAnswer, type Reply } from './api.js';
import { t } from './i18n/i18n.js';

/**
 * `crowded`: the server refused this connection because the user holds too many already (RATE_LIMITED).
 * `offline`: the browser says it has no network; the socket would otherwise look connected until
 * its ping timed out (tens of seconds).
 */
export type ConnState = 'connecting' | 'online' | 'reconnecting' | 'crowded' | 'offline';
export type TypedSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type Handlers = {
  onState: (state: ConnState) => void;
  /** The server refused the token, or said it expired: sign in again. */
  onSignedOut: (why: 'expired' | 'refused') => void;
};

// Typed per event at the call site (request); this is the one untyped seam.
type AckEmitter = { emit(event: string, payload: unknown, ack: (err: Error | null, res: unknown) => void): void };

/**
 * The page's one socket: typed with the shared event maps, reconnects by itself (also after the
 * server closed it or refused it while draining), and never emits while offline, so a toggle or a
 * moderation action is never replayed from socket.io's buffer behind the user's back.
 */
export class Connection {
  readonly socket: TypedSocket;
  state: ConnState = 'connecting';
  private signedOut = false;
  private retryTimer = 0;
  private attempts = 0;
  private readonly onlineListeners = new Set<() => void>();
  private readonly stateListeners = new Set<(state: ConnState) => void>();

  constructor(
    private token: string,
    private readonly handlers: Handlers,
  ) {
    this.socket = io({
      auth: (cb) => cb({ token: this.token }),
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
      timeout: 8000,
    });
    this.socket.on('connect', () => {
      this.attempts = 0;
      this.setState('online');
      for (const fn of [...this.onlineListeners]) fn();
    });
    this.socket.on('disconnect', (reason) => {
      this.setState(this.downState());
      // The server closed this socket on purpose; socket.io will not come back by itself.
      if (reason === 'io server disconnect' && !this.signedOut) this.retrySoon();
    });
    this.socket.on('connect_error', (err) => {
      if (err.message === 'UNAUTHORIZED') return this.signOut('refused');
      // Over the per-user connection cap: keep trying, so closing another tab lets this one in.
      this.setState(err.message === 'RATE_LIMITED' ? 'crowded' : this.downState());
      // A refusal by a middleware (a node shutting down) leaves the socket inactive.
      if (!this.socket.active) this.retrySoon();
    });
    this.socket.on('session:expired', () => this.signOut('expired'));
    window.addEventListener('offline', this.onBrowserOffline);
    window.addEventListener('online', this.onBrowserOnline);
  }

  /** Drops the dead transport at once, so nothing is emitted into it and socket.io starts reconnecting. */
  private readonly onBrowserOffline = () => {
    this.setState('offline');
    if (this.socket.connected) this.socket.io.engine.close();
  };

  private readonly onBrowserOnline = () => {
    if (this.signedOut) return;
    if (this.socket.connected) return this.setState('online');
    this.setState('reconnecting');
    // Inactive after a refusal: socket.io will not retry by itself.
    if (!this.socket.active) this.retrySoon();
  };

  private downState(): ConnState {
    return navigator.onLine ? 'reconnecting' : 'offline';
  }

  /** Runs `fn` now if online and after every (re)connection: joins and catch-ups hang off this. */
  onOnline(fn: () => void): () => void {
    this.onlineListeners.add(fn);
    if (this.state === 'online') fn();
    return () => this.onlineListeners.delete(fn);
  }

  /** Runs `fn` with the state now and after every change (views that word what a send does offline). */
  onState(fn: (state: ConnState) => void): () => void {
    this.stateListeners.add(fn);
    fn(this.state);
    return () => this.stateListeners.delete(fn);
  }

  /** Subscribes to a server event; returns the unsubscribe. */
  on<E extends ServerEventName>(event: E, fn: (payload: ServerPayload<E>) => void): () => void {
    const s = this.socket as unknown as { on(e: string, f: (p: unknown) => void): void; off(e: string, f: (p: unknown) => void): void };
    const wrapped = (p: unknown) => fn(p as ServerPayload<E>);
    s.on(event, wrapped);
    return () => s.off(event, wrapped);
  }

  /** Emits with an ack; answers NO_ANSWER at once when offline, or after `timeoutMs` without an ack. */
  request<E extends ClientEventName>(event: E, payload: PayloadIn<E>, timeoutMs = 10_000): Promise<Reply<Result<E>>> {
    if (!this.socket.connected || this.state === 'offline')
      return Promise.resolve(noAnswer(t('You are offline right now; this was not sent. It will work again once reconnected.')));
    return new Promise((resolve) => {
      (this.socket.timeout(timeoutMs) as unknown as AckEmitter).emit(event, payload, (err, res) => {
        resolve(err ? noAnswer() : (res as Reply<Result<E>>));
      });
    });
  }

  /** Fire-and-forget (typing): dropped when offline. */
  signal<E extends 'group:typing' | 'partner:typing'>(event: E, payload: PayloadIn<E>): void {
    if (this.socket.connected && this.state !== 'offline')
      (this.socket as unknown as { emit(e: string, p: unknown): void }).emit(event, payload);
  }

  close(): void {
    this.signedOut = true;
    window.removeEventListener('offline', this.onBrowserOffline);
    window.removeEventListener('online', this.onBrowserOnline);
    window.clearTimeout(this.retryTimer);
    this.onlineListeners.clear();
    this.stateListeners.clear();
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  private signOut(why: 'expired' | 'refused'): void {
    if (this.signedOut) return;
    this.signedOut = true;
    window.clearTimeout(this.retryTimer);
    this.socket.disconnect();
    this.handlers.onSignedOut(why);
  }

  private retrySoon(): void {
    window.clearTimeout(this.retryTimer);
    const delay = Math.min(4000, 300 * 2 ** this.attempts++) * (0.75 + Math.random() / 2);
    this.retryTimer = window.setTimeout(() => {
      if (!this.signedOut && !this.socket.connected) this.socket.connect();
    }, delay);
  }

  private setState(state: ConnState): void {
    if (state === this.state) return;
    this.state = state;
    this.handlers.onState(state);
    for (const fn of [...this.stateListeners]) fn(state);
  }
}

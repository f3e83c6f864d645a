import { createServer, type RequestListener, type Server as HttpServer } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createAdapter, createShardedAdapter, type RedisAdapter } from '@socket.io/redis-adapter';
import type { StaffAlert } from '../shared/index.js';
import { AttendanceService } from './attendance/service.js';
import { createVerifier } from './auth/tokens.js';
import { checkinHandlers } from './checkins/handlers.js';
import { CheckinRuleBook } from './checkins/rules.js';
import { CheckinService } from './checkins/service.js';
import { CheckinSilence } from './checkins/silence.js';
import type { Config } from './config.js';
import { DemoService } from './demo.js';
import { AppError } from './errors.js';
import { AgreementService } from './groups/agreement.js';
import { agreementHandlers } from './groups/agreement-http.js';
import { RoomGate } from './groups/gate.js';
import { groupHandlers } from './groups/handlers.js';
import { GroupService } from './groups/service.js';
import { WaitingRoom } from './groups/waiting-room.js';
import { createHttpApp } from './http/app.js';
import { isReady } from './http/health.js';
import { metricsServer } from './http/metrics.js';
import { FloodControl } from './limits/flood.js';
import type { Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { moderationHandlers } from './moderation/handlers.js';
import { ReportService } from './moderation/reports.js';
import { ModerationService } from './moderation/service.js';
import { partnerHandlers } from './partners/handlers.js';
import { QuietPartnerChat } from './partners/quiet.js';
import { PartnerService } from './partners/service.js';
import { StaffPairings } from './moderation/pairings.js';
import { PresenceService } from './presence/service.js';
import { PrivacyService } from './privacy/service.js';
import { dropSlowConsumers } from './realtime/backpressure.js';
import { socketBroadcaster } from './realtime/broadcaster.js';
import { socketListeners } from './realtime/handler.js';
import { createIo } from './realtime/io.js';
import { skipOwnEcho } from './realtime/own-echo.js';
import { guardPublishes } from './realtime/publish-guard.js';
import { groupOfRoom, type AppServer, type AppSocket } from './realtime/types.js';
import { RetentionService } from './retention.js';
import { DisclosureService } from './safety/disclosures.js';
import { AccessLogService } from './access/log.js';
import { loadCrisisMatcher } from './safety/matcher.js';
import { ProgramAlertService } from './safety/program-alerts.js';
import { AlertInbox } from './safety/inbox.js';
import { alertHandlers } from './safety/handlers.js';
import { pushHandlers } from './safety/push-handlers.js';
import { PushService } from './safety/push.js';
import { loadResources } from './safety/resources.js';
import { SafetyService } from './safety/service.js';
import { EscalationService } from './safety/escalation.js';
import { SessionService } from './sessions/service.js';
import { EscalationWebhook } from './safety/webhook.js';
import { connectRedis, type RedisClient, type RedisTarget } from './store/redis-client.js';
import type { Stores } from './store/ports.js';

export type AppDeps = {
  config: Config;
  store: Stores;
  log: Logger;
  /** @default 5_000 — how long close() waits for in-flight acks before closing sockets */
  drainMs?: number;
  /** The HTTPS agent Web Push uses (tests trust their local push endpoint with it). */
  pushAgent?: HttpsAgent;
};

export type BridgeApp = {
  httpServer: HttpServer;
  io: AppServer;
  /** Listens on the configured (or given) port; resolves the actual port. */
  listen(port?: number, host?: string): Promise<number>;
  /** This node's counters; the entry point reports the store's Redis errors into it. */
  metrics: Metrics;
  /** The METRICS_PORT server's actual port once listening (undefined without METRICS_PORT). */
  metricsPort(): number | undefined;
  /** Graceful stop (§9): refuse new work, finish in-flight acks, close sockets so clients reconnect elsewhere, close the store. */
  close(): Promise<void>;
};

/** How long a stopping node lets HTTP requests in flight finish before it closes their connections. */
const HTTP_CLOSE_GRACE_MS = 1000;

/**
 * The composition root: config → store → services → io → http. The entry point and the tests
 * both build the server with it.
 * @example
 *   const app = await createApp({ config, store: createMemoryStores(), log });
 *   const port = await app.listen(0);
 *   ...
 *   await app.close();
 */
export async function createApp({ config, store, log, drainMs = 5_000, pushAgent }: AppDeps): Promise<BridgeApp> {
  const verify = createVerifier(config.jwt);
  // Files named by the configuration are read before anything is opened, so a bad one leaves nothing behind.
  const matchesCrisis = loadCrisisMatcher(config.safety.phrasesFile);
  const crisisResources = loadResources(config.safety.resourcesFile);
  let draining = false;
  let closing: Promise<void> | undefined;
  const demo = config.demo ? new DemoService(store, config.jwt) : undefined;
  await demo?.ensureGroup();

  // Socket.IO wraps the request listeners that exist when it attaches (so /socket.io never reaches
  // express); express itself needs services that need io, hence the late-bound listener.
  let httpApp: RequestListener = (_req, res) => res.writeHead(503).end();
  const httpServer = createServer((req, res) => httpApp(req, res));
  const { io, ctx } = createIo(httpServer, {
    verify,
    corsOrigins: config.corsOrigins,
    clockToleranceSec: config.jwt.clockToleranceSec,
    maxConnectionsPerUser: config.connections.maxPerUser,
    connectTimeoutMs: config.connections.connectTimeoutMs,
    log,
  });
  const adapterClients = config.redis ? useRedisAdapter(io, config.redis, config.redisPrefix, log) : [];

  // Connected sockets only: Engine.IO sessions without an accepted handshake are not users.
  const metrics = new Metrics({ sockets: () => io.sockets.sockets.size, ready: () => isReady(store, () => draining) });
  ctx.observe = (event, outcome, seconds) => metrics.event(event, outcome, seconds);
  for (const c of adapterClients) c.on('error', () => metrics.redisError('adapter'));
  dropSlowConsumers(io, log);
  const broadcast = socketBroadcaster(io, (event) => {
    if (event === 'group:message') metrics.messageStored('group');
    else if (event === 'partner:message') metrics.messageStored('partner');
  });
  const flood = new FloodControl(store, config.rateLimits);
  // A client that keeps sending malformed events is broken or hostile: past its budget, it goes.
  ctx.onInvalid = (socket) => {
    flood.take('invalid', socket.data.user.id).catch((err: unknown) => {
      if (!(err instanceof AppError && err.code === 'RATE_LIMITED')) return;
      log.warn({ userId: socket.data.user.id, socketId: socket.id }, 'disconnected after too many invalid events');
      socket.disconnect(true);
    });
  };
  const webhook = config.escalation.webhook && new EscalationWebhook(config.escalation.webhook, log);
  const escalation = new EscalationService(store, broadcast, log, config.escalation, webhook);
  escalation.start();
  const push = new PushService(store, config.push, log, pushAgent);
  const alertRaised = async (a: StaffAlert, facilitators: string[]) => {
    // Not awaited: a slow push service must not hold up the ack of the message or report that
    // raised the alert (alertRaised never throws, and each send has its own timeout).
    void push.alertRaised(a, facilitators);
    await escalation.raised(a, facilitators);
  };
  const accessLog = new AccessLogService(store, config.accessLog.key, log, {
    retentionDays: config.accessLog.retentionDays,
    sweepMs: config.retentionSweepMs,
    node: config.accessLog.node,
  });
  if (config.accessLog.ephemeral)
    log.warn(
      'ACCESS_LOG_KEY is not set: the access log is chained under a key drawn for this process, which no restart or other node can verify',
    );
  accessLog.start();
  const disclosures = new DisclosureService(store, accessLog);
  const reports = new ReportService(store, broadcast, flood, accessLog, alertRaised);
  const programAlerts = new ProgramAlertService(store, broadcast, accessLog, (a) => alertRaised(a, []));
  const inbox = new AlertInbox(store, reports, programAlerts, accessLog, (seconds) => metrics.alertAcknowledged(seconds));
  const safety = new SafetyService(matchesCrisis, crisisResources, reports, programAlerts, broadcast, log);
  // Each wait that ends is attendance's waiting time (attendance is made just below).
  const waitingRoom = new WaitingRoom(store, broadcast, (g, u, since, until) => attendance.waited(g, u, since, until));
  const groups = new GroupService(store, broadcast, new RoomGate(store, flood), waitingRoom, accessLog, (m) => safety.afterGroupMessage(m));
  const agreements = new AgreementService(store);
  // Released messages go out through the partner service, made just below.
  const quiet = new QuietPartnerChat(store, broadcast, matchesCrisis, (d) => partners.deliverHeld(d), log, config.sessionCheckMs);
  quiet.start();
  const sessions = new SessionService(store, broadcast, log, config.sessionCheckMs, (g, s) => quiet.release(g, s));
  sessions.start();
  const attendance = new AttendanceService(store, log, { ttlMs: config.presenceTtlMs }, accessLog);
  attendance.start();
  const moderation = new ModerationService(store, broadcast, groups, sessions, waitingRoom, attendance, accessLog);
  const partners: PartnerService = new PartnerService(
    store,
    broadcast,
    flood,
    config.partnerLimit,
    (m, p) => safety.afterPartnerMessage(m, p),
    quiet,
  );
  const pairings = new StaffPairings(store, (p, by) => partners.finish(p, by), accessLog);
  const checkinRules = new CheckinRuleBook(store, config.checkinAlerts);
  const silence = new CheckinSilence(store, checkinRules, reports, log);
  silence.start();
  const checkins = new CheckinService(store, flood, reports, checkinRules, silence, accessLog);
  const presence = new PresenceService(store, broadcast, log, { ttlMs: config.presenceTtlMs }, (userId) =>
    // A list must never show someone gone; a failure here must not stop the presence announcement.
    waitingRoom
      .offline(userId)
      .catch((err: unknown) => log.warn({ userId, err: err instanceof Error ? err.name : typeof err }, 'waiting list cleanup failed')),
  );
  presence.start();
  const retention = new RetentionService(store, log, config.retentionDays, config.retentionSweepMs);
  retention.start();

  const privacy = new PrivacyService(store, broadcast, log, (groupId, userId) => waitingRoom.left(groupId, userId), accessLog);
  httpApp = createHttpApp({
    store,
    groups,
    agreements,
    moderation,
    sessions,
    attendance,
    reports,
    programAlerts,
    inbox,
    push,
    crisisResources,
    clientConfig: { idleLogoffSec: config.idleLogoffSec },
    partners,
    pairings,
    checkins,
    checkinRules,
    privacy,
    accessLog,
    disclosures,
    demo,
    verify,
    log,
    isDraining: () => draining,
    metrics,
    metricsToken: config.metrics.token,
  });
  const metricsHttp = config.metrics.port === undefined ? undefined : metricsServer(metrics);

  const track = (what: string, p: Promise<unknown>) => {
    ctx.inflight.count++;
    p.catch((err: unknown) => log.warn({ err: String(err) }, `${what} failed`)).finally(() => ctx.inflight.count--);
  };
  const attachListeners = socketListeners(ctx, {
    ...groupHandlers(groups, attendance),
    ...agreementHandlers(agreements),
    ...moderationHandlers(moderation, reports),
    ...partnerHandlers(partners),
    ...checkinHandlers(checkins),
    ...alertHandlers(inbox),
    ...pushHandlers(push),
  });
  // However a socket leaves a group's room (group:leave, disconnect, mod:remove, a ban, an
  // unenrolment, whichever node did it), the adapter tells this node, which owns the socket: its
  // time in the room ends.
  io.of('/').adapter.on('leave-room', (room: string, socketId: string) => {
    const groupId = groupOfRoom(room);
    if (groupId) track('attendance leave', attendance.left(groupId, socketId));
  });
  // One listener for every socket (the socket is `this`), not a closure each.
  function disconnected(this: AppSocket, reason: string) {
    log.debug({ userId: this.data.user.id, socketId: this.id, reason }, 'disconnected');
    track('presence down', presence.disconnected(this.data.user, this.id));
  }
  io.on('connection', (socket) => {
    const user = socket.data.user;
    log.debug({ userId: user.id, socketId: socket.id }, 'connected');
    track('presence up', presence.connected(user, socket.id));
    socket.on('disconnect', disconnected);
    attachListeners(socket);
  });

  const settled = async (maxMs: number) => {
    const until = Date.now() + maxMs;
    while (ctx.inflight.count > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  };

  const shutdown = async (): Promise<void> => {
    draining = true;
    presence.stop();
    retention.stop();
    accessLog.stop();
    silence.stop();
    escalation.stop();
    sessions.stop();
    attendance.stop();
    quiet.stop();
    // No new TCP connections; existing sockets keep being served until their acks are out.
    io.use((_socket, next) => next(new Error('server shutting down')));
    await settled(drainMs);
    // Closes every socket at the transport level, so clients see "transport close" and reconnect
    // (to another node behind the balancer); the adapter unsubscribes before Redis goes.
    const ioClosed = io.close(); // resolves once the HTTP server has no connection left
    // A browser may hold connections it has not sent a request on yet (Chromium's preconnects
    // linger 10 s), and those never count as idle: after a grace for requests in flight, close them.
    const cutOff = setTimeout(() => httpServer.closeAllConnections(), HTTP_CLOSE_GRACE_MS);
    await ioClosed;
    clearTimeout(cutOff);
    await settled(1000);
    await Promise.all(adapterClients.map((c) => c.quit().catch(() => c.disconnect())));
    await store.close();
    if (metricsHttp?.listening) await new Promise((r) => metricsHttp.close(r));
  };

  return {
    httpServer,
    io,
    metrics,
    async listen(port = config.port, host = config.host) {
      if (metricsHttp && config.metrics.port !== undefined) await listenOn(metricsHttp, config.metrics.port, host);
      return listenOn(httpServer, port, host);
    },
    metricsPort: () => (metricsHttp?.listening ? (metricsHttp.address() as AddressInfo).port : undefined),
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}

function listenOn(server: HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Fan-out across nodes on its own two connections: Redis pub/sub on one server; on a Redis
 * Cluster, sharded pub/sub (Redis 7), whose channels live on the shard that owns them instead of
 * being copied to every shard as classic PUBLISH is.
 */
function useRedisAdapter(io: AppServer, target: RedisTarget, prefix: string, log: Logger): RedisClient[] {
  // Auto-pipelined: the broadcasts of one tick go out in one write instead of a write each.
  const pub = connectRedis(target, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  const sub = connectRedis(target, { maxRetriesPerRequest: 2 }, { shardedSubscribers: true });
  for (const c of [pub, sub])
    c.on('error', (err: Error) => log.warn({ code: (err as { code?: string }).code ?? err.name }, 'adapter redis error'));
  guardPublishes(pub, log);
  io.adapter(
    target.cluster
      ? createShardedAdapter(pub, sub, { channelPrefix: `${prefix}socket.io` })
      : withOwnEchoSkipped(createAdapter(pub, sub, { key: `${prefix}socket.io` })),
  );
  return [pub, sub];
}

/** The adapter factory, each namespace's adapter with skipOwnEcho. Socket.IO calls it with `new`: no arrow function. */
function withOwnEchoSkipped(make: (nsp: unknown) => RedisAdapter): (nsp: unknown) => RedisAdapter {
  return function (nsp: unknown) {
    return skipOwnEcho(make(nsp));
  };
}

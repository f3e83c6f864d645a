#!/usr/bin/env bash
# Validates the deployment files without Docker: the load balancer config with the real nginx
# binary, the compose file with a compose parser (or YAML + structure checks with node), and,
# with --live, a real nginx in front of two real Bridge nodes on loopback ports.
#
#   bash scripts/validate-deploy.sh          # static checks
#   bash scripts/validate-deploy.sh --live   # also run nginx + 2 nodes; needs Redis (REDIS_URL)
#
# Needs nginx (Debian: apt-get install -y nginx-light) and, for the compose check, `docker
# compose` (v2 plugin) or `docker-compose` (Debian's 1.29 validates against the compose schema);
# without either it falls back to node + js-yaml (in node_modules after `npm ci`). Not part of
# `npm test`: CI machines need not have nginx. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

LIVE=0
for arg in "$@"; do
  case "$arg" in
    --live) LIVE=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

NGINX_CONF="$ROOT/deploy/nginx.conf"
COMPOSE_FILE="$ROOT/docker-compose.yml"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/bridge-validate.XXXXXX")"
PIDS=()
REDIS_CLEANUP=""
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n "$REDIS_CLEANUP" ]]; then eval "$REDIS_CLEANUP" || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
ok() { printf 'ok: %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

# A 32+ character placeholder so ${JWT_SECRET:?…} interpolates; nothing is signed with it.
export JWT_SECRET="${JWT_SECRET:-validate-deploy-placeholder-secret-0123456789}"

# --- 1. nginx config -------------------------------------------------------------------------
step "nginx -t on deploy/nginx.conf (compose hostnames replaced by loopback addresses)"
command -v nginx >/dev/null || fail "nginx is not installed (Debian: apt-get install -y nginx-light)"
nginx -v 2>&1
# bridge-N:3000 only resolves inside the compose network; nginx -t resolves upstream hosts, so
# the check runs on a copy where bridge-N:3000 becomes 127.0.0.1:310N. Nothing else changes.
grep -Eq '^\s*server\s+bridge-1:3000' "$NGINX_CONF" || fail "deploy/nginx.conf has no 'server bridge-1:3000' upstream"
sed -E 's/bridge-([0-9]+):3000/127.0.0.1:310\1/g' "$NGINX_CONF" >"$WORK/nginx.conf"
if grep -Eq '^\s*server\s+bridge-' "$WORK/nginx.conf"; then fail "an upstream server name was not substituted"; fi
diff "$NGINX_CONF" "$WORK/nginx.conf" | sed 's/^/  /' || true
nginx -t -e stderr -c "$WORK/nginx.conf" -g "pid $WORK/nginx.pid;" || fail "nginx -t rejected deploy/nginx.conf"
ok "nginx accepts deploy/nginx.conf"

# --- 2. compose file -------------------------------------------------------------------------
step "docker-compose.yml"
compose=()
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null; then
  compose=(docker-compose)
fi
if ((${#compose[@]})); then
  version="$("${compose[@]}" version 2>&1 || true)"
  echo "${version%%$'\n'*}"
  "${compose[@]}" -f "$COMPOSE_FILE" config -q || fail "${compose[*]} config rejected docker-compose.yml"
  ok "${compose[*]} -f docker-compose.yml config -q"
  if env -u JWT_SECRET "${compose[@]}" -f "$COMPOSE_FILE" config -q >/dev/null 2>&1; then
    fail "docker-compose.yml starts without JWT_SECRET; it must refuse"
  fi
  ok "without JWT_SECRET the compose file refuses to interpolate"
else
  echo "no docker compose / docker-compose here: YAML parse and structure checks with node only"
fi

# Structure and cross-file checks (always; they are what the fallback relies on).
node --input-type=module - "$COMPOSE_FILE" "$NGINX_CONF" <<'EOF'
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const [composeFile, nginxFile] = process.argv.slice(2);
const require = createRequire(process.cwd() + '/package.json');
let yaml;
try { yaml = require('js-yaml'); } catch { console.error('FAIL: js-yaml not found (run npm ci)'); process.exit(1); }
const doc = yaml.load(readFileSync(composeFile, 'utf8'));
const problems = [];
const need = (cond, msg) => { if (!cond) problems.push(msg); };
const s = doc?.services ?? {};
const nodes = Object.keys(s).filter((n) => /^bridge-\d+$/.test(n));
need(nodes.length >= 2, 'at least two bridge-N services');
need(s.redis?.image?.startsWith('redis:7'), 'redis service on redis:7');
const redisArgs = [s.redis?.command ?? []].flat().join(' ');
need(/--appendonly\s+yes\b/.test(redisArgs) && /--appendfsync\s+always\b/.test(redisArgs), 'redis with --appendonly yes --appendfsync always (the nodes run STORE_DURABILITY=fsync)');
need(s.redis?.healthcheck, 'redis healthcheck');
for (const n of nodes) {
  const svc = s[n];
  need(svc.build, `${n}: build`);
  need(svc.environment?.NODE_ENV === 'production', `${n}: NODE_ENV=production`);
  need(svc.environment?.REDIS_URL === 'redis://redis:6379', `${n}: REDIS_URL=redis://redis:6379`);
  need(svc.environment?.STORE_DURABILITY === 'fsync', `${n}: STORE_DURABILITY=fsync`);
  need(/^\$\{JWT_SECRET:\?/.test(svc.environment?.JWT_SECRET ?? ''), `${n}: JWT_SECRET required via \${JWT_SECRET:?…}`);
  need(JSON.stringify(svc.healthcheck?.test ?? '').includes('/readyz'), `${n}: healthcheck on /readyz`);
  need(svc.restart === 'unless-stopped', `${n}: restart unless-stopped`);
  need(svc.stop_grace_period === '12s', `${n}: stop_grace_period 12s`);
  need(svc.depends_on?.redis?.condition === 'service_healthy', `${n}: depends_on redis healthy`);
  need(!svc.ports, `${n}: not published (only the balancer is)`);
}
const lb = s.lb;
need(lb, 'an lb service');
if (lb) {
  need(/^nginx:/.test(lb.image ?? ''), 'lb: nginx image');
  need((lb.ports ?? []).some((p) => String(p.published ?? p).startsWith('8080')), 'lb: publishes 8080');
  need(lb.restart, 'lb: restart policy');
  need((lb.volumes ?? []).some((v) => String(v).startsWith('./deploy/nginx.conf:/etc/nginx/nginx.conf')), 'lb: mounts deploy/nginx.conf');
  for (const n of nodes) need(lb.depends_on?.[n], `lb: depends_on ${n}`);
}
const conf = readFileSync(nginxFile, 'utf8');
const upstreams = [...conf.matchAll(/^\s*server\s+(bridge-\d+):3000\b/gm)].map((m) => m[1]);
need(JSON.stringify([...upstreams].sort()) === JSON.stringify([...nodes].sort()), `nginx upstream servers (${upstreams}) match compose nodes (${nodes})`);
need(/^\s*listen\s+8080;/m.test(conf), 'nginx listens on 8080');
need(/proxy_set_header\s+Upgrade\s+\$http_upgrade/.test(conf) && /proxy_set_header\s+Connection\s+\$connection_upgrade/.test(conf), 'nginx passes WebSocket upgrade headers');
need(/proxy_set_header\s+X-Forwarded-For/.test(conf), 'nginx sets X-Forwarded-For');
const rt = /proxy_read_timeout\s+(\d+)s;/.exec(conf);
need(rt && Number(rt[1]) > 45, 'proxy_read_timeout above pingInterval + pingTimeout (45 s)');
need(/^\s*(ip_hash|hash\s+\S+)/m.test(conf), 'nginx upstream is sticky (ip_hash or hash)');
if (problems.length) { for (const p of problems) console.error(`FAIL: ${p}`); process.exit(1); }
console.log(`ok: compose structure (${nodes.join(', ')}, redis, lb) and nginx upstreams agree`);
EOF

# --- 3. live run -----------------------------------------------------------------------------
if ((LIVE == 0)); then
  printf '\nall static checks passed (add --live to run nginx in front of two real nodes)\n'
  exit 0
fi

step "live: nginx in front of two Bridge nodes on loopback"
BASE_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
# Database 11 of that Redis, under a prefix of this run's own.
LIVE_REDIS_URL="$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/11"; console.log(u.href)' "$BASE_URL")"
PREFIX="lbtest-$$-$RANDOM:"
for tool in redis-cli curl; do command -v "$tool" >/dev/null || fail "--live needs $tool"; done
redis-cli -u "$LIVE_REDIS_URL" ping >/dev/null || fail "Redis at $LIVE_REDIS_URL does not answer"
# Only this run's keys go, never the whole database.
REDIS_CLEANUP="redis-cli -u '$LIVE_REDIS_URL' --scan --pattern '${PREFIX}*' | xargs -r redis-cli -u '$LIVE_REDIS_URL' del >/dev/null"
read -r P1 P2 LBP < <(node -e "
  const net = require('node:net');
  const one = () => new Promise((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
  Promise.all([one(), one(), one()]).then((ps) => console.log(ps.join(' ')));")
LIVE_SECRET="live-$(node -e "console.log(require('node:crypto').randomBytes(24).toString('hex'))")"
for i in 1 2; do
  port_var="P$i"
  NODE_ENV=production HOST=127.0.0.1 PORT="${!port_var}" REDIS_URL="$LIVE_REDIS_URL" REDIS_PREFIX="$PREFIX" \
    JWT_SECRET="$LIVE_SECRET" LOG_LEVEL=warn node --import tsx server/index.ts >"$WORK/node$i.log" 2>&1 &
  PIDS+=($!)
done
sed -E "s/bridge-1:3000/127.0.0.1:$P1/; s/bridge-2:3000/127.0.0.1:$P2/; s/listen 8080;/listen 127.0.0.1:$LBP;/" "$NGINX_CONF" >"$WORK/live.conf"
nginx -e stderr -c "$WORK/live.conf" -g "pid $WORK/live.pid; daemon off;" >"$WORK/access.log" 2>"$WORK/nginx.err" &
PIDS+=($!)
echo "nodes on 127.0.0.1:$P1 and :$P2, nginx on 127.0.0.1:$LBP, Redis $LIVE_REDIS_URL prefix $PREFIX"
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$P1/readyz" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$P2/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
# Stickiness is by client address: find two loopback source addresses that nginx pins to
# different nodes, so the fan-out check really crosses nodes.
declare -A pinned=()
for i in $(seq 2 30); do
  curl -fsS -o /dev/null --interface "127.0.0.$i" "http://127.0.0.1:$LBP/healthz" || fail "GET /healthz from 127.0.0.$i through nginx"
done
sleep 0.2
while read -r addr up; do [[ -z "${pinned[$up]:-}" ]] && pinned[$up]="$addr"; done < <(
  grep '"GET /healthz"' "$WORK/access.log" | sed -E 's/^([0-9.]+) .* upstream=([^ ]+) .*/\1 \2/')
A_IP="${pinned[127.0.0.1:$P1]:-}"; B_IP="${pinned[127.0.0.1:$P2]:-}"
[[ -n "$A_IP" && -n "$B_IP" ]] || fail "29 client addresses all landed on one node: $(declare -p pinned)"
echo "client 127.0.0.1 -> whichever node; $A_IP -> node 1 (:$P1); $B_IP -> node 2 (:$P2)"
for _ in 1 2 3; do
  for pair in "$A_IP $P1" "$B_IP $P2"; do
    read -r addr port <<<"$pair"
    curl -fsS -o /dev/null --interface "$addr" "http://127.0.0.1:$LBP/healthz"
  done
done
sleep 0.2
sticky_ok=1
for pair in "$A_IP $P1" "$B_IP $P2"; do
  read -r addr port <<<"$pair"
  n_other=$(grep "^$addr " "$WORK/access.log" | grep -vc "upstream=127.0.0.1:$port " || true)
  ((n_other == 0)) || sticky_ok=0
done
((sticky_ok)) || fail "a client address reached more than one node"
ok "every request from one address reached the same node"

LB="http://127.0.0.1:$LBP" A_IP="$A_IP" B_IP="$B_IP" JWT_SECRET="$LIVE_SECRET" node --input-type=module - <<'EOF' || { tail -5 "$WORK"/node*.log "$WORK/nginx.err" >&2; fail "live checks"; }
import { createRequire } from 'node:module';
import http from 'node:http';
const require = createRequire(process.cwd() + '/package.json');
const { io } = require('socket.io-client');
const jwt = require('jsonwebtoken');
const LB = process.env.LB;
const exp = Math.floor(Date.now() / 1000) + 300;
const token = (sub, role = 'participant') => jwt.sign({ sub, name: sub, role, exp }, process.env.JWT_SECRET, { algorithm: 'HS256' });
const within = (ms, what, p) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`timeout: ${what}`)), ms))]);
let failed = 0;
const check = (name, cond, detail = '') => { if (!cond) failed++; console.log(`${cond ? 'ok' : 'FAIL'}: ${name}${detail ? ` (${detail})` : ''}`); };
const connect = (opts) => {
  const s = io(LB, { reconnection: false, forceNew: true, ...opts });
  s.io.once('open', () => { s.first = s.io.engine.transport.name; });
  return within(8000, 'connect', new Promise((res, rej) => { s.on('connect', () => res(s)); s.on('connect_error', rej); }));
};
const api = async (method, path, body) => {
  const r = await fetch(LB + path, { method, headers: { authorization: `Bearer ${token('admin', 'admin')}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const j = await r.json(); if (!j.ok) throw new Error(`${path}: ${JSON.stringify(j)}`); return j.data;
};
try {
  const r = await fetch(`${LB}/readyz`);
  check('GET /readyz through nginx', r.status === 200, `${r.status}`);
  const { group } = await api('POST', '/api/groups', { name: 'validate-deploy' });
  for (const u of ['a', 'b']) await api('PUT', `/api/groups/${group.id}/members/${u}`, { role: 'participant' });
  const p = await connect({ auth: { token: token('a') }, transports: ['polling'] });
  const sends = [];
  for (let i = 0; i < 3; i++) sends.push((await within(5000, 'send', p.emitWithAck('group:send', { groupId: group.id, text: `p${i}`, clientMsgId: `p${i}` }))).ok);
  check('polling-only session: connect and 3 acked sends', p.io.engine.transport.name === 'polling' && sends.every(Boolean));
  p.close();
  const w = await connect({ auth: { token: token('a') }, transports: ['websocket'] });
  check('websocket-only session connects', w.io.engine.transport.name === 'websocket');
  w.close();
  // Two loopback source addresses that nginx pins to different nodes.
  const a = await connect({ auth: { token: token('a') }, agent: new http.Agent({ localAddress: process.env.A_IP }) });
  await within(5000, 'upgrade', new Promise((res) => (a.io.engine.transport.name === 'websocket' ? res() : a.io.engine.once('upgrade', res))));
  check('default session upgrades polling -> websocket', a.first === 'polling' && a.io.engine.transport.name === 'websocket', `${a.first} -> ${a.io.engine.transport.name}`);
  const b = await connect({ auth: { token: token('b') }, agent: new http.Agent({ localAddress: process.env.B_IP }) });
  await a.emitWithAck('group:join', { groupId: group.id });
  await b.emitWithAck('group:join', { groupId: group.id });
  const got = within(5000, 'fan-out', new Promise((res) => b.on('group:message', (m) => m.text === 'hello' && res(m))));
  await a.emitWithAck('group:send', { groupId: group.id, text: 'hello', clientMsgId: 'h' });
  check('a message sent on node 1 reaches a client on node 2, both through nginx', Boolean(await got));
  a.close(); b.close();
} catch (e) { check('live run', false, e.message); }
process.exit(failed ? 1 : 0);
EOF
echo "Socket.IO requests per client address and node (nginx's access log):"
grep '/socket.io/' "$WORK/access.log" | sed -E 's/^([0-9.]+) .* upstream=([^ ]+) .*/\1 -> \2/' | sort | uniq -c | sed 's/^/  /'
ok "live run through nginx"
printf '\nall checks passed\n'

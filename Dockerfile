# Bridge node image. Two stages: `deps` installs production dependencies only (tsx is one: the
# server runs from its TypeScript sources, there is no build step; esbuild and socket.io-client
# are too: the node bundles the browser client in memory at start); `runtime` copies those
# node_modules plus only what runs: shared/, server/, client/, tsconfig.json, package*.json.
# Tests, benches, docs and the dev toolchain (typescript, mocha, playwright-core) never enter it.

FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
# Everything stays owned by root and is only readable by the runtime user: the process cannot
# rewrite its own code. It writes nothing but tsx's compile cache, which goes to /tmp.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY shared ./shared
COPY server ./server
COPY client ./client
# The official image's unprivileged user (uid 1000).
USER node
EXPOSE 3000
# Liveness only (the process answers HTTP); compose checks readiness on /readyz. Slim images
# have no curl or wget, so node's own fetch does the request.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',{signal:AbortSignal.timeout(2500)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM starts the graceful shutdown (refuse new connections, finish in-flight acks, close
# sockets so clients reconnect elsewhere, exit 0 within 9 s). node runs as PID 1 directly, not
# under npm, which would not pass the signal on.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "server/index.ts"]

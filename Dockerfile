# Bridge node image. Three stages: `build` installs everything and runs `npm run build` (tsc
# type-checks and compiles server/ and shared/ to JavaScript; esbuild bundles the browser client
# into files); `deps` installs production dependencies only (no tsx, esbuild or typescript: they
# are dev dependencies); `runtime` copies those node_modules and the build output, and runs it with
# plain `node`. Sources, tests, benches, docs and the dev toolchain never enter the runtime image.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY shared ./shared
COPY server ./server
COPY client ./client
COPY scripts/build.ts ./scripts/build.ts
RUN npm run build

FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
# Everything stays owned by root and is only readable by the runtime user: the process cannot
# rewrite its own code, and writes nothing.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
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
CMD ["node", "dist/server/index.js"]

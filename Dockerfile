FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY shared ./shared
COPY server ./server
COPY client ./client
COPY tsconfig.json ./
USER node
EXPOSE 3000
# npm would swallow SIGTERM; run node directly so graceful shutdown works.
CMD ["node", "--import", "tsx", "server/index.ts"]

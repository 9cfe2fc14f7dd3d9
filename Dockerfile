# Promptlog: one container serving the API and the web app.
# With DATABASE_URL it uses that PostgreSQL; without, an embedded database in /var/lib/promptlog.
# Node 24, the active LTS (Node 20 is past its end of life; the code still runs on Node 20.19+ outside the image).
FROM node:24-slim

# pnpm from npm rather than corepack, whose signature check fails against some registries.
RUN npm install --global pnpm@10.34.9 && pnpm --version

WORKDIR /app

# Dependencies first, keyed on the lockfile only, so source edits reuse this layer.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN pnpm fetch

COPY . .
# Builds the web app and the server bundle now: at run time the tree belongs to root and the server only reads it.
RUN pnpm install --frozen-lockfile --prefer-offline && pnpm build

# Only now: NODE_ENV=production during install would have skipped the build tools.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    PROMPTLOG_HEALTH_PORT=3001 \
    PROMPTLOG_DATA_DIR=/var/lib/promptlog

RUN mkdir -p /var/lib/promptlog && chown node:node /var/lib/promptlog
VOLUME ["/var/lib/promptlog"]
USER node

# 3001 answers only GET /api/health, so probes never wait behind API clients' connections; it need not be published.
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PROMPTLOG_HEALTH_PORT || process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "apps/server/dist/server.mjs"]

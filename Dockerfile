# The Backfill marketplace as one image: the web process, the background workers and the migrations
# (docs/deploy.md). The same image runs every role; the command picks it:
#
#   npm run serve     the production web process (the default command), listening on PORT (3000)
#   npm run worker    the background loops; run as many as you like beside the web instances
#   npm run migrate   applies the committed migrations, then exits
#
#   docker build -t backfill:local .
#   docker build -t backfill:local --build-arg STORAGE_BACKEND=s3 --build-arg S3_ENDPOINT=https://… .
#
# STORAGE_BACKEND and S3_ENDPOINT are read when the app is built: the pages' content security policy admits
# the bucket's origin, so browsers may upload to it. Build with the values the containers will run with.
#
# The scripts run TypeScript through tsx and import the sources (`@/lib/…`), so the runtime stage keeps them
# beside the production build; it has the production dependencies only, no compilers, linters or test tools.

# Pinned by tag, like deploy/agent/Dockerfile.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# Every dependency, for the build.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# The production dependencies only (tsx, next, pg, …), for the runtime stage.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# `npm run build`: the Next.js production build (with its type check) and the node agent's bundle in dist/agent.
FROM deps AS build
ARG STORAGE_BACKEND=local
ARG S3_ENDPOINT=
ENV NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN npm run build && rm -rf .next/cache

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    PORT=3000
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
# What `npm run serve|worker|migrate` load at run time: package.json (the scripts, and the version the agent
# reports), tsconfig.json (tsx resolves `@/` through it), next.config.ts (Next.js reads it when it starts), the
# sources the scripts import (lib/ holds the migrations and the compiled contracts), the files the app serves
# from disk (workloads/render, deploy/agent) and the build itself.
COPY --from=build /app/package.json /app/package-lock.json /app/tsconfig.json /app/next.config.ts ./
COPY --from=build /app/lib ./lib
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/simulator ./simulator
COPY --from=build /app/workloads ./workloads
COPY --from=build /app/deploy/agent ./deploy/agent
COPY --from=build /app/dist ./dist
COPY --from=build /app/.next ./.next
# The code stays root's and read-only to the app; it writes only DATA_DIR (.data: with STORAGE_BACKEND=local the
# blobs, mounted as a volume every instance shares) and Next.js's cache.
RUN mkdir -p .data .next/cache && chown node:node .data .next/cache
USER node
EXPOSE 3000
# Liveness: 200 while the process is up, 503 once it drains after SIGTERM. Readiness (/api/v1/health/ready) gates
# rollouts and alerts (docs/deploy.md). A worker has no HTTP port: compose.yaml turns this check off there.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/v1/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "run", "serve"]

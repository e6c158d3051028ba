# Licencias PYMES: built with the dev dependencies, run as compiled JavaScript
# with plain node, as a non-root user, the database on the /data volume.
#
#   docker build -t licencias-pymes .
#   docker run -d --name licencias-pymes --env-file .env -p 127.0.0.1:3978:3978 \
#     -v licencias-data:/data licencias-pymes
#
# The README's "Running in production" section explains each setting.

ARG NODE_IMAGE=node:22-bookworm-slim

# --- build: every dependency, then `npm run build` (dist/) --------------------
FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# .npmrc: yes=true lets botbuilder-dialogs' postinstall (npx rimraf) run unattended.
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# --- runtime: production dependencies and dist/ only --------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    DATABASE_PATH=/data/licencias.db
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The compilers are only needed while better-sqlite3 builds: removed in the same layer.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && npm ci --omit=dev \
 && npm cache clean --force \
 && apt-get purge -y --auto-remove python3 make g++ \
 && rm -rf /var/lib/apt/lists/* /root/.npm
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3978
# node, not curl (the slim image has none): GET /healthz on this container's PORT.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "dist/cli/healthcheck.js"]
# The server itself is PID 1 and handles SIGTERM: requests in flight finish, the
# database is checkpointed, it exits 0 within 10 s (docker stop waits 10 s).
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=16", "--max-old-space-size=256", "dist/main.js"]

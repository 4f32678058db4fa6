# syntax=docker/dockerfile:1
# The matcher daemon: `docker build -t matcher .` then `docker run matcher` (= `matcher run`).
# Three stages: production dependencies, a build with the dev dependencies, and a small runtime image
# holding only package.json, the production node_modules, dist/ and stix/.

# Node.js 24: an LTS line (security fixes until April 2028) and one the project's tests run on.
ARG NODE_IMAGE=node:24-alpine

# Production dependencies only. --ignore-scripts: the package's `prepare` script builds with tsc,
# which is a dev dependency; no production dependency needs an install script.
FROM ${NODE_IMAGE} AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# Compiles TypeScript to dist/ with the dev dependencies (tsc).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    MATCHER_STATE_DIR=/var/lib/matcher
WORKDIR /app
# Owned by root and read-only to the daemon: it can change none of its own code.
COPY package.json ./
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY stix ./stix
# The only directory the daemon writes besides /tmp: checkpoints and the Neo4j spill file.
# Mount a volume here (Kubernetes: emptyDir or hostPath) so the root filesystem can be read-only.
RUN mkdir -p /var/lib/matcher && chown 1000:1000 /var/lib/matcher
# The base image's unprivileged `node` user, by number so runAsNonRoot can verify it.
USER 1000:1000
# 9090: /healthz, /readyz, /metrics. 9880: the audit webhook receiver, when enabled.
EXPOSE 9090 9880
# Exec form, no shell and no npm: node is PID 1 and receives SIGTERM itself; the daemon handles it
# (a graceful stop within MATCHER_SHUTDOWN_GRACE_MS). No HEALTHCHECK: Kubernetes probes /healthz, /readyz.
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["run"]

# syntax=docker/dockerfile:1
#
# One image per leadscore service, chosen at build time:
#   docker build --build-arg SERVICE=ingest -t leadscore-ingest .
# or at run time (same image, another service):
#   docker run -e SERVICE=scoring leadscore-ingest
#
# Workspace packages are consumed as TypeScript source (package exports point at src/*.ts), so the
# services run through tsx and the runtime image keeps the workspace's dev dependencies. The build
# type-checks everything first: an image is never built from code that does not compile.

ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS base
ENV PNPM_HOME=/pnpm
ENV PATH=${PNPM_HOME}:${PATH}
# corepack provides the pnpm version pinned by "packageManager" in package.json.
RUN corepack enable
WORKDIR /app

FROM base AS build
# Dependencies first, from the lockfile alone, so source edits do not invalidate this layer.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm fetch
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm install --offline --frozen-lockfile
RUN pnpm exec tsc -b

FROM base AS runtime
ARG SERVICE=api
ENV NODE_ENV=production \
    SERVICE=${SERVICE}
COPY --from=build --chown=node:node /app /app
USER node
# exec: node becomes PID 1 and receives SIGTERM itself, so graceful shutdown runs on `docker stop`.
CMD ["sh", "-c", "exec node --import tsx \"services/${SERVICE}/src/main.ts\""]

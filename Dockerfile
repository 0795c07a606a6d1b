# One image for both processes: the sync server (default command) and the Next app
# (`command: ["npx", "next", "start", ...]` in docker-compose.yml).
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be downloaded
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 make g++ >/dev/null && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# npm ci can refuse this lockfile on mirrors lacking non-linux optional packages (npm/cli#9846)
RUN npm ci --no-audit --no-fund || npm install --no-audit --no-fund --no-save
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npx next build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOST=0.0.0.0 PORT=1234 DATA_DIR=/data
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 1234 3000
# tsx is a runtime dependency: the server runs from its TypeScript sources
CMD ["node", "--import", "tsx", "server/index.ts"]

#!/usr/bin/env bash
# One command for the whole product on an embedded default: `npm start`.
# `npm run start:cluster` (--cluster): the production topology on this machine — the real
# Temporal server on PostgreSQL, two workers and two APIs from the compiled code.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--cluster" ]; then
  bash scripts/setup.sh --cluster
  # Compile (npm run build) when dist/ is missing or older than any source.
  if [ ! -f dist/.built ] || [ -n "$(find api activities domain lib workflows worker dev-outbox scripts web/server web/src web/index.html prisma/schema.prisma package-lock.json -newer dist/.built -print -quit)" ]; then
    echo "[start] compiling (npm run build)"
    npm run build --silent
    touch dist/.built
  fi
  exec node --import tsx scripts/start.ts --cluster
fi
bash scripts/setup.sh
# Build the web UI when it is missing or older than its sources.
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html web/vite.config.ts -newer web/dist/index.html -print -quit)" ]; then
  echo "[start] building the web UI"
  npx vite build --config web/vite.config.ts --logLevel error
fi
exec node --import tsx scripts/start.ts

#!/usr/bin/env bash
# One command for the whole product on an embedded default: `npm start`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Build the web UI when it is missing or older than its sources.
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html web/vite.config.ts -newer web/dist/index.html -print -quit)" ]; then
  echo "[start] building the web UI"
  npx vite build --config web/vite.config.ts --logLevel error
fi
exec node --import tsx scripts/start.ts

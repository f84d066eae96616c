#!/usr/bin/env bash
# The whole test suite, as a newcomer and CI run it: `npm test`.
# Installs what it needs (scripts/setup.sh --test), type-checks, lints and checks the format, builds the web UI
# for the browser tests, then runs unit, workflow, API and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
echo "[test] type-checking, linting, checking the format (npm run check)"
npm run --silent check
echo "[test] building the web UI"
npx vite build --config web/vite.config.ts --logLevel error
mkdir -p .data
report=.data/jest-report.json
set +e
npx jest --ci --json --outputFile="$report" "$@"
status=$?
set -e
node -e '
  const r = require(require("path").resolve(process.argv[1]));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$report" || true
exit $status

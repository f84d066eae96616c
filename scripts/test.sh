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
# --forceExit: a handle someone left open (a socket, a child's pipe) must not keep a finished run from
# ending; the global teardown bounds its own steps (test/support/infra.ts).
npx jest --ci --forceExit --json --outputFile="$report" "$@"
status=$?
set -e
reports=("$report")

# The whole suite once more at another instant: the calendar's edges (a month start, 1 January, a
# second before midnight in Shanghai, the 29th-31st, a leap day), so that no test or default range
# depends on where the wall clock stands. Only for the full run (no arguments); TEST_NOW picks one.
if [ $# -eq 0 ]; then
  instants=(2026-12-01T00:00:05+08:00 2027-01-01T00:00:05+08:00 2026-12-31T23:59:50+08:00 2027-01-29T09:30:00+08:00 2027-01-30T15:00:00+08:00 2027-01-31T23:59:50+08:00 2028-02-29T08:00:00+08:00)
  shifted="${TEST_NOW:-${instants[$((RANDOM % ${#instants[@]}))]}}"
  echo "[test] the unit and api projects again with the app's clock at TEST_NOW=$shifted"
  shifted_report=.data/jest-report-shifted.json
  set +e
  # Left out of it: the crash tests and the compiled build, whose subject (a kill -9, a production
  # image) has no calendar in it and which take nearly a third of the api project's time.
  TEST_NOW="$shifted" npx jest --ci --forceExit --json --outputFile="$shifted_report" --selectProjects unit api \
    --testPathIgnorePatterns '/node_modules/' 'test/integration/(import-crash|signing-crash|compiled-build)\.test\.ts$'
  shifted_status=$?
  set -e
  reports+=("$shifted_report")
  [ $status -ne 0 ] || status=$shifted_status
fi

node -e '
  const rs = process.argv.slice(1).map((f) => { try { return require(require("path").resolve(f)); } catch { return null; } }).filter(Boolean);
  const sum = (k) => rs.reduce((s, r) => s + r[k], 0);
  console.log(`tests: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed` + (sum("numPendingTests") ? `, ${sum("numPendingTests")} skipped` : ""));
' "${reports[@]}" || true
exit $status

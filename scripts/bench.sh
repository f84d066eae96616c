#!/usr/bin/env bash
# Benchmarks: `npm run bench`. Prints the figures (and keeps them in bench/results/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --cluster
# The API and the worker run compiled, as in production.
npm run --silent build
npx tsx bench/onboarding-load.ts
BENCH_TOPOLOGY=cluster npx tsx bench/onboarding-load.ts
npx tsx bench/signing-batch.ts
npx tsx bench/member-import.ts
npx tsx bench/statements.ts
npx tsx bench/operator-console.ts
npx tsx bench/application-centre.ts
npx tsx bench/openapi-orders.ts

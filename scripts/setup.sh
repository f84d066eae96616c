#!/usr/bin/env bash
# Installs what the product needs, cached outside the clone so a fresh clone on
# the same machine reuses it:  scripts/setup.sh            (run the product)
#                              scripts/setup.sh --cluster  (also the Temporal cluster server)
#                              scripts/setup.sh --test     (also the test tools, cluster included)
# A binary already on PATH is preferred over building one.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/yst-onboarding"
TEMPORAL_CLI_VERSION=v1.5.1   # newest tag `go install` accepts (later ones carry a replace directive)
# The cluster server: keep equal to TEMPORAL_SERVER_VERSION in lib/dev-stack/temporal-cluster.ts
# and to the image tags of docker-compose.yml (lib/deployment.test.ts checks all three).
TEMPORAL_SERVER_VERSION=v1.29.1
TEST_SERVER_VERSION=$(sed -n 's:.*<version>\(1\.[0-9.]*\)</version>.*:\1:p' scripts/test-server/pom.xml | head -1)
mkdir -p .tools/bin "$CACHE"
log() { printf '[setup] %s\n' "$*"; }

# 1. npm packages (npm's own cache lives in ~/.npm).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 2. Temporal CLI (dev server): on PATH, cached, or built from its Go module.
if [ ! -x .tools/bin/temporal ]; then
  if existing=$(command -v temporal 2>/dev/null); then
    log "using temporal from PATH: $existing"
    ln -sf "$existing" .tools/bin/temporal
  else
    cli="$CACHE/temporal-cli-$TEMPORAL_CLI_VERSION/temporal"
    if [ ! -x "$cli" ]; then
      command -v go >/dev/null || { echo "Go >= 1.25 is needed to build the Temporal CLI (or put 'temporal' on PATH)" >&2; exit 1; }
      log "building Temporal CLI $TEMPORAL_CLI_VERSION from its Go module (first time only, a few minutes)"
      mkdir -p "$(dirname "$cli")"
      if ! GOBIN="$(dirname "$cli")" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"; then
        # Without the checksum database the module's own go.sum still pins every dependency.
        log "retrying with GOSUMDB=off (checksum database unreachable)"
        GOSUMDB=off GOBIN="$(dirname "$cli")" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
      fi
    fi
    ln -sf "$cli" .tools/bin/temporal
  fi
fi

[ -n "${1:-}" ] || exit 0

# 3. The Temporal cluster server and its schema tool, from the server's Go module, with the
#    module's PostgreSQL schema (temporal-sql-tool applies it).
server_dir="$CACHE/temporal-server-$TEMPORAL_SERVER_VERSION"
if [ ! -f "$server_dir/.complete" ]; then
  if existing=$(command -v temporal-server 2>/dev/null) && sql=$(command -v temporal-sql-tool 2>/dev/null) && [ -n "${TEMPORAL_SCHEMA_DIR:-}" ]; then
    log "using temporal-server and temporal-sql-tool from PATH, schema from $TEMPORAL_SCHEMA_DIR"
    mkdir -p "$server_dir" && ln -sf "$existing" "$server_dir/server" && ln -sf "$sql" "$server_dir/sql"
    cp -r "$TEMPORAL_SCHEMA_DIR" "$server_dir/schema"
  else
    command -v go >/dev/null || { echo "Go >= 1.25 is needed to build the Temporal server (or put temporal-server and temporal-sql-tool on PATH and set TEMPORAL_SCHEMA_DIR)" >&2; exit 1; }
    log "building Temporal server $TEMPORAL_SERVER_VERSION and temporal-sql-tool from the Go module (first time only, a few minutes)"
    mkdir -p "$server_dir"
    for pkg in cmd/server cmd/tools/sql; do
      GOBIN="$server_dir" go install "go.temporal.io/server/$pkg@$TEMPORAL_SERVER_VERSION" \
        || GOSUMDB=off GOBIN="$server_dir" go install "go.temporal.io/server/$pkg@$TEMPORAL_SERVER_VERSION"
    done
    module=$(go mod download -json "go.temporal.io/server@$TEMPORAL_SERVER_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    rm -rf "$server_dir/schema" && cp -r "$module/schema" "$server_dir/schema" && chmod -R u+w "$server_dir/schema"
  fi
  touch "$server_dir/.complete"
fi
ln -sf "$server_dir/server" .tools/bin/temporal-server
ln -sf "$server_dir/sql" .tools/bin/temporal-sql-tool
ln -sfn "$server_dir/schema" .tools/temporal-schema

[ "${1:-}" = "--test" ] || exit 0

# 4. Temporal's Java time-skipping test server, from Maven Central.
lib="$CACHE/temporal-test-server-$TEST_SERVER_VERSION/lib"
if [ ! -f "$lib/.complete" ]; then
  command -v mvn >/dev/null || { echo "Maven and a JDK are needed for the workflow tests' test server" >&2; exit 1; }
  log "collecting Temporal test server $TEST_SERVER_VERSION from Maven Central"
  mvn -q -f scripts/test-server/pom.xml dependency:copy-dependencies -DoutputDirectory="$lib" -DincludeScope=runtime
  touch "$lib/.complete"
fi
# The SDK kills the server with SIGKILL: exec, so no shell is left holding the port.
cat > .tools/bin/temporal-test-server <<WRAPPER
#!/bin/sh
exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$lib/*" io.temporal.testserver.TestServer "\$@"
WRAPPER
chmod +x .tools/bin/temporal-test-server

# 5. Chromium for the browser tests, from Debian.
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing chromium from Debian"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is needed for the browser tests: install Debian's 'chromium' package" >&2
    exit 1
  fi
fi
log "ready"

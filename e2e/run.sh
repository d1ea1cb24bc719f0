#!/usr/bin/env bash
# End-to-end tests of the browser client (src/main/resources/META-INF/resources) in headless Chromium.
# Builds nothing: it runs the packaged server (./mvnw -B package -DskipTests, or verify) on a free loopback port,
# with the memory engine, for the length of the tests, and stops it by pid whatever happens.
# Screenshots of the final state and the server's log go to target/e2e/.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
jar="$root/target/quarkus-app/quarkus-run.jar"
out="$root/target/e2e"

fail() {
    echo "E2E FAILED: $*" >&2
    exit 1
}

[[ -f $jar ]] || fail "$jar is missing: build it first (./mvnw -B package -DskipTests)"

if [[ ! -x /usr/bin/chromium ]]; then
    echo "== installing Debian's chromium"
    apt-get update -qq || fail "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || fail "apt-get install chromium"
fi

echo "== npm ci"
npm ci --no-audit --no-fund || fail "npm ci"

mkdir -p "$out"
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
url="http://127.0.0.1:$port"

echo "== starting the server on $url (log: target/e2e/server.log)"
QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$port SWITCHBOARD_ENGINE=memory SWITCHBOARD_AUTH_MODE=dev \
    java -jar "$jar" >"$out/server.log" 2>&1 &
server=$!
stop_server() {
    kill "$server" 2>/dev/null || return 0
    wait "$server" 2>/dev/null || true # it ends on our SIGTERM: not a failure
}
trap stop_server EXIT

ready() {
    node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url/q/health/ready"
}
for _ in $(seq 1 60); do
    ready && break
    kill -0 "$server" 2>/dev/null || { cat "$out/server.log" >&2; fail "the server exited before it was ready"; }
    sleep 1
done
ready || { tail -50 "$out/server.log" >&2; fail "the server was not ready within 60 s"; }

echo "== node --test"
SWITCHBOARD_URL=$url node --test --test-reporter=spec || fail "the browser tests failed (screenshots in target/e2e/)"

#!/usr/bin/env bash
# Side-by-side benchmark: Switchboard (two instances, distributed engine) and the Socket.IO + Redis adapter peer
# (two instances), driven by the same load generator (../../shared/bench/loadgen.mjs), loopback only.
#
#   bench/run.sh [fanout|idle|direct] [--no-build]
#
# Results (JSON per run and RESULTS.md) go to bench/results/. Every process started here is stopped by pid.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=$(cd "$root/../shared/bench" && pwd)
work="$here/.work"
results="$here/results"
scenario=${1:-fanout}
build=1
[[ "${2:-}" == "--no-build" ]] && build=0
mkdir -p "$work" "$results"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# shared/ is read-only: the load generator and the peer run from copies, with their own node_modules.
rsync -a --delete --exclude node_modules --exclude .logs "$shared/" "$work/kit/"
(cd "$work/kit" && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error >/dev/null)
(cd "$work/kit/peer-socketio" && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error >/dev/null)
if [[ $build == 1 ]]; then
    (cd "$root" && ./mvnw -B -q package -DskipTests)
fi

case $scenario in
    fanout) load=(--conns 2000 --rooms 20 --senders 20 --rate 400 --seconds 20 --workers 2) ;;
    idle) load=(--conns 5000 --rooms 50 --seconds 10 --settle 5) ;;
    direct) load=(--conns 2000 --rooms 20 --senders 200 --rate 1000 --seconds 20 --mode direct --workers 2) ;;
    *) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac

pids=()
stop() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    pids=()
}
trap stop EXIT

wait_http() {
    for _ in $(seq 300); do
        [[ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" == 200 ]] && return 0
        sleep 0.2
    done
    echo "not ready: $1" >&2
    exit 1
}

redis_pid=$(redis-cli info server | tr -d '\r' | sed -n 's/^process_id://p')
tag=$(date +%s)

echo "== Switchboard: two instances, distributed engine"
prefix="bench-$tag:"
exchange="bench-$tag"
for k in 1 2; do
    port=$((18180 + k))
    SWITCHBOARD_ENGINE=distributed SWITCHBOARD_AUTH_MODE=dev SERVER_ID="bench-$tag-$k" QUARKUS_HTTP_PORT=$port \
        SWITCHBOARD_REDIS_KEY_PREFIX=$prefix SWITCHBOARD_RABBITMQ_EXCHANGE=$exchange \
        SWITCHBOARD_LIMITS_MESSAGES_PER_SECOND=1000 SWITCHBOARD_LIMITS_BURST=1000 \
        java -Xms256m -Xmx256m -jar "$root/target/quarkus-app/quarkus-run.jar" >"$work/switchboard-$k.log" 2>&1 &
    pids+=($!)
done
wait_http http://127.0.0.1:18181/q/health/ready
wait_http http://127.0.0.1:18182/q/health/ready
node "$work/kit/loadgen.mjs" --target switchboard --urls ws://127.0.0.1:18181,ws://127.0.0.1:18182 \
    --pids "$(IFS=,; echo "${pids[*]}")" --watch-pids "$redis_pid" "${load[@]}" \
    --json "$results/$scenario-switchboard.json" --label switchboard | tee "$work/$scenario-switchboard.txt"
stop
redis-cli --scan --pattern "$prefix*" | xargs -r -n 500 redis-cli del >/dev/null
rabbitmqctl -q delete_queue "$exchange.unroutable" >/dev/null 2>&1 || true
for k in 1 2; do rabbitmqctl -q delete_queue "$exchange.server.bench-$tag-$k" >/dev/null 2>&1 || true; done

echo "== peer: two Socket.IO + redis-adapter instances"
for k in 1 2; do
    port=$((18280 + k))
    PORT=$port SERVER_ID=peer-$k REDIS_URL=redis://127.0.0.1:6379 HOST=127.0.0.1 \
        node "$work/kit/peer-socketio/server.js" >"$work/peer-$k.log" 2>&1 &
    pids+=($!)
done
wait_http http://127.0.0.1:18281/health
wait_http http://127.0.0.1:18282/health
node "$work/kit/loadgen.mjs" --target socketio --urls ws://127.0.0.1:18281,ws://127.0.0.1:18282 \
    --pids "$(IFS=,; echo "${pids[*]}")" --watch-pids "$redis_pid" "${load[@]}" \
    --json "$results/$scenario-peer.json" --label peer | tee "$work/$scenario-peer.txt"
stop

{
    echo "## $scenario ($(date -u +%F), $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; load: ${load[*]})"
    echo
    echo "| server | $(grep -h '^RESULT' "$work/$scenario-switchboard.txt" | sed 's/^RESULT //' | tr ' ' '\n' | cut -d= -f1 | paste -sd'|' | sed 's/|/ | /g') |"
    echo "|---|$(grep -h '^RESULT' "$work/$scenario-switchboard.txt" | sed 's/^RESULT //' | tr ' ' '\n' | sed 's/.*/---/' | paste -sd'|')|"
    for who in switchboard peer; do
        echo "| $who | $(grep -h '^RESULT' "$work/$scenario-$who.txt" | sed 's/^RESULT //' | tr ' ' '\n' | cut -d= -f2 | paste -sd'|' | sed 's/|/ | /g') |"
    done
    echo
} >"$results/$scenario.md"
cat "$results/$scenario.md"

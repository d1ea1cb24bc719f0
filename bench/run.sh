#!/usr/bin/env bash
# Side-by-side benchmark: Switchboard (distributed engine, two instances) and the Socket.IO + Redis adapter peer
# in peer/ (two instances), driven by the same load generator (loadgen.mjs), on loopback only. Needs Node 18+ and npm
# (the first run installs both from their lockfiles), gnuplot, Java 17, and Redis and RabbitMQ on 127.0.0.1.
#
#   bench/run.sh [all|idle|joins|fanout|ceiling|direct|memory|flags|profile|rediscluster] [--no-build]
#   SB_BASELINE=<git revision> bench/run.sh versus [--no-build]   (this build against an earlier one, Switchboard only)
#
# Every scenario runs Switchboard, then the peer, with the same options. Results go to bench/results/: one JSON per
# load generator run, RESULTS.md (tables) and PNG plots. Every process started here is stopped by pid, and every
# Redis key / RabbitMQ queue it created is deleted. JVM options: SB_JAVA_OPTS (default: as README starts it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work="$here/.work"
results="$here/results"
# everything runs from main(), so editing this file while it runs cannot change what the running copy does
main() {
scenario=${1:-all}
build=1
[[ "${2:-}" == "--no-build" ]] && build=0
# the JVM options README gives for production; the flags scenario shows why these
readme_java_opts="-XX:+UseSerialGC -Xms48m -Xmn16m -Xmx512m -Xss512k -XX:TieredStopAtLevel=1 -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:MinHeapDeltaBytes=16m"
java_opts=${SB_JAVA_OPTS:-$readme_java_opts}
# README's opt-in for deployments that mostly hold idle connections (measured by the flags scenario)
compact_java_opts="-XX:+UseShenandoahGC -XX:ShenandoahGCHeuristics=compact -Xms48m -Xmx512m -Xss512k -XX:TieredStopAtLevel=1"
# one event loop per instance, as README sizes them (one per core an instance gets): two instances share this
# machine's two cores, as two single-threaded Node processes do; Quarkus would start 2 × cores = 4 in each
event_loops=${SB_EVENT_LOOPS:-1}
mkdir -p "$work" "$results"
ulimit -n "$(ulimit -Hn)"

# the load generator's and the peer's packages, as their lockfiles pin them (again when a lockfile changed)
for dir in "$here" "$here/peer"; do
    if [[ ! "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]]; then
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    fi
done
command -v gnuplot >/dev/null || { echo "gnuplot missing: apt-get install -y gnuplot-nox" >&2; exit 1; }
if [[ $build == 1 ]]; then
    (cd "$root" && ./mvnw -B -q package -DskipTests)
fi

pids=()
created=()
# the Switchboard build the instances run (the versus scenario points it at an earlier revision's in turn)
sb_jar="$root/target/quarkus-app/quarkus-run.jar"
# more environment for the Switchboard instances (the Redis Cluster scenario points them at its nodes)
sb_env=()
stop() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    pids=()
    for tag in "${created[@]}"; do
        redis-cli --scan --pattern "$tag:*" | xargs -r -n 500 redis-cli del >/dev/null
        for queue in $(rabbitmqctl -q list_queues name 2>/dev/null | grep "^$tag\." || true); do
            rabbitmqctl -q delete_queue "$queue" >/dev/null 2>&1 || true
        done
    done
    created=()
}
cluster_pids=()
trap 'stop; stop_redis_cluster' EXIT

wait_http() {
    for _ in $(seq 300); do
        [[ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" == 200 ]] && return 0
        sleep 0.2
    done
    echo "not ready: $1" >&2
    exit 1
}

# start_switchboard <instances> <engine> [java options]: instance k listens on 18180+k; @K@ in the options becomes k
start_switchboard() {
    local count=$1 engine=$2 opts=${3:-$java_opts} tag="bench-$(date +%s%N)"
    created+=("$tag")
    for k in $(seq "$count"); do
        # the load generator is one client address holding up to 10,000 connections: no per-address cap
        # shellcheck disable=SC2086
        env "${sb_env[@]}" SWITCHBOARD_LIMITS_MAX_CONNECTIONS_PER_ADDRESS=0 SWITCHBOARD_ENGINE=$engine SWITCHBOARD_AUTH_MODE=dev SERVER_ID="$tag-$k" QUARKUS_HTTP_PORT=$((18180 + k)) \
            QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE=$event_loops \
            SWITCHBOARD_REDIS_KEY_PREFIX="$tag:" SWITCHBOARD_RABBITMQ_EXCHANGE="$tag" \
            SWITCHBOARD_LIMITS_MESSAGES_PER_SECOND=1000 SWITCHBOARD_LIMITS_BURST=1000 \
            java ${opts//@K@/$k} -jar "$sb_jar" >"$work/switchboard-$k.log" 2>&1 &
        pids+=($!)
    done
    urls=$(seq -s, -f 'ws://127.0.0.1:%g' 18181 $((18180 + count)))
    for k in $(seq "$count"); do wait_http "http://127.0.0.1:$((18180 + k))/q/health/ready"; done
    target=switchboard
}

# start_peer <instances>: instance k listens on 18280+k
start_peer() {
    local count=$1
    for k in $(seq "$count"); do
        PORT=$((18280 + k)) SERVER_ID=peer-$k REDIS_URL=redis://127.0.0.1:6379 HOST=127.0.0.1 \
            node "$here/peer/server.js" >"$work/peer-$k.log" 2>&1 &
        pids+=($!)
    done
    urls=$(seq -s, -f 'ws://127.0.0.1:%g' 18281 $((18280 + count)))
    for k in $(seq "$count"); do wait_http "http://127.0.0.1:$((18280 + k))/health"; done
    target=socketio
}

# load <result name|-> <loadgen options...>: drives the servers just started; "-" is a warm-up, not kept
load() {
    local name=$1 out
    shift
    local redis_pid rabbitmq_pid
    redis_pid=$(redis-cli info server | tr -d '\r' | sed -n 's/^process_id://p')
    # RabbitMQ carries Switchboard's direct messages: its CPU is part of what they cost the machine
    rabbitmq_pid=$(rabbitmqctl -q eval 'list_to_integer(os:getpid()).')
    out=$([[ $name == - ]] && echo "$work/warmup.json" || echo "$results/$name.json")
    echo "-- $name: $target ${*}"
    node "$here/loadgen.mjs" --target "$target" --urls "$urls" --pids "$(IFS=,; echo "${pids[*]}")" \
        --watch-pids "$redis_pid,$rabbitmq_pid" --json "$out" --label "${name}" "$@" | grep -E '^(RESULT|\[loadgen\] WARN)' || true
}

# both <name> <instances> <loadgen options...>: Switchboard then the peer, fresh instances, a warm-up run first
# when the scenario publishes (the JIT of the JVM and of V8 alike; a server runs for days, not 20 seconds)
both() {
    local name=$1 count=$2
    shift 2
    for server in switchboard peer; do
        if [[ $server == switchboard ]]; then start_switchboard "$count" distributed; else start_peer "$count"; fi
        if [[ " $* " == *" --rate "* ]]; then load - "$@" --seconds 10; fi
        load "$name-$server" "$@"
        stop
    done
}

fanout=(--conns 2000 --rooms 20 --senders 20 --seconds 20 --workers 2)

# load_on_first <result name> <loadgen options...>: the load, and what is measured, on the first instance started
load_on_first() {
    urls=${urls%%,*}
    local all_pids=("${pids[@]}")
    pids=("${all_pids[0]}")
    load "$@"
    pids=("${all_pids[@]}")
}

# on_one_instance <name> <loadgen options...>: each server's two instances started, the load on the first only
on_one_instance() {
    local name=$1
    shift
    for server in switchboard peer; do
        if [[ $server == switchboard ]]; then start_switchboard 2 distributed; else start_peer 2; fi
        load_on_first "$name-$server" "$@"
        stop
    done
}

scenario_idle() {
    # 10,000 idle connections on one instance of each server, each in one of 1,000 rooms of 10 (rooms of 100 are
    # the joins scenario: there a cold Switchboard refuses part of the joins, which would leave its state short)
    on_one_instance idle --conns 10000 --rooms 1000 --seconds 10 --settle 5 --workers 2
}

scenario_joins() {
    # a join burst on a cold server: 10,000 connections, then their joins, 1,000 in flight, into 100 rooms of 100;
    # a Switchboard join stores the membership, lists the members with presence and tells the room
    on_one_instance joins --conns 10000 --rooms 100 --seconds 5 --settle 1 --workers 2
}

scenario_fanout() {
    # 200 msg/s × 100 members is the 20,000 deliveries/s of the targets; 400 is twice that
    for rate in 200 400; do
        for run in 1 2 3; do both "fanout-$rate-run$run" 2 "${fanout[@]}" --rate "$rate"; done
    done
}

scenario_ceiling() {
    # a ladder stops where a server fails, so steps of an earlier run must not linger in the results
    rm -f "$results"/ceiling-*.json
    for server in switchboard peer; do
        if [[ $server == switchboard ]]; then start_switchboard 2 distributed; else start_peer 2; fi
        load - "${fanout[@]}" --rate 400 --seconds 10
        for rate in 200 400 600 800 1000 1200 1600 2000 2400; do
            load "ceiling-$server-$rate" "${fanout[@]}" --rate "$rate" --seconds 15
            node -e 'const r = require(process.argv[1]); process.exit(r.lost > 0 || r.latencyMs.p99 > 250 ? 1 : 0)' \
                "$results/ceiling-$server-$rate.json" || break
        done
        stop
    done
}

scenario_direct() {
    both direct 2 --conns 2000 --rooms 20 --senders 200 --rate 1000 --seconds 20 --mode direct --workers 2
    # three times the target's rate: the machine is near saturation, where messages for one instance share a publish
    both direct-3000 2 --conns 2000 --rooms 20 --senders 200 --rate 3000 --seconds 20 --mode direct --workers 2
}

scenario_memory() {
    # one process each: Switchboard on the memory engine, one peer instance (its Redis adapter has no one to talk to)
    for server in switchboard peer; do
        if [[ $server == switchboard ]]; then start_switchboard 1 memory; else start_peer 1; fi
        load - "${fanout[@]}" --rate 400 --seconds 10
        load "memory-$server" "${fanout[@]}" --rate 400
        stop
    done
}

# start_redis_cluster: six redis-server nodes on 17100-17105 (three masters, three replicas) in $work/cluster
start_redis_cluster() {
    local dir="$work/cluster" port
    rm -rf "$dir"
    for port in $(seq 17100 17105); do
        mkdir -p "$dir/$port"
        redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file nodes.conf \
            --cluster-node-timeout 1000 --save "" --appendonly no --dir "$dir/$port" --daemonize no \
            >"$dir/$port/redis.log" 2>&1 &
        cluster_pids+=($!)
    done
    for port in $(seq 17100 17105); do
        until redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; do sleep 0.05; done
    done
    redis-cli --cluster create $(seq -f '127.0.0.1:%g' 17100 17105) --cluster-replicas 1 --cluster-yes >"$dir/create.log"
    for port in $(seq 17100 17105); do
        until redis-cli -p "$port" cluster info | grep -q '^cluster_state:ok'; do sleep 0.05; done
    done
    sb_env=(QUARKUS_REDIS_CLIENT_TYPE=cluster "QUARKUS_REDIS_HOSTS=$(seq -s, -f 'redis://127.0.0.1:%g' 17100 17105)")
}

stop_redis_cluster() {
    for pid in "${cluster_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${cluster_pids[@]}"; do
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    done
    cluster_pids=()
    sb_env=()
    rm -rf "$work/cluster"
}

scenario_rediscluster() {
    # room fan-out at 200 msg/s (20,000 deliveries/s: at 400 the machine saturates and p99 shows only queueing)
    # and connect rate, Switchboard on the standalone Redis and on a six-node cluster
    for redis in standalone cluster; do
        if [[ $redis == cluster ]]; then start_redis_cluster; fi
        start_switchboard 2 distributed
        load - "${fanout[@]}" --rate 200 --seconds 10
        load "rediscluster-$redis-fanout" "${fanout[@]}" --rate 200
        stop
        start_switchboard 2 distributed
        urls=${urls%%,*}
        load "rediscluster-$redis-connect" --conns 5000 --rooms 500 --seconds 5 --settle 2 --workers 2
        stop
        if [[ $redis == cluster ]]; then stop_redis_cluster; fi
    done
}

scenario_profile() {
    # async-profiler (its jar on Maven Central carries the agent) on both instances, for a fan-out run at
    # 400 msg/s and a direct-message run at 1,000 msg/s; itimer sampling needs no perf_events permission
    (cd "$root" && ./mvnw -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:4.0 -DoutputDirectory="$work")
    unzip -o -j -q "$work/async-profiler-4.0.jar" linux-x64/libasyncProfiler.so -d "$work"
    local agent="-agentpath:$work/libasyncProfiler.so=start,event=itimer,interval=1ms,threads,collapsed"
    local direct=(--conns 2000 --rooms 20 --senders 200 --rate 1000 --mode direct --workers 2)
    start_switchboard 2 distributed "$java_opts $agent,file=$work/profile-fanout-@K@.collapsed"
    load - "${fanout[@]}" --rate 400 --seconds 10
    load profile-fanout-switchboard "${fanout[@]}" --rate 400 --seconds 30
    stop
    start_switchboard 2 distributed "$java_opts $agent,file=$work/profile-direct-@K@.collapsed"
    load - "${direct[@]}" --seconds 10
    load profile-direct-switchboard "${direct[@]}" --seconds 30
    stop
    {
        echo "# Profiles: instance 1 of 2, whole process lifetime (async-profiler 4.0, itimer, 1 ms)"
        echo
        echo "## Fan-out, 400 msg/s × 100 members (a 10 s warm-up, then 30 s)"
        node "$here/hot.mjs" "$work/profile-fanout-1.collapsed" "" 15
        echo
        echo "## Direct messages, 1,000 msg/s across two instances (a 10 s warm-up, then 30 s)"
        node "$here/hot.mjs" "$work/profile-direct-1.collapsed" "" 15
    } >"$results/profile.md"
}

scenario_flags() {
    # JVM option sets, Switchboard only: idle memory on one instance and fan-out CPU on two
    # the last two: README's set, then the opt-in for mostly idle deployments (Shenandoah's compact heuristics
    # return free heap to the system as it goes: less RSS per idle connection, more fan-out CPU and p99)
    local names=(default serial small-young small-young-c1 readme shenandoah-compact) sets=(
        ""
        "-XX:+UseSerialGC -Xmx512m"
        "-XX:+UseSerialGC -Xms48m -Xmn16m -Xmx512m -Xss512k"
        "-XX:+UseSerialGC -Xms48m -Xmn16m -Xmx512m -Xss512k -XX:TieredStopAtLevel=1"
        "$readme_java_opts"
        "$compact_java_opts")
    for i in "${!names[@]}"; do
        start_switchboard 1 distributed "${sets[$i]:- }"
        load "flags-${names[$i]}-idle" --conns 5000 --rooms 500 --seconds 5 --settle 5 --workers 2
        stop
        start_switchboard 2 distributed "${sets[$i]:- }"
        load - "${fanout[@]}" --rate 400 --seconds 10
        load "flags-${names[$i]}-fanout" "${fanout[@]}" --rate 400
        stop
    done
    for i in "${!names[@]}"; do echo "${names[$i]}: ${sets[$i]:-(none)}"; done >"$results/flags.sets"
}

scenario_versus() {
    # what a change costs well-behaved clients: this build against SB_BASELINE, alternating, three runs each of
    # fan-out at 200 msg/s (two instances) and of 10,000 idle connections on one instance (connect rate, RSS)
    local rev=${SB_BASELINE:?"set SB_BASELINE to the git revision to compare this build with"}
    local base="$work/baseline" current_jar=$sb_jar side run
    git -C "$root" worktree remove --force "$base" 2>/dev/null || rm -rf "$base"
    git -C "$root" worktree add -q --detach "$base" "$rev"
    (cd "$base" && ./mvnw -B -q package -DskipTests)
    rm -f "$results"/versus-*.json
    git -C "$root" log -1 --format='%h %s' "$rev" >"$results/versus.baseline"
    for run in 1 2 3; do
        for side in baseline current; do
            sb_jar=$([[ $side == baseline ]] && echo "$base/target/quarkus-app/quarkus-run.jar" || echo "$current_jar")
            start_switchboard 2 distributed
            load - "${fanout[@]}" --rate 200 --seconds 10
            load "versus-fanout-$side-run$run" "${fanout[@]}" --rate 200
            stop
            start_switchboard 2 distributed
            load_on_first "versus-idle-$side-run$run" --conns 10000 --rooms 1000 --seconds 10 --settle 5 --workers 2
            stop
        done
    done
    sb_jar=$current_jar
    git -C "$root" worktree remove --force "$base"
}

case $scenario in
    all) for s in idle joins fanout ceiling direct memory flags profile rediscluster; do "scenario_$s"; done ;;
    idle | joins | fanout | ceiling | direct | memory | flags | profile | rediscluster | versus) "scenario_$scenario" ;;
    *) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac

node "$here/report.mjs" "$results" "$(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(uname -sr)" \
    "$java_opts" "$event_loops" >"$results/RESULTS.md"
(cd "$results" && gnuplot -e "ceiling_rows=$(grep -vc '^#' ceiling.dat); summary_rows=$(grep -vc '^#' summary.dat)" \
    "$here/plots.gp")
echo "== bench/results/RESULTS.md"
cat "$results/RESULTS.md"
}

main "$@"; exit $?

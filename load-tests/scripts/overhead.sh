#!/usr/bin/env bash
# What metrics and tracing cost (issue 10's "< 5 % of throughput" target; method in docs/benchmarks.md). On
# 127.0.0.1 only, three Tollgate gateways from the same jar, same plain route, side by side on CPU 0:
#   bare     management.metrics: false, no tracing
#   metrics  metrics on (what ships by default)
#   traced   metrics on + tracing sampled at 1 % (OTLP/HTTP to a closed port: sampled spans are dropped and counted)
# The upstream nginx (1 KiB body) and wrk run on CPU 1. After a discarded warm-up, each round runs the three back
# to back (closed-loop wrk, CONNS connections, SECONDS s) and records two figures per gateway:
#   - throughput (req/s), which swings with whatever else runs on the machine;
#   - CPU time per request (µs, from /proc/<pid>/stat over the run): steadier, since a busy neighbour slows the
#     gateway's clock, not the work a request takes.
# Prints every round and the median ratios to the first variant; appends the raw lines to
# docs/benchmarks/overhead-raw.txt. VARIANTS picks others (the first is the reference), e.g. for the rate limiter:
#   local    metrics on + a rate limit in process (never denying, keyed by client IP)
#   pool4, pool16  metrics on, maxConnectionsPerTarget 4 or 16 (default 64; wrk's 32 connections then queue)
#   unsampled  metrics on + tracing at 0 % (what tracing costs a request it does not sample)
#   nio      metrics on, NIO instead of the native (epoll) transport (--transport nio)
#   loops2, loops4  metrics on, 2 or 4 event loops (--event-loops N) on the gateway's CPUs
# GATEWAY_CPUS (default 0) and LOAD_CPUS (default 1) move the gateways and the load (wrk, upstream nginx), e.g.
#   GATEWAY_CPUS=0,1 LOAD_CPUS=0,1 VARIANTS="metrics loops2" for one vs two event loops on two shared cores.
#   redis    metrics on + the same limit in Redis (127.0.0.1:6379, which must answer; Redis shares the 2 cores)
#   VARIANTS="metrics local redis" load-tests/scripts/overhead.sh
# Before/after a code change: a variant written NAME:base runs NAME's config with the jar in BASE_JAR (e.g. a copy
# of tollgate.jar built before the change), side by side with the current jar:
#   BASE_JAR=/tmp/tollgate-base.jar VARIANTS="metrics:base metrics" load-tests/scripts/overhead.sh
#   load-tests/scripts/overhead.sh [ROUNDS=5] [SECONDS=10] [CONNS=32]
set -euo pipefail
ROUNDS=${1:-5}
SECONDS_PER_RUN=${2:-10}
CONNS=${3:-32}
WARMUP=${WARMUP:-30}
PORT_BASE=${PORT_BASE:-18380}
GATEWAY_CPUS=${GATEWAY_CPUS:-0}
LOAD_CPUS=${LOAD_CPUS:-1}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/gateway-verticles/target/tollgate.jar
for tool in nginx wrk java taskset; do command -v $tool >/dev/null || { echo "needs $tool (apt-get install nginx wrk)"; exit 2; }; done
[ -f "$JAR" ] || { echo "build first: ./mvnw -B -DskipTests -pl gateway-verticles -am package"; exit 2; }
WORK=$(mktemp -d); chmod 755 "$WORK"
GEN=unused
. "$ROOT/load-tests/scripts/lib/harness.sh"
cleanup() {
  stop_jobs
  [ -f "$WORK/upstream.pid" ] && kill "$(cat "$WORK/upstream.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

UP=$PORT_BASE
start_upstream_nginx "$UP"
VARIANTS=${VARIANTS:-bare metrics traced}
# A variant's port: PORT_BASE + its position in VARIANTS.
port() { local i=0 v; for v in $VARIANTS; do i=$((i + 1)); [ "$v" = "$1" ] && { echo $((PORT_BASE + i)); return; }; done
  echo "unknown variant $1" >&2; exit 2; }
jar() { case $1 in *:base) [ -f "${BASE_JAR:-}" ] || { echo "$1 needs BASE_JAR" >&2; exit 2; }; echo "$BASE_JAR";; *) echo "$JAR";; esac; }
extra() { case ${1%:base} in
  bare) echo "management: { port: 0, metrics: false }";;
  metrics|local|pool*|nio|loops*) echo "management: { port: 0 }";;
  traced) printf 'management: { port: 0 }\ntracing: { enabled: true, sampleRatio: 0.01, otlp: { endpoint: "http://127.0.0.1:9" } }';;
  unsampled) printf 'management: { port: 0 }\ntracing: { enabled: true, sampleRatio: 0, otlp: { endpoint: "http://127.0.0.1:9" } }';;
  redis) printf 'management: { port: 0 }\nrateLimiting: { redis: { url: "redis://127.0.0.1:6379" } }';;
  *) echo "unknown variant $1" >&2; exit 2;;
esac; }
flags() { case ${1%:base} in nio) echo "--transport nio";; loops*) echo "--event-loops ${1#loops}";; esac; }
pool() { case ${1%:base} in pool*) echo ", maxConnectionsPerTarget: ${1#pool}";; esac; }
limit() { case ${1%:base} in local|redis) echo ", rateLimit: [ { name: never-denies, rate: 1000000/s, key: [ ip ] } ]";; esac; }
case " $VARIANTS " in *" redis "*) [ "$(redis-cli -h 127.0.0.1 ping 2>/dev/null)" = PONG ] || { echo "redis variant: no Redis on 127.0.0.1:6379"; exit 2; };; esac
for v in $VARIANTS; do
  cat > "$WORK/$v.yaml" <<CONF
listener: { port: $(port $v) }
$(extra $v)
services:
  up: { targets: [ "http://127.0.0.1:$UP" ]$(pool $v) }
routes:
  - { id: plain, path: /bench/**, service: up, auth: public$(limit $v) }
CONF
  # shellcheck disable=SC2046 # flags are words
  TOLLGATE_ACCESS_LOG_LEVEL=OFF taskset -c "$GATEWAY_CPUS" java -Xmx512m -jar "$(jar "$v")" --config "$WORK/$v.yaml" $(flags "$v") > "$WORK/$v.log" 2>&1 &
  echo $! > "$WORK/$v.pid"
done
for v in $VARIANTS; do
  for _ in $(seq 1 120); do [ "$(code "http://127.0.0.1:$(port $v)/bench/x")" = 200 ] && break; sleep 0.5; done
  [ "$(code "http://127.0.0.1:$(port $v)/bench/x")" = 200 ] || { echo "$v did not start:"; tail -20 "$WORK/$v.log"; exit 1; }
done

# variant seconds -> "rps cpu_us_per_request [redis_cpu_us_per_request]" (Redis's own CPU for the redis variant)
measure() {
  local pid tick t0 t1 r0=0 r1=0 rpid out
  pid=$(cat "$WORK/$1.pid"); tick=$(getconf CLK_TCK)
  rpid=$([ "${1%:base}" = redis ] && pgrep -o redis-server || true)
  t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  [ -n "$rpid" ] && r0=$(awk '{print $14 + $15}' "/proc/$rpid/stat")
  out=$(taskset -c "$LOAD_CPUS" wrk -t1 -c"$CONNS" -d"${2}s" "http://127.0.0.1:$(port "$1")/bench/1k")
  t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  [ -n "$rpid" ] && r1=$(awk '{print $14 + $15}' "/proc/$rpid/stat")
  echo "$out" | grep -q 'Non-2xx' && { echo "$1 answered non-2xx:"; echo "$out"; exit 1; }
  echo "$out" | awk -v a="$t0" -v b="$t1" -v t="$tick" -v ra="$r0" -v rb="$r1" -v redis="$rpid" \
    '/requests in/ {n=$1} /Requests\/sec/ {r=$2}
    END {printf "%.0f %.2f", r, (b - a) / t * 1e6 / n; if (redis != "") printf " %.2f", (rb - ra) / t * 1e6 / n; print ""}'
}

echo "warm-up (discarded): 2 x $WARMUP s per gateway; load average $(cut -d' ' -f1 /proc/loadavg)"
for _ in 1 2; do for v in $VARIANTS; do measure $v "$WARMUP" >/dev/null; done; done
RAW=$WORK/raw.txt
for r in $(seq 1 "$ROUNDS"); do
  for v in $VARIANTS; do
    echo "$v $r $(measure $v "$SECONDS_PER_RUN")" | tee -a "$RAW"
  done
done
# Ratios per round (to the first variant of the same round), then the median of each.
awk -v variants="$VARIANTS" '
  {rps[$1, $2] = $3; cpu[$1, $2] = $4; if ($2 > rounds) rounds = $2}
  function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) {t = a[i]; a[i] = a[j]; a[j] = t}
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  END {
    nv = split(variants, vs, " "); ref = vs[1]
    printf "%-8s %12s %14s %16s %18s\n", "variant", "median rps", "median µs/req", "rps ÷ " ref, "µs/req ÷ " ref
    for (k = 1; k <= nv; k++) { v = vs[k]
      for (r = 1; r <= rounds; r++) { a[r] = rps[v, r]; b[r] = cpu[v, r]; c[r] = rps[v, r] / rps[ref, r]; d[r] = cpu[v, r] / cpu[ref, r] }
      printf "%-8s %12.0f %14.2f %16.3f %18.3f\n", v, median(a, rounds), median(b, rounds), median(c, rounds), median(d, rounds) }
  }' "$RAW"
mkdir -p "$ROOT/docs/benchmarks"
{ echo "# $(date -u +%FT%TZ) variants=$VARIANTS rounds=$ROUNDS seconds=$SECONDS_PER_RUN conns=$CONNS load=$(cut -d' ' -f1-3 /proc/loadavg)"; cat "$RAW"; } \
  >> "$ROOT/docs/benchmarks/overhead-raw.txt"

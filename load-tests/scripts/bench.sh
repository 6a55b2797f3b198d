#!/usr/bin/env bash
# The benchmark harness (issue 11; method and latest figures in docs/benchmarks.md). On 127.0.0.1 only:
#   direct          nginx serving a 1 KiB body (the upstream of every other contender), keep-alive
#   nginx           nginx as reverse proxy to it (upstream keep-alive)
#   haproxy         HAProxy in front of it (when installed)
#   tollgate        Tollgate, a plain route (metrics on, tracing off)
#   tollgate-chain  Tollgate, the full chain: JWT RS256 (cached keys, a real OIDC issuer) + ownership check (the
#                   token's subject must own monitor:{id}, looked up per request in the replica fed by a real Kafka
#                   broker) + rate limit (in process, never denying) + metrics + tracing sampled at 1 % (OTLP to a
#                   closed port: spans dropped, counted)
#   tollgate-redis  the same chain with the rate limit in Redis (only when redis-server answers on 127.0.0.1:6379;
#                   not in --quick)
# Every contender runs on CPU 0; the upstream nginx, the load generators, the IdP and Kafka on CPU 1 (taskset),
# identical for all. After a discarded JVM warm-up, each round runs the contenders back to back (A B C … then again,
# ROUNDS times):
#   phase 1, capacity: closed-loop wrk, CONNS connections, SECONDS s → max req/s;
#   phase 2, latency: open loop (OpenLoop, timed from the intended send time) at 25/50/75 % of nginx's capacity
#            measured in the same round, capped at OPEN_LOOP_MAX.
# Output: the table on stdout, docs/benchmarks/latest.json and docs/benchmarks/latest.svg (--quick: quick.*).
# --quick, for reruns after a change (≈ 4 min with the jars built): direct, nginx, tollgate and tollgate-chain only,
# one round, open loop at 50 % only, one 60 s warm-up run per Tollgate contender.
# Needs nginx and wrk (Debian packages; haproxy optional) and the jars:
#   ./mvnw -B -DskipTests -pl gateway-verticles,load-tests -am package
#   load-tests/scripts/bench.sh [ROUNDS=3] [SECONDS=10] [CONNS=32]
#   load-tests/scripts/bench.sh --quick [SECONDS=10] [CONNS=32]
# Environment: PORT_BASE (18280; the harness listens on PORT_BASE … PORT_BASE+11), WARMUP (seconds per warm-up run),
# OPEN_LOOP_MAX (20000: open-loop rates are capped there, about what OpenLoop sustains on a shared core; above it the
# figures measure the generator).
set -euo pipefail
QUICK=false
if [ "${1:-}" = --quick ]; then QUICK=true; shift; set -- 1 "$@"; fi
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
CONNS=${3:-32}
if $QUICK; then
  WARMUP=${WARMUP:-60}; WARMUP_RUNS=1; SHARES="50"; NAME=quick
else
  WARMUP=${WARMUP:-20}; WARMUP_RUNS=2; SHARES="25 50 75"; NAME=latest
fi
OPEN_LOOP_MAX=${OPEN_LOOP_MAX:-20000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/gateway-verticles/target/tollgate.jar
GEN=$ROOT/load-tests/target/tollgate-loadgen.jar
OUT=$ROOT/docs/benchmarks
for tool in nginx wrk java taskset; do command -v $tool >/dev/null || { echo "needs $tool (apt-get install nginx wrk)"; exit 2; }; done
[ -f "$JAR" ] && [ -f "$GEN" ] || { echo "build first: ./mvnw -B -DskipTests -pl gateway-verticles,load-tests -am package"; exit 2; }
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
# Other load on these 2 cores (a build, another benchmark) moves every figure: say so up front.
awk '{ if ($1 > 0.5) print "note: load average " $1 " before start — figures will be disturbed" }' /proc/loadavg
WORK=$(mktemp -d); chmod 755 "$WORK"
. "$ROOT/load-tests/scripts/lib/harness.sh"
# PORT_BASE moves every port (e.g. when another harness runs on this machine).
B=${PORT_BASE:-18280}
UP=$((B + 1)); NGX=$((B + 2)); HAP=$((B + 3)); TG=$B; TGC=$((B + 10)); TGR=$((B + 11))
cleanup() {
  stop_jobs
  for pid in "$WORK/upstream.pid" "$WORK/proxy.pid"; do [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # then the EXIT trap cleans up, once

start_upstream_nginx $UP
cat > "$WORK/proxy.conf" <<CONF
worker_processes 1; worker_cpu_affinity 01; pid $WORK/proxy.pid; error_log $WORK/proxy-error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  upstream up { server 127.0.0.1:$UP; keepalive 64; }
  server { listen 127.0.0.1:$NGX; location / { proxy_pass http://up; proxy_http_version 1.1;
           proxy_set_header Connection ""; } } }
CONF
nginx -p "$WORK" -c proxy.conf

CONTENDERS="direct nginx"
if ! $QUICK && command -v haproxy >/dev/null; then
  cat > "$WORK/haproxy.cfg" <<CONF
global
  nbthread 1
  cpu-map 1/1 0
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  http-reuse always
frontend fe
  bind 127.0.0.1:$HAP
  default_backend be
backend be
  server up 127.0.0.1:$UP
CONF
  taskset -c 0 haproxy -f "$WORK/haproxy.cfg" > "$WORK/haproxy.log" 2>&1 &
  CONTENDERS="$CONTENDERS haproxy"
fi

# Ownership facts for 1,000 users × 10 monitors (user-u owns monitor:u*1000+1 … +10); the load is user-0's token on
# its monitor 7, and every request looks it up in the replica.
start_idp_and_kafka 1 1000 10
TOKEN=$(head -1 "$WORK/tokens")

cat > "$WORK/plain.yaml" <<CONF
listener: { port: $TG }
management: { port: 0 }
services:
  up: { targets: [ "http://127.0.0.1:$UP" ] }
routes:
  - { id: plain, path: /bench/**, service: up, auth: public }
CONF
chain_config() { # port [redis-url] -> the full chain; the rate limit in Redis when a URL is given
  local limiter="" fail_mode=""
  if [ -n "${2:-}" ]; then limiter="rateLimiting: { redis: { url: \"$2\" } }"; fail_mode=", failMode: fail-closed"; fi
  cat <<CONF
$(chain_gateway_head "$1")
$limiter
services:
  up: { targets: [ "http://127.0.0.1:$UP" ] }
routes:
  - id: chain
    path: /monitors/{monitorId:int}
    service: up
    auth: { accept: [ jwt ] }
    ownership: { resource: monitor }
    rateLimit: [ { name: never-denies, rate: 1000000/s, key: [ sub ]$fail_mode } ]
CONF
}
GATEWAYS="plain:$TG chain:$TGC"
chain_config $TGC > "$WORK/chain.yaml"
if ! $QUICK && [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; then
  chain_config $TGR redis://127.0.0.1:6379 > "$WORK/redis.yaml"
  GATEWAYS="$GATEWAYS redis:$TGR"
fi
for g in $GATEWAYS; do
  TOLLGATE_ACCESS_LOG_LEVEL=OFF taskset -c 0 java -Xmx512m -jar "$JAR" --config "$WORK/${g%%:*}.yaml" \
    > "$WORK/${g%%:*}.log" 2>&1 &
done
for _ in $(seq 1 120); do
  ready=true
  [ "$(code "http://127.0.0.1:$TG/bench/x")" = 200 ] || ready=false
  for g in $GATEWAYS; do
    [ "${g%%:*}" = plain ] || [ "$(code -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:${g##*:}/monitors/7")" = 200 ] \
      || ready=false
  done
  $ready && break
  sleep 0.5
done
for g in $GATEWAYS; do
  name=${g%%:*}; port=${g##*:}
  if [ $name = plain ]; then
    [ "$(code "http://127.0.0.1:$port/bench/x")" = 200 ] || { tail -20 "$WORK/$name.log"; exit 1; }
    continue
  fi
  # Authenticated, and the ownership check runs: user-0 owns monitor 7, not user-1's monitor 1007.
  [ "$(code -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port/monitors/7")" = 200 ] || { tail -20 "$WORK/$name.log"; exit 1; }
  [ "$(code "http://127.0.0.1:$port/monitors/7")" = 401 ] || { echo "$name: route not authenticating"; exit 1; }
  [ "$(code -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port/monitors/1007")" = 404 ] \
    || { echo "$name: ownership check not applied"; exit 1; }
done
CONTENDERS="$CONTENDERS tollgate tollgate-chain"
case $GATEWAYS in *redis:*) CONTENDERS="$CONTENDERS tollgate-redis";; esac

url() { case $1 in direct) echo "http://127.0.0.1:$UP/1k";; nginx) echo "http://127.0.0.1:$NGX/1k";;
  haproxy) echo "http://127.0.0.1:$HAP/1k";; tollgate) echo "http://127.0.0.1:$TG/bench/1k";;
  tollgate-chain) echo "http://127.0.0.1:$TGC/monitors/7";; tollgate-redis) echo "http://127.0.0.1:$TGR/monitors/7";; esac; }
auth() { case $1 in tollgate-chain|tollgate-redis) echo "Authorization: Bearer $TOKEN";; *) echo "X-Bench: 1";; esac; }
capacity() { # contender seconds -> "rps p50ms p99ms"
  taskset -c 1 wrk -t1 -c"$CONNS" -d"${2}s" --latency -H "$(auth "$1")" "$(url "$1")" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ {rps=$2} / 50%/ {p50=ms($2)} / 99%/ {p99=ms($2)} END {print rps, p50, p99}'
}

echo "JVM warm-up (discarded): $WARMUP_RUNS x $WARMUP s per Tollgate contender"
for c in $CONTENDERS; do
  case $c in tollgate*) for _ in $(seq 1 $WARMUP_RUNS); do capacity $c "$WARMUP" >/dev/null; done;; esac
done
RAW=$WORK/raw.txt
for r in $(seq 1 "$ROUNDS"); do
  for c in $CONTENDERS; do
    read -r rps p50 p99 <<<"$(capacity "$c" "$SECONDS_PER_RUN")"
    echo "capacity $c $r $rps $p50 $p99" | tee -a "$RAW"
  done
  nginx_rps=$(awk -v r="$r" '$1 == "capacity" && $2 == "nginx" && $3 == r {print $4}' "$RAW")
  : > "$WORK/plan"
  for share in $SHARES; do
    rate=$(awk -v n="$nginx_rps" -v s="$share" -v m="$OPEN_LOOP_MAX" 'BEGIN {r = n * s / 100; printf "%d", (r > m ? m : r)}')
    for c in $CONTENDERS; do
      echo "$c:$share $(url "$c") $rate $SECONDS_PER_RUN $CONNS $(auth "$c" | sed 's/: /=/; s/ /%20/g')" >> "$WORK/plan"
    done
  done
  taskset -c 1 java -cp "$GEN" io.tollgate.loadtests.OpenLoop --plan "$WORK/plan" | grep ' {' | while read -r label json; do
    echo "latency ${label%%:*} $r ${label##*:} $json" | tee -a "$RAW"
  done
done
mkdir -p "$OUT"
cp "$RAW" "$OUT/$NAME-raw.txt"
MACHINE="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1), $(date -u +%F)"
MACHINE="$MACHINE, load average at start $LOAD_AT_START"
$QUICK && MACHINE="$MACHINE, --quick"
java -cp "$GEN" io.tollgate.loadtests.BenchReport "$RAW" "$OUT/$NAME.json" "$OUT/$NAME.svg" "$MACHINE"

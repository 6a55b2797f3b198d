#!/usr/bin/env bash
# The benchmark harness (issue 11; method and latest figures in docs/benchmarks.md). On 127.0.0.1 only:
#   direct          nginx serving a 1 KiB body (the upstream of every other contender), keep-alive
#   nginx           nginx as reverse proxy to it (upstream keep-alive)
#   haproxy         HAProxy in front of it (when installed)
#   tollgate        Tollgate, a plain route (metrics on, tracing off)
#   tollgate-chain  Tollgate, the full chain: JWT RS256 (cached keys, a real OIDC issuer) + rate limit (in process,
#                   never denying) + metrics + tracing sampled at 1 % (OTLP to a closed port: spans dropped, counted)
# Every contender runs on CPU 0; the upstream nginx and the load generators on CPU 1 (taskset), identical for all. After a discarded JVM warm-up, each round runs
# the contenders back to back (A B C … then again, ROUNDS times):
#   phase 1, capacity: closed-loop wrk, CONNS connections, SECONDS s → max req/s;
#   phase 2, latency: open loop (OpenLoop, timed from the intended send time) at 25/50/75 % of nginx's capacity
#            measured in the same round.
# Output: the table on stdout, docs/benchmarks/latest.json and docs/benchmarks/latest.svg.
# Needs nginx and wrk (Debian packages; haproxy optional) and the jars:
#   ./mvnw -B -DskipTests -pl gateway-verticles,load-tests -am package
#   load-tests/scripts/bench.sh [ROUNDS=3] [SECONDS=10] [CONNS=32]
set -euo pipefail
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
CONNS=${3:-32}
WARMUP=${WARMUP:-20}   # seconds per warm-up run
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/gateway-verticles/target/tollgate.jar
GEN=$ROOT/load-tests/target/tollgate-loadgen.jar
OUT=$ROOT/docs/benchmarks
for tool in nginx wrk java taskset; do command -v $tool >/dev/null || { echo "needs $tool (apt-get install nginx wrk)"; exit 2; }; done
[ -f "$JAR" ] && [ -f "$GEN" ] || { echo "build first: ./mvnw -B -DskipTests -pl gateway-verticles,load-tests -am package"; exit 2; }
WORK=$(mktemp -d); chmod 755 "$WORK"
UP=18281; NGX=18282; HAP=18283; TG=18280; TGC=18290
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  for pid in "$WORK/upstream.pid" "$WORK/proxy.pid"; do [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

head -c 1024 /dev/zero | tr '\0' 'x' > "$WORK/1k"
cat > "$WORK/upstream.conf" <<CONF
worker_processes 1; worker_cpu_affinity 10; pid $WORK/upstream.pid; error_log $WORK/upstream-error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$UP; root $WORK; location / { try_files /1k =404; } } }
CONF
cat > "$WORK/proxy.conf" <<CONF
worker_processes 1; worker_cpu_affinity 01; pid $WORK/proxy.pid; error_log $WORK/proxy-error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  upstream up { server 127.0.0.1:$UP; keepalive 64; }
  server { listen 127.0.0.1:$NGX; location / { proxy_pass http://up; proxy_http_version 1.1;
           proxy_set_header Connection ""; } } }
CONF
nginx -p "$WORK" -c upstream.conf
nginx -p "$WORK" -c proxy.conf

CONTENDERS="direct nginx"
if command -v haproxy >/dev/null; then
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

taskset -c 1 java -cp "$GEN" io.tollgate.loadtests.BenchIdp "$WORK/token" "$WORK/discovery" > "$WORK/idp.log" 2>&1 &
for _ in $(seq 1 60); do [ -s "$WORK/discovery" ] && break; sleep 0.5; done
TOKEN=$(cat "$WORK/token")

cat > "$WORK/plain.yaml" <<CONF
listener: { port: $TG }
management: { port: 0 }
services:
  up: { targets: [ "http://127.0.0.1:$UP" ] }
routes:
  - { id: plain, path: /bench/**, service: up, auth: public }
CONF
cat > "$WORK/chain.yaml" <<CONF
listener: { port: $TGC }
management: { port: 0 }
tracing: { enabled: true, sampleRatio: 0.01, otlp: { endpoint: "http://127.0.0.1:9" } }
auth:
  issuers:
    - { name: bench, discovery: "$(cat "$WORK/discovery")", audiences: [ "api://bench" ], algorithms: [ RS256 ] }
services:
  up: { targets: [ "http://127.0.0.1:$UP" ] }
routes:
  - id: chain
    path: /bench/**
    service: up
    auth: { accept: [ jwt ] }
    rateLimit: [ { name: never-denies, rate: 1000000/s, key: [ sub ] } ]
CONF
for g in plain chain; do
  TOLLGATE_ACCESS_LOG_LEVEL=OFF taskset -c 0 java -Xmx512m -jar "$JAR" --config "$WORK/$g.yaml" \
    > "$WORK/$g.log" 2>&1 &
done
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$TG/bench/x" >/dev/null && \
    curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$TGC/bench/x" >/dev/null && break
  sleep 0.5
done
curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$TGC/bench/x" || { tail -20 "$WORK/chain.log"; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$TGC/bench/x")" = 401 ] || { echo "chain route not authenticating"; exit 1; }
CONTENDERS="$CONTENDERS tollgate tollgate-chain"

url() { case $1 in direct) echo "http://127.0.0.1:$UP/1k";; nginx) echo "http://127.0.0.1:$NGX/1k";;
  haproxy) echo "http://127.0.0.1:$HAP/1k";; tollgate) echo "http://127.0.0.1:$TG/bench/1k";;
  tollgate-chain) echo "http://127.0.0.1:$TGC/bench/1k";; esac; }
auth() { [ "$1" = tollgate-chain ] && echo "Authorization: Bearer $TOKEN" || echo "X-Bench: 1"; }
capacity() { # contender seconds -> "rps p50ms p99ms"
  taskset -c 1 wrk -t1 -c"$CONNS" -d"${2}s" --latency -H "$(auth "$1")" "$(url "$1")" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ {rps=$2} / 50%/ {p50=ms($2)} / 99%/ {p99=ms($2)} END {print rps, p50, p99}'
}

echo "JVM warm-up (discarded): 2 x $WARMUP s per Tollgate contender"
for c in tollgate tollgate-chain; do capacity $c "$WARMUP" >/dev/null; capacity $c "$WARMUP" >/dev/null; done
RAW=$WORK/raw.txt
for r in $(seq 1 "$ROUNDS"); do
  for c in $CONTENDERS; do
    read -r rps p50 p99 <<<"$(capacity "$c" "$SECONDS_PER_RUN")"
    echo "capacity $c $r $rps $p50 $p99" | tee -a "$RAW"
  done
  nginx_rps=$(awk -v r="$r" '$1 == "capacity" && $2 == "nginx" && $3 == r {print $4}' "$RAW")
  : > "$WORK/plan"
  for share in 25 50 75; do
    rate=$(awk -v n="$nginx_rps" -v s="$share" 'BEGIN {printf "%d", n * s / 100}')
    for c in $CONTENDERS; do
      echo "$c:$share $(url "$c") $rate $SECONDS_PER_RUN $CONNS $(auth "$c" | sed 's/: /=/; s/ /%20/g')" >> "$WORK/plan"
    done
  done
  taskset -c 1 java -cp "$GEN" io.tollgate.loadtests.OpenLoop --plan "$WORK/plan" | grep ' {' | while read -r label json; do
    echo "latency ${label%%:*} $r ${label##*:} $json" | tee -a "$RAW"
  done
done
mkdir -p "$OUT"
cp "$RAW" "$OUT/latest-raw.txt"
MACHINE="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1), $(date -u +%F)"
java -cp "$GEN" io.tollgate.loadtests.BenchReport "$RAW" "$OUT/latest.json" "$OUT/latest.svg" "$MACHINE"

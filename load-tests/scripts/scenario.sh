#!/usr/bin/env bash
# The scenario load test (issue 11, item 4; method and latest result in docs/benchmarks.md). On 127.0.0.1 only:
#   upstream   nginx serving a 1 KiB body for reads (ScenarioUpstream when nginx is not installed), and
#              ScenarioUpstream for uploads (it answers how many body bytes it read);
#   Kafka      a private single-node broker (BenchKafka, child JVM from Maven jars) with the ownership facts:
#              user-u owns monitor:u*1000+1 … u*1000+10;
#   IdP        a real OIDC issuer (BenchIdp), one RS256 token per user;
#   gateway    tollgate.jar on CPU 0: JWT on every route, the ownership check on /monitors/{id}, a 5/s per-user
#              limit on /reports/**, uploads up to 2 MiB on /uploads/**, metrics on, tracing sampled at 1 %;
#   load       Scenario on CPU 1: CLIENTS (100) concurrent clients, one request every PERIOD_MS (50) each —
#              60 % owned reads, 10 % reads of others' monitors (404 not-found), 10 % over their rate limit
#              (200 or 429 + Retry-After), 10 % uploads of 64 KiB–1 MiB, 10 % unknown paths (404 route-not-found).
# Fails (exit 1) on any unexpected answer or when the legitimate share's p99 reaches 150 ms. Writes
# docs/benchmarks/scenario.json. Everything it starts is stopped on exit, Kafka's data directory deleted.
#   ./mvnw -B -DskipTests -pl gateway-verticles,load-tests -am package
#   load-tests/scripts/scenario.sh [SECONDS=60]      (env: WARMUP=30 CLIENTS=100 PERIOD_MS=50 PORT_BASE=18380)
set -euo pipefail
SECONDS_MEASURED=${1:-60}
WARMUP=${WARMUP:-30}
CLIENTS=${CLIENTS:-100}
PERIOD_MS=${PERIOD_MS:-50}
PER_USER=10
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/gateway-verticles/target/tollgate.jar
GEN=$ROOT/load-tests/target/tollgate-loadgen.jar
OUT=$ROOT/docs/benchmarks
for tool in java taskset curl; do command -v $tool >/dev/null || { echo "needs $tool"; exit 2; }; done
[ -f "$JAR" ] && [ -f "$GEN" ] || { echo "build first: ./mvnw -B -DskipTests -pl gateway-verticles,load-tests -am package"; exit 2; }
WORK=$(mktemp -d); chmod 755 "$WORK"
. "$ROOT/load-tests/scripts/lib/harness.sh"
B=${PORT_BASE:-18380}   # PORT_BASE moves every port: the script listens on PORT_BASE … PORT_BASE+2
UP=$((B + 1)); UPL=$((B + 2)); TG=$B
cleanup() {
  stop_jobs
  [ -f "$WORK/upstream.pid" ] && kill "$(cat "$WORK/upstream.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # then the EXIT trap cleans up, once

taskset -c 1 java -Xmx256m -cp "$GEN" io.tollgate.loadtests.ScenarioUpstream $UPL > "$WORK/uploads.log" 2>&1 &
if command -v nginx >/dev/null; then
  start_upstream_nginx $UP
  READS_UPSTREAM="nginx $(nginx -v 2>&1 | sed 's/.*\///')"
else
  taskset -c 1 java -Xmx256m -cp "$GEN" io.tollgate.loadtests.ScenarioUpstream $UP > "$WORK/reads.log" 2>&1 &
  READS_UPSTREAM="ScenarioUpstream (Vert.x)"
fi
start_idp_and_kafka "$CLIENTS" "$CLIENTS" "$PER_USER"

cat > "$WORK/scenario.yaml" <<CONF
$(chain_gateway_head "$TG")
services:
  reads: { targets: [ "http://127.0.0.1:$UP" ] }
  uploads: { targets: [ "http://127.0.0.1:$UPL" ] }
routes:
  - id: monitors
    path: /monitors/{monitorId:int}
    methods: [ GET ]
    service: reads
    auth: { accept: [ jwt ] }
    ownership: { resource: monitor }
    rateLimit: [ { name: per-user, rate: 100/s, key: [ sub ] } ]
  - id: reports
    path: /reports/**
    methods: [ GET ]
    service: reads
    auth: { accept: [ jwt ] }
    rateLimit: [ { name: reports, rate: 5/s, key: [ sub ] } ]
  - id: uploads
    path: /uploads/**
    methods: [ POST ]
    service: uploads
    auth: { accept: [ jwt ] }
    maxBodySize: 2MiB
CONF
TOLLGATE_ACCESS_LOG_LEVEL=OFF taskset -c 0 java -Xmx512m -jar "$JAR" --config "$WORK/scenario.yaml" \
  > "$WORK/gateway.log" 2>&1 &
AUTH="Authorization: Bearer $(head -1 "$WORK/tokens")"
for _ in $(seq 1 120); do [ "$(code -H "$AUTH" "http://127.0.0.1:$TG/monitors/1")" = 200 ] && break; sleep 0.5; done
# The ownership check is on: user-0 reads its own monitor, not user-1's.
[ "$(code -H "$AUTH" "http://127.0.0.1:$TG/monitors/1")" = 200 ] || { echo "gateway not ready:"; tail -20 "$WORK/gateway.log"; exit 1; }
[ "$(code -H "$AUTH" "http://127.0.0.1:$TG/monitors/1001")" = 404 ] || { echo "ownership check not applied"; exit 1; }

mkdir -p "$OUT"
SETUP="$(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%F); gateway on CPU 0 (one event loop), \
reads upstream $READS_UPSTREAM, uploads upstream ScenarioUpstream, Kafka, IdP and generator on CPU 1; \
load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo "scenario: $CLIENTS clients, one request per $PERIOD_MS ms each, ${WARMUP} s warm-up (discarded) + ${SECONDS_MEASURED} s"
set +e
taskset -c 1 java -Xmx512m -cp "$GEN" io.tollgate.loadtests.Scenario "http://127.0.0.1:$TG" "$WORK/tokens" "$PER_USER" \
  "$SECONDS_MEASURED" "$WARMUP" "$CLIENTS" "$PERIOD_MS" "$OUT/scenario.json" "$SETUP"
status=$?
set -e
cp "$WORK/gateway.log" "${TMPDIR:-/tmp}/scenario-gateway.log"   # kept for a look after the run
exit $status

#!/usr/bin/env bash
# Rate-limit overhead: the same gateway, two routes to the same nginx upstream — one without limits, one with a
# Redis-backed limit that never denies (so every request pays the Redis round trip) — measured in interleaved
# rounds in one run. Needs nginx, wrk, redis-server on 127.0.0.1:6379 (REDIS_URL), and the fat jar
# (./mvnw -DskipTests -pl gateway-verticles -am package). Loopback only.
#   load-tests/scripts/ratelimit-bench.sh [rounds] [seconds]
set -euo pipefail
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/gateway-verticles/target/tollgate.jar
WORK=$(mktemp -d); chmod 755 "$WORK"
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
UP_PORT=18181; GW_PORT=18180
trap 'cat "$WORK/gateway.log" | tail -5; kill $(jobs -p) 2>/dev/null; kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; rm -rf "$WORK"' EXIT

head -c 1024 /dev/urandom | base64 -w0 | head -c 1024 > "$WORK/1k"
cat > "$WORK/nginx.conf" <<CONF
worker_processes 1; worker_cpu_affinity 10; pid $WORK/nginx.pid; error_log $WORK/error.log;
events { worker_connections 1024; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$UP_PORT; root $WORK; location / { try_files /1k =404; } } }
CONF
nginx -p "$WORK" -c nginx.conf

cat > "$WORK/gateway.yaml" <<CONF
listener: { port: $GW_PORT }
management: { port: 0 }
rateLimiting:
  redis: { url: "$REDIS_URL" }
services:
  up: { targets: [ "http://127.0.0.1:$UP_PORT" ] }
routes:
  - { id: open, path: /open/**, service: up, auth: public }
  - { id: limited, path: /limited/**, service: up, auth: public,
      rateLimit: [ { name: huge, rate: 500000/s, key: [ip], failMode: fail-closed } ] }
CONF
TOLLGATE_ACCESS_LOG_LEVEL=OFF taskset -c 0 java -Xmx512m -jar "$JAR" --config "$WORK/gateway.yaml" > "$WORK/gateway.log" 2>&1 &
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$GW_PORT/open/x" >/dev/null && break; sleep 0.5; done
headers=$(curl -sf "http://127.0.0.1:$GW_PORT/limited/x" -o /dev/null -D -)
grep -qi '^ratelimit:' <<<"$headers" || { echo "limited route not limiting: $headers"; exit 1; }

echo "warm-up (40 s)"
taskset -c 1 wrk -t1 -c32 -d20s "http://127.0.0.1:$GW_PORT/open/x" >/dev/null
taskset -c 1 wrk -t1 -c32 -d20s "http://127.0.0.1:$GW_PORT/limited/x" >/dev/null

run() { # path connections -> "rps p50 p99"
  taskset -c 1 wrk -t1 -c"$2" -d"${SECONDS_PER_RUN}s" --latency "http://127.0.0.1:$GW_PORT$1" | awk '
    /Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {print rps, p50, p99}'
}
printf "%-6s %-5s | %12s %9s %9s | %12s %9s %9s | %s\n" round conns "open rps" p50 p99 "limited rps" p50 p99 ratio
for r in $(seq 1 "$ROUNDS"); do
  for c in 32 1; do
    read -r o50rps o50 o99 <<<"$(run /open/x $c)"
    read -r l50rps l50 l99 <<<"$(run /limited/x $c)"
    ratio=$(awk -v a="$l50rps" -v b="$o50rps" 'BEGIN {printf "%.2f", a/b}')
    printf "%-6s %-5s | %12s %9s %9s | %12s %9s %9s | %s\n" "$r" "$c" "$o50rps" "$o50" "$o99" "$l50rps" "$l50" "$l99" "$ratio"
  done
done

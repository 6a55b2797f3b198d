# Shared by bench.sh and scenario.sh (sourced, not run). Expects WORK (the run's temporary directory) and GEN (the
# load generator jar). Processes started here are background jobs of the calling shell, so its cleanup trap's
# `kill $(jobs -p)` stops them.

# nginx serving a 1 KiB body for any path on 127.0.0.1:$1, one worker pinned to CPU 1, keep-alive; its pid file is
# $WORK/upstream.pid (nginx daemonises: the caller's cleanup kills it by that file).
start_upstream_nginx() {
  head -c 1024 /dev/zero | tr '\0' 'x' > "$WORK/1k"
  cat > "$WORK/upstream.conf" <<CONF
worker_processes 1; worker_cpu_affinity 10; pid $WORK/upstream.pid; error_log $WORK/upstream-error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$1; root $WORK; location / { try_files /1k =404; } } }
CONF
  nginx -p "$WORK" -c upstream.conf
}

# On CPU 1: the OIDC issuer (BenchIdp; tokens of user-0 … user-($1-1), one a line, in $WORK/tokens; its discovery
# URI in $WORK/discovery) and a private Kafka broker (BenchKafka) holding the ownership facts for $2 users × $3
# monitors (user-u owns monitor:u*1000+1 …; host:port in $WORK/bootstrap). Returns once both are up.
start_idp_and_kafka() {
  taskset -c 1 java -cp "$GEN" io.tollgate.loadtests.BenchIdp "$WORK/tokens" "$WORK/discovery" "$1" \
    > "$WORK/idp.log" 2>&1 &
  taskset -c 1 java -cp "$GEN" io.tollgate.loadtests.BenchKafka "$WORK/bootstrap" "$2" "$3" > "$WORK/kafka.log" 2>&1 &
  for _ in $(seq 1 120); do [ -s "$WORK/discovery" ] && [ -s "$WORK/bootstrap" ] && break; sleep 0.5; done
  [ -s "$WORK/discovery" ] || { echo "the IdP did not start:"; tail -20 "$WORK/idp.log"; exit 1; }
  [ -s "$WORK/bootstrap" ] || { echo "Kafka did not start:"; tail -20 "$WORK/kafka.log"; exit 1; }
}

# The first lines of a full-chain gateway's config on port $1 (bench.sh's tollgate-chain and the scenario use the
# same): listener, tracing at 1 % (to a closed port), the BenchIdp issuer (RS256) and the BenchKafka ownership
# source. Needs start_idp_and_kafka to have run.
chain_gateway_head() {
  cat <<CONF
listener: { port: $1 }
management: { port: 0 }
tracing: { enabled: true, sampleRatio: 0.01, otlp: { endpoint: "http://127.0.0.1:9" } }
auth:
  issuers:
    - { name: bench, discovery: "$(cat "$WORK/discovery")", audiences: [ "api://bench" ], algorithms: [ RS256 ] }
ownership:
  kafka: { bootstrapServers: "$(cat "$WORK/bootstrap")" }
CONF
}

# The HTTP status of a curl request (arguments as for curl).
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

# Stops the calling shell's background jobs: SIGTERM (the gateways drain, BenchKafka's shutdown hook stops the broker
# JVM and deletes its data directory), then waits up to 20 s for each before SIGKILL.
stop_jobs() {
  local pids
  pids=$(jobs -p)
  [ -n "$pids" ] || return 0
  kill $pids 2>/dev/null || true
  for pid in $pids; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
}

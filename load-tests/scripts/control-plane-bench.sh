#!/usr/bin/env bash
# Config control plane (issue 9; figures in docs/benchmarks.md): propagation of Admin API changes to two nodes,
# request latency while changes stream in vs steady, compiling and matching 10,000 routes. Uses the test kit's
# Postgres and Kafka (found or started), like the integration tests.
#   load-tests/scripts/control-plane-bench.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
./mvnw -B -o -q test -pl gateway-verticles -am -Dtest=ControlPlaneBenchmark -Dsurefire.failIfNoSpecifiedTests=false
grep -h ' INFO .*ControlPlaneBenchmark' gateway-verticles/target/surefire-reports/io.tollgate.sync.ControlPlaneBenchmark-output.txt \
  | sed 's/^.* - //'

#!/usr/bin/env bash
# Ownership replica: retained heap of 1M resources, build/replay time and isOwner latency percentiles
# (issue 5; figures in docs/benchmarks.md). In-process, no Kafka: runs the two logging ITs and prints their lines.
#   load-tests/scripts/ownership-replica-bench.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
./mvnw -B -o -q verify -pl gateway-verticles -am -Dit.test='OwnershipReplicaMemoryIT' \
  -Dtest=OwnershipReplicaBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
grep -h ' INFO ' gateway-verticles/target/failsafe-reports/io.tollgate.ownership.OwnershipReplicaMemoryIT-output.txt \
  gateway-verticles/target/surefire-reports/io.tollgate.ownership.OwnershipReplicaBenchmark-output.txt \
  | sed 's/^.* - //'

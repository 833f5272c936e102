#!/bin/sh
# Benchmark of discovery-service: one packaged instance against 50 AMI test servers x 200 contacts on loopback
# and a real Kafka broker. Prints a Markdown table (also written to discovery-service/target/bench/).
# Options: -Dbench.pbxs=50 -Dbench.contacts=200 -Dbench.cycles=3 -Dbench.interval.seconds=10 -Dbench.jvm="-Xmx256m"
set -eu
cd "$(dirname "$0")/../.."
./mvnw -q -B -pl discovery-service package -DskipTests
./mvnw -q -B -pl discovery-service test -Dtest=DiscoveryBenchmark -Dsurefire.failIfNoSpecifiedTests=false "$@"
cat discovery-service/target/bench/discovery-service.md

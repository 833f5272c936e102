#!/bin/sh
# Benchmark of discovery-service's call quality path: one packaged instance against 10 AMI test servers x 1,000 live
# calls, each reporting RTCP both ways every 5 s (4,000 events/s), and a real Kafka broker. Prints a Markdown table
# (also written to discovery-service/target/bench/discovery-calls.md).
# Options: -Dbench.pbxs=10 -Dbench.calls=1000 -Dbench.seconds=30 -Dbench.jvm="-Xmx256m"
set -eu
cd "$(dirname "$0")/../.."
./mvnw -q -B -pl discovery-service -am package -DskipTests
./mvnw -q -B -pl discovery-service -am test -Dtest=CallQualityBenchmark -Dsurefire.failIfNoSpecifiedTests=false "$@"
cat discovery-service/target/bench/discovery-calls.md

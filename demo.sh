#!/usr/bin/env bash
# One-command demo: a real single-node Kafka broker on localhost, the public IOC list as indicator
# records, a stream of VMConnection rows, the Flink job on a local MiniCluster (web UI on
# http://localhost:8081) and the alerts as they arrive.
# Needs only a JDK 17 (or newer) and Maven. Ctrl-C stops everything. Options: ./demo.sh --help
#
# The demo lives in src/demo (never in a job jar): it runs on the build's classes and the test
# classpath, which the first run builds (about a minute; the first build downloads the dependencies).
set -euo pipefail
cd "$(dirname "$0")"

CP_FILE=target/demo/classpath.txt
BROKER_LIB=target/kafka-broker/lib

if ! command -v java >/dev/null 2>&1; then
  echo "demo.sh: java not found: install a JDK 17 (or newer) and put it on the PATH" >&2
  exit 1
fi
java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | sed -n 1p)
if [[ -n "$java_major" && "$java_major" -lt 17 ]]; then
  echo "demo.sh: Java $java_major found; the demo needs Java 17 or newer" >&2
  exit 1
fi
if [[ ! -f "$CP_FILE" || ! -f target/test-classes/io/tiflink/vmconn/demo/Demo.class ]] \
    || ! ls "$BROKER_LIB"/kafka_2.13-*.jar >/dev/null 2>&1; then
  if ! command -v mvn >/dev/null 2>&1; then
    echo "demo.sh: the demo is not built and mvn is not on the PATH: install Maven 3.8+" >&2
    exit 1
  fi
  echo "demo.sh: building (mvn -DskipTests package; the first build downloads the dependencies)..." >&2
  mkdir -p target/demo
  mvn -q -B -DskipTests package dependency:build-classpath \
      -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >&2
fi

# exec: Ctrl-C and kill reach the demo's JVM directly; it stops the job and the broker.
exec java @flink-conf/java17-opens.args -Dkafka.broker.lib="$BROKER_LIB" \
  -cp "target/test-classes:target/classes:$(cat "$CP_FILE")" io.tiflink.vmconn.demo.Demo "$@"

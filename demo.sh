#!/usr/bin/env bash
# One-command demo: a real single-node Kafka broker on localhost, the public IOC list as
# ThreatIntelligenceIndicator rows, a stream of VMConnection rows, the Flink job on a local
# MiniCluster (web UI on http://localhost:8081) and the alerts as they arrive.
# Needs only a JDK 17 (or newer) and Maven. Ctrl-C stops everything. Options: ./demo.sh --help
set -euo pipefail
cd "$(dirname "$0")"

JAR=target/ti-ip-vmconnection-local.jar
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
if [[ ! -f "$JAR" ]] || ! ls "$BROKER_LIB"/kafka_2.13-*.jar >/dev/null 2>&1; then
  if ! command -v mvn >/dev/null 2>&1; then
    echo "demo.sh: $JAR is not built and mvn is not on the PATH: install Maven 3.8+" >&2
    exit 1
  fi
  echo "demo.sh: building (mvn -q -DskipTests package; the first build downloads the dependencies)..." >&2
  mvn -q -B -DskipTests package >&2
fi

# exec: Ctrl-C and kill reach the demo's JVM directly; it stops the job and the broker.
exec java -Dkafka.broker.lib="$BROKER_LIB" -jar "$JAR" demo "$@"

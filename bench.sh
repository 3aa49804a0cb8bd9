#!/usr/bin/env bash
# Benchmarks: the whole detection workflow against its ceilings (parse-only pipeline, plain parse
# loop) and its Flink SQL peer, scaling with the indicator set (throughput, heap per indicator,
# checkpoint size and time), alert latency in first mode at half load, and through a local Kafka
# broker. Generates its own rows; prints a table and writes target/bench/results.json,
# results.md and throughput-vs-indicators.svg. Default sizes take a few minutes on 2 cores.
#
#   ./bench.sh                     default sizes
#   ./bench.sh --help              every option (sizes, parts to skip, latency settings)
#   ./bench.sh --connections 2000000 --scale 10000,100000,1000000,3000000
#   ./bench.sh --soak              the soak benchmark only (75 min of event time at 10,000 rows/s, heap
#                                  and RocksDB state, each in a JVM of its own with a 4 GB heap; 30-60 min
#                                  on 2 cores): soak.json, soak.svg and the soak keys of results.json
#
# Environment: BENCH_HEAP (JVM -Xms and -Xmx, default 8g; 1g with --soak), BENCH_JVM_OPTS (more JVM options), BENCH_JFR=1 (record a JFR profile to
# target/bench/bench.jfr), MVN_ARGS (extra Maven arguments, e.g. -o), BENCH_NO_BUILD=1 (reuse the build).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v java >/dev/null 2>&1; then
  echo "bench.sh: java not found: install a JDK 17 (or newer) and put it on the PATH" >&2
  exit 1
fi

mkdir -p target/bench
CP_FILE=target/bench/classpath.txt
if [[ "${BENCH_NO_BUILD:-}" != "1" || ! -f "$CP_FILE" ]]; then
  if ! command -v mvn >/dev/null 2>&1; then
    echo "bench.sh: mvn is not on the PATH: install Maven 3.8+" >&2
    exit 1
  fi
  echo "bench.sh: building (mvn test-compile; the first build downloads the dependencies)..." >&2
  # The test classpath (the bench lives in src/test/java: it never ships in the job jars) and the
  # Kafka broker's jars (target/kafka-broker/lib, as `mvn package` copies them for the demo).
  # shellcheck disable=SC2086
  mvn -q -B ${MVN_ARGS:-} test-compile dependency:build-classpath \
      -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >&2
  if ! ls target/kafka-broker/lib/kafka_2.13-*.jar >/dev/null 2>&1; then
    # shellcheck disable=SC2086
    mvn -q -B ${MVN_ARGS:-} dependency:copy@kafka-broker-lib >&2
  fi
fi


# G1 with the TaskManagers' pause goal of flink-conf/config.yaml (env.java.opts.taskmanager). The soak
# runs its jobs in JVMs of their own (heap --soak-heap): this one only starts them and reports.
HEAP=${BENCH_HEAP:-8g}
for a in "$@"; do
  if [[ "$a" == "--soak" ]]; then HEAP=${BENCH_HEAP:-1g}; fi
done
JVM=("-Xms${HEAP}" "-Xmx${HEAP}" -XX:+UseG1GC -XX:MaxGCPauseMillis=50
  -Dkafka.broker.lib=target/kafka-broker/lib)
# shellcheck disable=SC2206
JVM+=(${BENCH_JVM_OPTS:-})
if [[ "${BENCH_JFR:-}" == "1" ]]; then
  JVM+=("-XX:StartFlightRecording=filename=target/bench/bench.jfr,settings=profile,dumponexit=true")
fi

exec java @flink-conf/java17-opens.args "${JVM[@]}" -cp "target/test-classes:target/classes:$(cat "$CP_FILE")" \
  io.tiflink.vmconn.bench.Bench "$@"

#!/usr/bin/env bash
# A throwaway single-node Kafka broker (KRaft, broker and controller in one JVM) for the local
# cluster, from the jars `mvn package` copies to target/kafka-broker/lib; no Docker.
#
#   deploy/local/kafka.sh start                     broker on 127.0.0.1:$KAFKA_PORT (9092) + the job's topics
#   deploy/local/kafka.sh produce TOPIC FILE [KEY]  one record per line (KEY: the JSON field to key by)
#   deploy/local/kafka.sh consume TOPIC [SECONDS]   print committed records until SECONDS (5) pass without one
#   deploy/local/kafka.sh stop                      stop the broker and delete its data
#
# Settings (environment): KAFKA_WORK_DIR (default /tmp/ti-kafka), KAFKA_PORT (9092),
# KAFKA_CONTROLLER_PORT (9093), KAFKA_LIB_DIR (target/kafka-broker/lib).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT=$(cd "$HERE/../.." && pwd)
WORK=${KAFKA_WORK_DIR:-/tmp/ti-kafka}
PORT=${KAFKA_PORT:-9092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
LIB=${KAFKA_LIB_DIR:-$PROJECT/target/kafka-broker/lib}
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
BOOTSTRAP="127.0.0.1:$PORT"

die() { echo "kafka: $*" >&2; exit 1; }
say() { echo "kafka: $*"; }

cp_() {
  compgen -G "$LIB/kafka_2.13-*.jar" >/dev/null \
    || die "no Kafka jars in $LIB: run \`mvn -DskipTests package\` in $PROJECT first"
  echo "$LIB/*"
}
tool() { "$JAVA" -cp "$(cp_)" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "$HERE/KafkaTool.java" "$@" 2> >(grep -v SLF4J >&2); }

alive() { [[ -f "$WORK/broker.pid" ]] && kill -0 "$(cat "$WORK/broker.pid")" 2>/dev/null; }

cmd_start() {
  alive && die "a broker is already running from $WORK (pid $(cat "$WORK/broker.pid"))"
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && die "port $PORT is in use; set KAFKA_PORT"
  rm -rf "$WORK"; mkdir -p "$WORK"
  cat >"$WORK/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$WORK/data
num.partitions=2
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  cat >"$WORK/log4j2.properties" <<EOF
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
appender.file.type = File
appender.file.name = file
appender.file.fileName = $WORK/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
EOF
  local id
  id=$("$JAVA" -cp "$(cp_)" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
  "$JAVA" -cp "$(cp_)" -Dlog4j2.configurationFile="file:$WORK/log4j2.properties" kafka.tools.StorageTool \
    format -t "$id" -c "$WORK/server.properties" >"$WORK/format.out" 2>&1 || die "formatting failed: $WORK/format.out"
  nohup "$JAVA" -Xms128m -Xmx512m -Dlog4j2.configurationFile="file:$WORK/log4j2.properties" \
    -Dkafka.logs.dir="$WORK" -cp "$(cp_)" kafka.Kafka "$WORK/server.properties" \
    >"$WORK/broker.out" 2>&1 </dev/null &
  echo $! >"$WORK/broker.pid"
  local deadline=$((SECONDS + 60))
  until (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do
    alive || { tail -30 "$WORK/server.log" >&2 || true; die "the broker exited while starting (log above)"; }
    ((SECONDS < deadline)) || die "the broker did not open port $PORT within 60 s; see $WORK/server.log"
    sleep 0.3
  done
  say "broker pid $(cat "$WORK/broker.pid") on $BOOTSTRAP (data and log in $WORK)"
  tool topics "$BOOTSTRAP" | sed 's/^/kafka: topic /'
}

cmd_stop() {
  if alive; then
    local pid; pid=$(cat "$WORK/broker.pid")
    kill -TERM "$pid"
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    say "broker stopped"
  else
    say "no broker running from $WORK"
  fi
  rm -rf "$WORK"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) if alive; then say "broker pid $(cat "$WORK/broker.pid") on $BOOTSTRAP"; else say "not running"; fi ;;
  produce) shift; [[ $# -ge 2 ]] || die "produce TOPIC FILE [KEY-FIELD]"; tool produce "$BOOTSTRAP" "$@" ;;
  consume) shift; [[ $# -ge 1 ]] || die "consume TOPIC [SECONDS]"; tool consume "$BOOTSTRAP" "$@" ;;
  *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

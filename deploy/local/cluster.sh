#!/usr/bin/env bash
# A real Flink 2.2 standalone session cluster on this machine, without Docker and without the
# Flink distribution archive: one JobManager and N TaskManagers, each its own JVM, started the way
# Flink's own scripts start them (memory flags from BashJavaUtils, Java 17 --add-opens flags),
# from the jars `mvn package` copies to target/flink-cluster/lib. Linux (it reads /proc), bash,
# curl and python3 (for the REST API's JSON; jq is not needed).
#
#   deploy/local/cluster.sh start [N] [-D key=value ...]   JobManager + N TaskManagers (default 2)
#   deploy/local/cluster.sh status                         processes, memory (RSS), TaskManagers, jobs
#   deploy/local/cluster.sh add-tm                         one more TaskManager
#   deploy/local/cluster.sh kill-tm INDEX                  SIGKILL TaskManager INDEX (a crash, for testing)
#   deploy/local/cluster.sh logs [LINES]                   the tail of every log
#   deploy/local/cluster.sh stop                           stops every process this cluster started
#
# The configuration is flink-conf/config.yaml with this machine's overrides (localhost, small
# memory, checkpoints and savepoints under the work dir), written to $FLINK_WORK_DIR/conf/config.yaml.
# `-D key=value` after `start` adds or overrides any option. Settings (environment):
#   FLINK_WORK_DIR    conf, logs, pids, checkpoints, savepoints   (default /tmp/ti-flink-cluster)
#   FLINK_LIB_DIR     the cluster's jars                          (default target/flink-cluster/lib)
#   FLINK_CONF_SRC    the configuration to start from             (default flink-conf)
#   FLINK_REST_PORT   web UI and REST API                         (default 8081)
#   FLINK_RPC_PORT    JobManager RPC                              (default 6123)
#   FLINK_JM_MEMORY   jobmanager.memory.process.size              (default 1g)
#   FLINK_TM_MEMORY   taskmanager.memory.process.size             (default 1g)
#   FLINK_TM_SLOTS    taskmanager.numberOfTaskSlots               (default 2)
#   FLINK_START_TIMEOUT  seconds to wait for the REST API and the TaskManagers (default 90)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT=$(cd "$HERE/../.." && pwd)
WORK=${FLINK_WORK_DIR:-/tmp/ti-flink-cluster}
LIB=${FLINK_LIB_DIR:-$PROJECT/target/flink-cluster/lib}
CONF_SRC=${FLINK_CONF_SRC:-$PROJECT/flink-conf}
REST_PORT=${FLINK_REST_PORT:-8081}
RPC_PORT=${FLINK_RPC_PORT:-6123}
JM_MEMORY=${FLINK_JM_MEMORY:-1g}
TM_MEMORY=${FLINK_TM_MEMORY:-1g}
TM_SLOTS=${FLINK_TM_SLOTS:-2}
START_TIMEOUT=${FLINK_START_TIMEOUT:-90}
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

CONF="$WORK/conf"
LOG="$WORK/log"
PIDS="$WORK/pids"

# Flink's own --add-opens list (the default of env.java.opts.all), in one file for every script and
# the tests: Java 17 closes these packages, and Flink (Kryo, reflection, the network stack) needs them open.
JAVA_OPENS=("@$PROJECT/flink-conf/java17-opens.args")

die() { echo "cluster: $*" >&2; exit 1; }
say() { echo "cluster: $*"; }

classpath() {
  compgen -G "$LIB/flink-runtime-*.jar" >/dev/null \
    || die "no Flink jars in $LIB: run \`mvn -DskipTests package\` in $PROJECT first (it copies them there), or set FLINK_LIB_DIR"
  echo "$LIB/*"
}

# pid of a role (jobmanager, taskmanager-1, ...) if that process is alive and is ours.
alive_pid() {
  local f="$PIDS/$1.pid" pid
  [[ -f "$f" ]] || return 1
  pid=$(cat "$f")
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -- "$WORK" >/dev/null || return 1   # not a recycled pid
  echo "$pid"
}

rest() { curl -sf --max-time 5 "http://localhost:$REST_PORT$1"; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Runs Flink's BashJavaUtils and prints its result lines.
bash_java_utils() {
  local out
  out=$("$JAVA" -cp "$(classpath)" -Dlog4j2.configurationFile="file:$CONF/log4j-bash-java-utils.properties" \
        -Dlog.file="$LOG/bash-java-utils.log" \
        org.apache.flink.runtime.util.bash.BashJavaUtils "$@" 2>>"$LOG/bash-java-utils.log") \
    || die "BashJavaUtils $1 failed: see $LOG/bash-java-utils.log"
  grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$out" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

write_log4j() {
  cat >"$CONF/log4j.properties" <<'EOF'
# As Flink's distribution: one rolling file per process, named by -Dlog.file.
monitorInterval = 30
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
logger.shaded_zookeeper.name = org.apache.flink.shaded.zookeeper3
logger.shaded_zookeeper.level = INFO
logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
appender.main.name = MainAppender
appender.main.type = RollingFile
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.filePattern = ${sys:log.file}.%i
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.main.policies.type = Policies
appender.main.policies.size.type = SizeBasedTriggeringPolicy
appender.main.policies.size.size = 100MB
appender.main.policies.startup.type = OnStartupTriggeringPolicy
appender.main.strategy.type = DefaultRolloverStrategy
appender.main.strategy.max = 10
EOF
  cat >"$CONF/log4j-bash-java-utils.properties" <<'EOF'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FileAppender
appender.file.name = FileAppender
appender.file.type = File
appender.file.append = true
appender.file.fileName = ${sys:log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
EOF
}

# The memory flags of each kind of process, as Flink's scripts compute them (first line: JVM
# flags; second: dynamic properties), computed once per start, both at the same time.
compute_memory_params() {
  bash_java_utils GET_JM_RESOURCE_PARAMS --configDir "$CONF" >"$CONF/jobmanager.params" &
  local jm=$!
  bash_java_utils GET_TM_RESOURCE_PARAMS --configDir "$CONF" >"$CONF/taskmanager.params" &
  local tm=$!
  wait "$jm" || die "BashJavaUtils gave no JobManager memory flags: see $LOG/bash-java-utils.log"
  wait "$tm" || die "BashJavaUtils gave no TaskManager memory flags: see $LOG/bash-java-utils.log"
}

# flink-conf/config.yaml + this machine's overrides + the caller's -D options -> $CONF/config.yaml
write_config() {
  local overrides=(
    -D "jobmanager.rpc.address=localhost" -D "jobmanager.rpc.port=$RPC_PORT" -D "jobmanager.bind-host=localhost"
    -D "taskmanager.host=localhost" -D "taskmanager.bind-host=localhost"
    -D "rest.address=localhost" -D "rest.bind-address=localhost" -D "rest.port=$REST_PORT"
    -D "jobmanager.memory.process.size=$JM_MEMORY"
    -D "taskmanager.memory.process.size=$TM_MEMORY" -D "taskmanager.numberOfTaskSlots=$TM_SLOTS"
    -D "execution.checkpointing.dir=file://$WORK/checkpoints" -D "execution.checkpointing.savepoint-dir=file://$WORK/savepoints"
    -D "io.tmp.dirs=$WORK/tmp" -D "web.upload.dir=$WORK/web-upload" -D "web.tmpdir=$WORK/web-tmp"
    -D "blob.storage.directory=$WORK/blobs"
  )
  [[ -f "$CONF_SRC/config.yaml" ]] || die "no $CONF_SRC/config.yaml"
  local body
  body=$(bash_java_utils UPDATE_AND_GET_FLINK_CONFIGURATION --configDir "$CONF_SRC" "${overrides[@]}" "$@")
  {
    echo "# Generated by deploy/local/cluster.sh from $CONF_SRC/config.yaml with this machine's overrides."
    echo "# Edit the source and restart the cluster; changes here are lost on the next start."
    echo "$body"
  } >"$CONF/config.yaml.tmp"
  mv "$CONF/config.yaml.tmp" "$CONF/config.yaml"
}

start_jobmanager() {
  local params jvm dyn pid
  params=$(cat "$CONF/jobmanager.params")
  jvm=$(sed -n 1p <<<"$params"); dyn=$(sed -n 2p <<<"$params")
  [[ -n "$jvm" ]] || die "BashJavaUtils gave no JobManager memory flags: see $LOG/bash-java-utils.log"
  # shellcheck disable=SC2086  # jvm and dyn are lists of flags
  nohup "$JAVA" $jvm "${JAVA_OPENS[@]}" -XX:+UseG1GC \
    -Dlog.file="$LOG/jobmanager.log" -Dlog4j.configurationFile="file:$CONF/log4j.properties" \
    -Dti.flink.cluster="$WORK" -cp "$(classpath)" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    --configDir "$CONF" --executionMode cluster $dyn \
    >"$LOG/jobmanager.out" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PIDS/jobmanager.pid"
  say "JobManager pid $pid (log $LOG/jobmanager.log)"
}

start_taskmanager() {
  local index=$1 params jvm dyn pid
  params=$(cat "$CONF/taskmanager.params")
  jvm=$(sed -n 1p <<<"$params"); dyn=$(sed -n 2p <<<"$params")
  [[ -n "$jvm" ]] || die "BashJavaUtils gave no TaskManager memory flags: see $LOG/bash-java-utils.log"
  # shellcheck disable=SC2086
  nohup "$JAVA" $jvm "${JAVA_OPENS[@]}" -XX:+UseG1GC \
    -Dlog.file="$LOG/taskmanager-$index.log" -Dlog4j.configurationFile="file:$CONF/log4j.properties" \
    -Dti.flink.cluster="$WORK" -cp "$(classpath)" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
    --configDir "$CONF" $dyn -D "taskmanager.resource-id=tm-$index" \
    >"$LOG/taskmanager-$index.out" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PIDS/taskmanager-$index.pid"
  say "TaskManager tm-$index pid $pid (log $LOG/taskmanager-$index.log)"
}

# Prints the resource ids of the registered TaskManagers, one a line.
registered_tms() {
  rest /taskmanagers | python3 -c 'import json,sys; [print(t["id"]) for t in json.load(sys.stdin)["taskmanagers"]]' 2>/dev/null
}

# Waits until the REST API answers and every TaskManager id given is registered.
await_ready() {
  local deadline=$((SECONDS + START_TIMEOUT)) want=("$@") missing
  while :; do
    alive_pid jobmanager >/dev/null || { logs 40 >&2; die "the JobManager exited while starting (logs above)"; }
    if registered=$(registered_tms); then
      missing=()
      for id in "${want[@]}"; do grep -qx "$id" <<<"$registered" || missing+=("$id"); done
      [[ ${#missing[@]} -eq 0 ]] && return 0
      for id in "${missing[@]}"; do
        alive_pid "taskmanager-${id#tm-}" >/dev/null || { logs 40 >&2; die "TaskManager $id exited while starting (logs above)"; }
      done
    fi
    if ((SECONDS >= deadline)); then
      logs 40 >&2
      die "not ready within $START_TIMEOUT s (REST http://localhost:$REST_PORT, waiting for: ${missing[*]:-the REST API}); logs above, all in $LOG"
    fi
    sleep 0.5
  done
}

tm_indices() {
  local f
  for f in "$PIDS"/taskmanager-*.pid; do
    [[ -e "$f" ]] || continue
    f=${f##*/taskmanager-}; echo "${f%.pid}"
  done | sort -n
}

cmd_start() {
  local count=2 extra=()
  while (($#)); do
    case "$1" in
      -D) extra+=(-D "$2"); shift 2 ;;
      -D*) extra+=(-D "${1#-D}"); shift ;;
      [0-9]*) count=$1; shift ;;
      *) die "start takes [N] [-D key=value ...], not '$1'" ;;
    esac
  done
  if pid=$(alive_pid jobmanager); then
    die "a cluster is already running from $WORK (JobManager pid $pid): \`$0 stop\` first, or set FLINK_WORK_DIR"
  fi
  for p in "$REST_PORT" "$RPC_PORT"; do
    port_busy "$p" && die "port $p is in use (another Flink cluster? \`$0 status\`); set FLINK_REST_PORT / FLINK_RPC_PORT"
  done
  command -v python3 >/dev/null || die "python3 is needed to read the REST API's JSON"
  command -v curl >/dev/null || die "curl is needed to talk to the REST API"
  local t0=$SECONDS
  rm -rf "$PIDS" "$CONF"
  mkdir -p "$CONF" "$LOG" "$PIDS" "$WORK/checkpoints" "$WORK/savepoints" "$WORK/tmp" "$WORK/web-upload" "$WORK/web-tmp"
  write_log4j
  write_config "${extra[@]}"
  compute_memory_params
  printf 'FLINK_REST_PORT=%s\nFLINK_RPC_PORT=%s\n' "$REST_PORT" "$RPC_PORT" >"$WORK/cluster.env"
  start_jobmanager
  local ids=()
  for ((i = 1; i <= count; i++)); do start_taskmanager "$i"; ids+=("tm-$i"); done
  await_ready "${ids[@]}"
  say "up in $((SECONDS - t0)) s: web UI and REST API on http://localhost:$REST_PORT, $count TaskManagers x $TM_SLOTS slots"
  say "conf $CONF/config.yaml, logs $LOG, savepoints $WORK/savepoints; stop with \`$0 stop\`"
}

cmd_add_tm() {
  alive_pid jobmanager >/dev/null || die "no cluster running from $WORK: \`$0 start\` first"
  local last next
  last=$(tm_indices | tail -1); next=$(( ${last:-0} + 1 ))
  start_taskmanager "$next"
  await_ready "tm-$next"
  say "TaskManager tm-$next registered"
}

cmd_kill_tm() {
  local index=${1:?kill-tm takes the TaskManager index (see status)} pid
  pid=$(alive_pid "taskmanager-$index") || die "TaskManager $index is not running"
  kill -KILL "$pid"
  say "TaskManager tm-$index (pid $pid) killed with SIGKILL"
}

cmd_status() {
  local any=0 role pid rss
  for f in "$PIDS"/*.pid; do
    [[ -e "$f" ]] || continue
    role=$(basename "$f" .pid)
    if pid=$(alive_pid "$role"); then
      rss=$(awk '/VmRSS/ {printf "%d MB", $2 / 1024}' "/proc/$pid/status")
      printf 'cluster: %-16s pid %-8s RSS %s\n' "$role" "$pid" "$rss"; any=1
    else
      printf 'cluster: %-16s not running\n' "$role"
    fi
  done
  ((any)) || { say "nothing running from $WORK"; return 0; }
  if overview=$(rest /overview); then
    python3 -c '
import json, sys
o = json.loads(sys.argv[1])
print("cluster: REST http://localhost:%s: %d TaskManagers, %d/%d slots free, jobs running %d, finished %d, cancelled %d, failed %d"
      % (sys.argv[2], o["taskmanagers"], o["slots-available"], o["slots-total"], o["jobs-running"],
         o["jobs-finished"], o["jobs-cancelled"], o["jobs-failed"]))' "$overview" "$REST_PORT"
    rest /jobs/overview | python3 -c '
import json, sys
for j in json.load(sys.stdin)["jobs"]:
    print("cluster:   job %s %-10s %s" % (j["jid"], j["state"], j["name"]))' || true
  else
    say "the REST API on port $REST_PORT does not answer"
  fi
}

logs() {
  local lines=${1:-30} f
  for f in "$LOG"/jobmanager.log "$LOG"/taskmanager-*.log "$LOG"/*.out; do
    [[ -s "$f" ]] || continue
    echo "----- tail -n $lines $f"
    tail -n "$lines" "$f"
  done
}

cmd_stop() {
  local pids=() role pid
  # TaskManagers first, so that the JobManager sees them go rather than time out.
  for f in "$PIDS"/taskmanager-*.pid "$PIDS"/jobmanager.pid; do
    [[ -e "$f" ]] || continue
    role=$(basename "$f" .pid)
    if pid=$(alive_pid "$role"); then kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); fi
  done
  local deadline=$((SECONDS + 30))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; say "pid $pid did not stop in 30 s: killed"; fi
  done
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  done
  rm -rf "$PIDS"
  say "stopped ${#pids[@]} processes (logs stay in $LOG)"
}

# Commands on a running cluster use the ports it was started with.
running_env() {
  if [[ -f "$WORK/cluster.env" ]]; then
    # shellcheck disable=SC1091
    source "$WORK/cluster.env"
    REST_PORT=$FLINK_REST_PORT; RPC_PORT=$FLINK_RPC_PORT
  fi
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) running_env; cmd_status ;;
  add-tm) running_env; cmd_add_tm ;;
  kill-tm) shift; cmd_kill_tm "$@" ;;
  logs) shift; logs "$@" ;;
  *) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

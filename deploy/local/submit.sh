#!/usr/bin/env bash
# Submits the job jar to a running session cluster through the REST API (what `flink run` does):
# upload (POST /jars/upload), run (POST /jars/{id}/run), then waits until every task runs.
#
#   deploy/local/submit.sh [-p PARALLELISM] [-s SAVEPOINT] [-c ENTRY_CLASS] [--allow-non-restored]
#                          [JAR] -- --bootstrap-servers HOST:PORT [job options ...]
#
#   JAR            default target/ti-ip-vmconnection-1.2.0.jar
#   -p N           the job's parallelism (default: the cluster's parallelism.default)
#   -s PATH        start from this savepoint or retained checkpoint (an upgrade, a rescale)
#   --allow-non-restored   let the job start although the savepoint holds state no operator takes;
#                  off by default, so that a changed uid fails loudly instead of dropping state
#
# Prints the job id on standard output. The REST API: FLINK_REST_URL, else the port
# deploy/local/cluster.sh started the cluster with, else http://localhost:8081.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/rest.sh"

parallelism="" savepoint="" entry="io.tiflink.vmconn.job.TiVmConnectionJob" allow=false
jar="$PROJECT/target/ti-ip-vmconnection-1.2.0.jar"
while (($#)); do
  case "$1" in
    -p) parallelism=$2; shift 2 ;;
    -s) savepoint=$2; shift 2 ;;
    -c) entry=$2; shift 2 ;;
    --allow-non-restored) allow=true; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (--help)" ;;
    *) jar=$1; shift ;;
  esac
done
[[ -f "$jar" ]] || die "no job jar $jar: run \`mvn -DskipTests package\` first"
(($#)) || die "give the job's options after --, at least: -- --bootstrap-servers HOST:PORT"

say "uploading $jar to $FLINK_REST_URL"
jar_id=$(curl -sS -X POST -H 'Expect:' -F "jarfile=@$jar" "$FLINK_REST_URL/jars/upload" \
         | json 'j["filename"].rsplit("/", 1)[-1] if j.get("status") == "success" else None') \
  || die "upload failed (is the cluster up? deploy/local/cluster.sh status)"
[[ -n "$jar_id" ]] || die "upload failed"

body=$(python3 - "$entry" "$parallelism" "$savepoint" "$allow" "$@" <<'EOF'
import json, sys
entry, parallelism, savepoint, allow, *args = sys.argv[1:]
body = {"entryClass": entry, "programArgsList": args}
if parallelism:
    body["parallelism"] = int(parallelism)
if savepoint:
    body["savepointPath"] = savepoint
    body["allowNonRestoredState"] = allow == "true"
print(json.dumps(body))
EOF
)
say "running $jar_id${parallelism:+ at parallelism $parallelism}${savepoint:+ from $savepoint}"
job_id=$(call POST "/jars/$jar_id/run" "$body" | json 'j["jobid"]')

deadline=$((SECONDS + ${SUBMIT_TIMEOUT:-180}))
while :; do
  job=$(call GET "/jobs/$job_id")
  state=$(json 'j["state"]' <<<"$job")
  running=$(json 'all(v["status"] == "RUNNING" for v in j["vertices"])' <<<"$job")
  if [[ "$state" == RUNNING && "$running" == True ]]; then break; fi
  case "$state" in
    FAILED|CANCELED|FINISHED)
      call GET "/jobs/$job_id/exceptions" | json '(j.get("exceptionHistory", {}).get("entries") or [{}])[0].get("stacktrace")' >&2 || true
      die "job $job_id is $state (root cause above; full logs: deploy/local/cluster.sh logs)" ;;
  esac
  ((SECONDS < deadline)) || die "job $job_id is $state but not all its tasks run after ${SUBMIT_TIMEOUT:-180} s (free slots? deploy/local/cluster.sh status)"
  sleep 0.5
done
say "job $job_id running: $FLINK_REST_URL/#/job/running/$job_id/overview"
echo "$job_id"

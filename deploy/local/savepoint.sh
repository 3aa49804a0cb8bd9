#!/usr/bin/env bash
# Savepoints through the REST API (what `flink stop` and `flink savepoint` do).
#
#   deploy/local/savepoint.sh stop JOB_ID [--dir DIR]      stop the job with a savepoint (before an upgrade)
#   deploy/local/savepoint.sh trigger JOB_ID [--dir DIR]   a savepoint; the job keeps running
#
# Prints the savepoint's path on standard output: resubmit with deploy/local/submit.sh -s PATH.
# DIR defaults to the cluster's execution.checkpointing.savepoint-dir. `stop` does not drain: windows still open stay
# in the savepoint and close in the next run, so no alert is emitted early or twice.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/rest.sh"

cmd=${1:-}; job_id=${2:-}; dir=""
[[ "$cmd" == stop || "$cmd" == trigger ]] && [[ -n "$job_id" ]] || { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
shift 2
while (($#)); do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done

t0=$(date +%s.%N)
if [[ "$cmd" == stop ]]; then
  body=$(python3 -c 'import json,sys; print(json.dumps({"drain": False, "targetDirectory": sys.argv[1] or None}))' "$dir")
  request=$(call POST "/jobs/$job_id/stop" "$body" | json 'j["request-id"]')
else
  body=$(python3 -c 'import json,sys; print(json.dumps({"cancel-job": False, "target-directory": sys.argv[1] or None}))' "$dir")
  request=$(call POST "/jobs/$job_id/savepoints" "$body" | json 'j["request-id"]')
fi
location=$(await_savepoint "$job_id" "$request")
took=$(python3 -c 'import sys,time; print("%.1f" % (time.time() - float(sys.argv[1])))' "$t0")
size=""
if [[ "$location" == file:* ]]; then size=$(du -sh "${location#file:}" 2>/dev/null | cut -f1); fi
say "savepoint in ${took} s${size:+, $size}: $location"
if [[ "$cmd" == stop ]]; then
  deadline=$((SECONDS + 60))
  while [[ $(call GET "/jobs/$job_id" | json 'j["state"]') != FINISHED ]] && ((SECONDS < deadline)); do sleep 0.5; done
  say "job $job_id stopped; resume with: deploy/local/submit.sh -s $location -- <the same job options>"
fi
echo "$location"

# Shared by submit.sh and savepoint.sh: calls to Flink's REST API with curl, JSON read with python3
# (no jq needed). Sourced, not run.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT=$(cd "$HERE/../.." && pwd)
WORK=${FLINK_WORK_DIR:-/tmp/ti-flink-cluster}
if [[ -z "${FLINK_REST_URL:-}" ]]; then
  if [[ -z "${FLINK_REST_PORT:-}" && -f "$WORK/cluster.env" ]]; then
    # shellcheck disable=SC1091  # the ports cluster.sh started the cluster with
    source "$WORK/cluster.env"
  fi
  FLINK_REST_URL="http://localhost:${FLINK_REST_PORT:-8081}"
fi

die() { echo "${0##*/}: $*" >&2; exit 1; }
say() { echo "${0##*/}: $*" >&2; }

command -v curl >/dev/null || die "curl is needed"
command -v python3 >/dev/null || die "python3 is needed to read the REST API's JSON"

# call METHOD PATH [JSON-BODY]: prints the response; on an HTTP error, dies with Flink's message.
call() {
  local method=$1 path=$2 body=${3:-} out code
  out=$(mktemp)
  if [[ -n "$body" ]]; then
    code=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" -H 'Content-Type: application/json' \
           --data "$body" "$FLINK_REST_URL$path") || { rm -f "$out"; die "no answer from $FLINK_REST_URL (is the cluster up? deploy/local/cluster.sh status)"; }
  else
    code=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "$FLINK_REST_URL$path") \
      || { rm -f "$out"; die "no answer from $FLINK_REST_URL (is the cluster up? deploy/local/cluster.sh status)"; }
  fi
  if [[ "$code" != 2* ]]; then
    local msg
    msg=$(python3 -c 'import json,sys
try: print("\n".join(json.load(open(sys.argv[1])).get("errors", [])))
except Exception: print(open(sys.argv[1]).read())' "$out")
    rm -f "$out"
    die "$method $path: HTTP $code: $msg"
  fi
  cat "$out"; rm -f "$out"
}

# json EXPR: evaluates a Python expression over the JSON document on stdin (bound to j).
json() { python3 -c "import json,sys; j=json.load(sys.stdin); v=($1); print(v if v is not None else '')"; }

# await_savepoint JOB_ID REQUEST_ID: polls the operation; prints the savepoint's location.
await_savepoint() {
  local jid=$1 rid=$2 deadline=$((SECONDS + ${SAVEPOINT_TIMEOUT:-600})) status
  while :; do
    status=$(call GET "/jobs/$jid/savepoints/$rid")
    case $(json 'j["status"]["id"]' <<<"$status") in
      COMPLETED)
        local failure location
        failure=$(json '(j.get("operation") or {}).get("failure-cause", {}).get("stack-trace")' <<<"$status")
        [[ -z "$failure" ]] || die "the savepoint failed:
$failure"
        location=$(json 'j["operation"]["location"]' <<<"$status")
        echo "$location"
        return 0 ;;
      *) ((SECONDS < deadline)) || die "the savepoint did not complete within ${SAVEPOINT_TIMEOUT:-600} s"
         sleep 0.5 ;;
    esac
  done
}

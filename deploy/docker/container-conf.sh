#!/usr/bin/env bash
# Adapts the project's config.yaml (written for one machine: everything on localhost) to a
# container, the way Flink's official image adapts its own default config.yaml: the REST API, RPC
# and data ports listen on all interfaces, each TaskManager advertises its own address instead of
# localhost, and the Prometheus reporter can be scraped from outside the container. It uses Flink's
# own configuration tool (bin/config-parser-utils.sh), so the YAML stays valid.
#
#   container-conf.sh                adapt /opt/flink/conf/config.yaml in place (at image build)
#   container-conf.sh DIR ARGS...    copy DIR/config.yaml over it first (a read-only mount of the
#                                    project's flink-conf), adapt it, then run the image's
#                                    entrypoint with ARGS (jobmanager, taskmanager, ...)
#
# Copying rather than mounting over /opt/flink/conf: the image's entrypoint rewrites config.yaml
# at every start (JOB_MANAGER_RPC_ADDRESS, FLINK_PROPERTIES), which would overwrite the mounted
# file on the host, comments and all.
set -euo pipefail

FLINK_HOME=${FLINK_HOME:-/opt/flink}
conf="$FLINK_HOME/conf"

if [[ $# -gt 0 && -d "$1" ]]; then
  cp "$1/config.yaml" "$conf/config.yaml"
  shift
fi

"$FLINK_HOME/bin/config-parser-utils.sh" "$conf" "$FLINK_HOME/bin" "$FLINK_HOME/lib" \
  -repKV "rest.address,localhost,0.0.0.0" \
  -repKV "rest.bind-address,localhost,0.0.0.0" \
  -repKV "jobmanager.bind-host,localhost,0.0.0.0" \
  -repKV "taskmanager.bind-host,localhost,0.0.0.0" \
  -rmKV "taskmanager.host=localhost" \
  -repKV "metrics.reporter.prom.host,localhost,0.0.0.0"

if [[ $# -gt 0 ]]; then
  exec /docker-entrypoint.sh "$@"
fi

#!/usr/bin/env bash
# Runs MultilateralFlows locally: Azurite (unless one already listens on 10000-10002) and the local host on
# http://127.0.0.1:7071. With "demo", the local host also drives one complete round and prints the position.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_tools
ensure_azurite
[[ -f local.settings.json ]] || cp local.settings.sample.json local.settings.json
mkdir -p .local
build Release

azurite_pid=""
if ! (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; then
  echo "Starting Azurite (data in .local/azurite, log in .local/azurite.log) ..."
  node node_modules/azurite/dist/src/azurite.js --location .local/azurite --skipApiVersionCheck --loose --disableTelemetry \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 >.local/azurite.log 2>&1 &
  azurite_pid=$!
fi

host_args=()
[[ "${1:-}" == "demo" ]] && host_args+=(--demo)
dotnet functions/MultilateralFlows.LocalHost/bin/Release/net10.0/MultilateralFlows.LocalHost.dll "${host_args[@]}" &
host_pid=$!

stop() {
  kill -TERM "$host_pid" 2>/dev/null || true
  wait "$host_pid" 2>/dev/null || true
  [[ -n "$azurite_pid" ]] && kill -TERM "$azurite_pid" 2>/dev/null || true
}
trap stop INT TERM EXIT
wait "$host_pid"

#!/usr/bin/env bash
# Runs MultilateralFlows locally on http://127.0.0.1:7071, with Azurite (unless one already listens on 10000-10002):
#   start.sh [--functions] [demo]
# By default the local host; with --functions the Functions app on the Azure Functions host: Core Tools' `func` where
# installed, else the host script MULTILATERALFLOWS_FUNCTIONS_HOST names (see README). With "demo", the demo program
# then drives one complete round against it over HTTP and prints the final position; the host keeps serving until Ctrl-C.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
host=local
demo=no
for arg in "$@"; do
  case "$arg" in
    --functions) host=functions ;;
    demo) demo=yes ;;
    *) echo "usage: start.sh [--functions] [demo]" >&2; exit 2 ;;
  esac
done

ensure_tools
ensure_azurite
if [[ "$host" == functions ]] && ! command -v func >/dev/null && [[ ! -f "${MULTILATERALFLOWS_FUNCTIONS_HOST:-}" ]]; then
  echo "No Functions host: install Azure Functions Core Tools (func), or set MULTILATERALFLOWS_FUNCTIONS_HOST to a script that runs an app's build output on the Azure Functions host (README: 'The Functions app on your machine')." >&2
  exit 1
fi
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

# Both hosts write e-mails to one folder, wherever their processes run from; the demo reads its links there.
export MailFolder__Path="$repo_root/.local/mail"
export FUNCTIONS_HOST_KEY="${FUNCTIONS_HOST_KEY:-local-function-key}"
app="functions/MultilateralFlows.Functions/bin/Release/net10.0"
case "$host" in
  local)
    dotnet functions/MultilateralFlows.LocalHost/bin/Release/net10.0/MultilateralFlows.LocalHost.dll &
    ;;
  functions)
    if command -v func >/dev/null; then
      echo "Starting the Functions app with Azure Functions Core Tools ..."
      cp local.settings.json "$app/local.settings.json"
      (cd "$app" && exec func host start --port 7071) &
    else
      echo "Starting the Functions app on the Azure Functions host ($MULTILATERALFLOWS_FUNCTIONS_HOST) ..."
      bash "$MULTILATERALFLOWS_FUNCTIONS_HOST" "$app" 7071 &
    fi
    ;;
esac
host_pid=$!

stop() {
  # The Functions host's worker is its child: stop it too, or it outlives the host.
  pkill -TERM -P "$host_pid" 2>/dev/null || true
  kill -TERM "$host_pid" 2>/dev/null || true
  wait "$host_pid" 2>/dev/null || true
  [[ -n "$azurite_pid" ]] && kill -TERM "$azurite_pid" 2>/dev/null || true
}
trap stop INT TERM EXIT

if [[ "$demo" == yes ]]; then
  for _ in $(seq 600); do
    kill -0 "$host_pid" 2>/dev/null || { echo "The host stopped before it answered." >&2; exit 1; }
    healthy 7071 && break
    sleep 0.5
  done
  dotnet functions/MultilateralFlows.Demo/bin/Release/net10.0/MultilateralFlows.Demo.dll \
    --url http://127.0.0.1:7071 --key "$FUNCTIONS_HOST_KEY" --mail-folder "$MailFolder__Path" || echo "The demo failed (see above); the host keeps running." >&2
  key_note=""
  [[ "$host" == functions ]] && key_note=" (function key: $FUNCTIONS_HOST_KEY)"
  echo "===== The $host host keeps running on http://127.0.0.1:7071$key_note; press Ctrl-C to stop. ====="
fi
wait "$host_pid"

#!/usr/bin/env bash
# Runs every test. The tests start their own Azurite (on free ports) and hosts; nothing needs to be running.
# The end-to-end tests run on the local host and on the Functions app under the Azure Functions host: with `func` where
# Azure Functions Core Tools are installed, else with the script MULTILATERALFLOWS_FUNCTIONS_HOST names; with neither,
# the Functions-host tests are skipped (this says so, and so does each skipped test).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_tools
ensure_azurite
ensure_chromium
if command -v func >/dev/null; then
  echo "Functions-host tests run with Azure Functions Core Tools ($(command -v func))."
elif [[ -f "${MULTILATERALFLOWS_FUNCTIONS_HOST:-}" ]]; then
  echo "Functions-host tests run on the host script $MULTILATERALFLOWS_FUNCTIONS_HOST."
else
  echo "Functions-host tests are SKIPPED: neither Azure Functions Core Tools (func) nor MULTILATERALFLOWS_FUNCTIONS_HOST (README: 'Testing on the Functions host')."
fi
build Release
# The whole output is long; where a test fails, its name and message are repeated at the end, where a reader of a CI
# log (often shown only its tail) finds them.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test MultilateralFlows.sln -c Release --no-build --nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?
if [[ $status -ne 0 ]]; then
  echo
  echo "===== Failed tests (repeated from above) ====="
  grep -E -A25 '^\s+Failed [A-Za-z]' "$log" | cut -c1-400 | head -300 || true
fi
exit "$status"

#!/usr/bin/env bash
# Runs every test. The tests start their own Azurite (on free ports) and local hosts; nothing needs to be running.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_tools
ensure_azurite
ensure_chromium
build Release
dotnet test MultilateralFlows.sln -c Release --no-build --nologo --logger "console;verbosity=normal" "$@"

#!/usr/bin/env bash
# Records the round histories the replay test replays (tests/MultilateralFlows.Tests/Rounds/Replay/Histories): rounds
# driven on the local host to each phase a round waits in, their engine history read from the task hub. Run it after a
# deliberate change of the orchestrator's shape under a new version (docs/operations.md, "Changing the orchestrator safely").
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_tools
ensure_azurite
build Release
MULTILATERALFLOWS_RECORD_HISTORIES=1 dotnet test tests/MultilateralFlows.EndToEnd.Tests -c Release --no-build \
  --filter "FullyQualifiedName~RoundHistoryRecorder+OnLocalHost"
git status --short tests/MultilateralFlows.Tests/Rounds/Replay/Histories

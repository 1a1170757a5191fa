#!/usr/bin/env bash
# Publishes the appliance as one self-contained, single-file linux-x64 binary (no .NET needed on
# the target), with the shipped templates and appsettings.json beside it. ReadyToRun: compiled
# ahead of time, it answers /healthz in about half the time (1.1 s against 2.1-2.9 s, bench/scale.sh).
# Usage:
#   scripts/publish.sh [OUT_DIR]      default artifacts/provisioner
# Install as a service: see "Install as a service" in the README and packaging/provisioner.service.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-ensure.sh
require_dotnet
out=$(realpath -m "${1:-artifacts/provisioner}")
rm -rf "$out"
# PUBLISH_ARTIFACTS: build in a directory of its own (the tests do, beside a running test build).
dotnet publish src/Provisioner.Host -c Release -r linux-x64 --self-contained ${PUBLISH_ARTIFACTS:+--artifacts-path "$PUBLISH_ARTIFACTS"} \
  -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:PublishReadyToRun=true -p:DebugType=none -p:StaticWebAssetsEnabled=false \
  -o "$out" -v quiet -nologo >&2
cp -r templates "$out/templates"
echo "$out/provisioner"

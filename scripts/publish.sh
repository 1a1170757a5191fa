#!/usr/bin/env bash
# Publishes the appliance as one self-contained, single-file linux-x64 binary (no .NET needed on
# the target), with the shipped templates, image definitions and appsettings.json beside it.
# PUBLISH_READY_TO_RUN=1: compiled ahead of time (ReadyToRun), it answers /healthz in about half the
# time (1.0-1.2 s against 2.1-2.9 s at 100,000 hosts), but the publish took 2-6 min here instead of
# under one, so it is not the default (a test publishes on every run).
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
  -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true ${PUBLISH_READY_TO_RUN:+-p:PublishReadyToRun=true} -p:DebugType=none -p:StaticWebAssetsEnabled=false \
  -o "$out" -v quiet -nologo >&2
cp -r templates "$out/templates"
cp -r images "$out/images"
echo "$out/provisioner"

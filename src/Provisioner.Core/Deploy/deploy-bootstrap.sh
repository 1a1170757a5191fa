#!/bin/sh
# Put into every image by Provisioner's image builder; inert unless the kernel command line names a
# deploy URL (provisioner.deploy=URL), which only the appliance's deploy boot configs do. Then it fetches
# the appliance's deploy agent for this build and runs it: the agent is served per build, versioned with
# the appliance, never baked into the image.
set -u
url=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^provisioner\.deploy=//p' | tail -n 1)
[ -n "$url" ] || exit 0
try=0
while [ "$try" -lt 60 ]; do
  if curl -fsS -o /run/provisioner-deploy-agent "$url/agent"; then
    exec python3 /run/provisioner-deploy-agent "$url"
  fi
  try=$((try + 1))
  sleep 5
done
echo "provisioner-deploy: could not fetch the deploy agent from $url/agent" >&2
exit 1

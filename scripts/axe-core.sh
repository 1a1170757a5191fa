# Sourced by test.sh: axe-core from the npm registry, for the web UI's accessibility checks (the
# tests inject it into each page). Kept in .cache/ (not committed); installed only when missing.
# Exports PROVISIONER_TEST_AXE.

AXE_VERSION=4.14.1

axe_for_tests() {
  local dir=.cache/axe
  local js="$dir/node_modules/axe-core/axe.min.js"
  if [ ! -f "$js" ] || ! grep -q "\"version\": \"$AXE_VERSION\"" "$dir/node_modules/axe-core/package.json"; then
    command -v npm >/dev/null 2>&1 || apt_ensure npm
    mkdir -p "$dir"
    npm install --no-audit --no-fund --silent --prefix "$dir" "axe-core@$AXE_VERSION" >/dev/null
  fi
  export PROVISIONER_TEST_AXE="$PWD/$js"
}

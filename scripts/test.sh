#!/usr/bin/env bash
# Runs every check and test: formatting, lints, the UI type check and build, unit tests,
# integration tests against a real Directus 12.4.1 (started here, stopped at the end), focused
# version suites against Directus 11.17.4, 12.0.2 and 11.11.0 (tests/integration/versions.rs) and
# the real client CLIs (Claude Code, Codex, Gemini CLI, mcp-remote), property tests, and
# the desktop app end to end under Xvfb over WebDriver.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/env.sh
source "$here/env.sh"
cd "$repo_root"

step() { printf '\n== %s\n' "$*"; }

step "Machine: system packages for the build and the tests (installed when missing)"
"$here/setup-machine.sh" --test

# The other Directus versions the version suites run against install (or come from the
# cache) in the background while the build below runs; the suites wait for them.
extra_versions=(11.17.4 12.0.2 11.11.0)
versions_log="$(mktemp)"
(for version in "${extra_versions[@]}"; do DIRECTUS_VERSION="$version" "$here/install-directus.sh"; done) >"$versions_log" 2>&1 &
versions_install=$!

step "UI: type check, build, unit tests (Vitest)"
build_ui
(cd ui && NO_COLOR=1 npm test --silent)

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors; the app also without the CLI)"
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p directus-mcp-setup-app --quiet -- -D warnings

step "actionlint (the release workflow)"
"$here/lint-workflows.sh"

step "Directus 12.4.1 on Node 22 (cached in $DIRECTUS_MCP_SETUP_CACHE)"
state="$(mktemp -d)"
trap '"$here/directus-server.sh" stop "$state"; rm -rf "$state"' EXIT
"$here/directus-server.sh" start "$state" --stop-with-pid $$
export DIRECTUS_TEST_SERVER_ENV="$state/server.env"

step "Real AI client CLIs: Claude Code, Codex, Gemini CLI, mcp-remote (cached)"
DIRECTUS_MCP_SETUP_CLIENTS="$("$here/install-clients.sh")"
export DIRECTUS_MCP_SETUP_CLIENTS

step "tauri-driver (WebDriver for the app)"
"$here/install-tauri-driver.sh" >/dev/null
export PATH="$DIRECTUS_MCP_SETUP_CACHE/tauri-driver/bin:$PATH"

step "cargo test (unit, integration against Directus, app end to end)"
# Kernel keyring sessions are per process tree: one for the whole run.
python3 "$here/with-session-keyring.py" cargo test --workspace -- --test-threads=4

step "Directus ${extra_versions[*]}: the version suites (static-token path, OAuth refusal, 11.11 refusal)"
wait "$versions_install" || { cat "$versions_log" >&2; echo "installing Directus ${extra_versions[*]} failed" >&2; exit 1; }
rm -f "$versions_log"
# Each test starts its own server of its version (ignored in the run above).
python3 "$here/with-session-keyring.py" cargo test --test integration versions:: -- --ignored --test-threads=2

step "Installer: build the .deb and .rpm, install the .deb, open the installed app, remove it"
"$here/test-installer.sh"

echo
echo "All checks passed."

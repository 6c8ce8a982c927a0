#!/usr/bin/env bash
# Makes the README's screenshots (every screen, light and dark) into docs/screenshots/, with
# the app built from this tree driven over WebDriver against a local Directus.
set -euo pipefail
repo_root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo_root"
source scripts/env.sh
scripts/setup-machine.sh
build_ui
clients="$(scripts/install-clients.sh)"
driver="$(dirname "$(scripts/install-tauri-driver.sh)")"
state="$(mktemp -d)"
second="$(mktemp -d)"
trap 'scripts/directus-server.sh stop "$state"; scripts/directus-server.sh stop "$second"' EXIT
scripts/directus-server.sh start "$state" >/dev/null
# The project switcher's screenshots show two projects: a second Directus.
scripts/directus-server.sh start "$second" >/dev/null
cargo build --bin directus-mcp-setup
DIRECTUS_TEST_SERVER_ENV="$state/server.env" DIRECTUS_MCP_SETUP_CLIENTS="$clients" PATH="$driver:$PATH" \
  python3 scripts/with-session-keyring.py \
  cargo test -p directus-mcp-setup-app --test e2e_whole_wizard -- --ignored --test-threads=1 docs_screenshots
DIRECTUS_TEST_SERVER_ENV="$state/server.env" DIRECTUS_TEST_SERVER_ENV_2="$second/server.env" \
  DIRECTUS_MCP_SETUP_CLIENTS="$clients" PATH="$driver:$PATH" \
  python3 scripts/with-session-keyring.py \
  cargo test -p directus-mcp-setup-app --test e2e_projects -- --ignored --test-threads=1 docs_screenshots
ls docs/screenshots

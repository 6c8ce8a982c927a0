#!/usr/bin/env bash
# Builds and starts the desktop wizard.
#
#   scripts/run-app.sh                 starts a local demo Directus 12 and offers it in the app
#   scripts/run-app.sh --url URL       opens the app for your Directus (URL prefilled)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/env.sh
source "$here/env.sh"
cd "$repo_root"

url="${DIRECTUS_URL:-}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    -h|--help) sed -n 2,6p "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

# A fresh Debian/Ubuntu machine: the system packages the build needs (sudo when not root).
"$here/setup-machine.sh"

echo "Building the app…" >&2
build_ui
# The app and, beside it, the command-line tool it ships with (Claude Desktop's bridge).
cargo build --quiet -p directus-mcp-setup-app -p directus-mcp-setup

if [[ -z "$url" ]]; then
  demo="$DIRECTUS_MCP_SETUP_CACHE/demo"
  echo "No Directus URL given: starting a local demo Directus (fresh database, stopped when the app closes)…" >&2
  "$here/directus-server.sh" start "$demo" --stop-with-pid $$ >/dev/null
  export DIRECTUS_MCP_SETUP_DEMO="$demo/server.env"
  trap '"$here/directus-server.sh" stop "$demo"' EXIT
else
  export DIRECTUS_URL="$url"
fi

if [[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  echo "No display found (DISPLAY / WAYLAND_DISPLAY unset): run this from a desktop session, or under xvfb-run." >&2
  exit 1
fi
"$CARGO_TARGET_DIR/debug/directus-mcp-setup-app"

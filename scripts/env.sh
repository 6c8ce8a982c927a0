# Shared settings for the scripts: caches live outside the clone, keyed by version.
# shellcheck shell=bash
export DIRECTUS_MCP_SETUP_CACHE="${DIRECTUS_MCP_SETUP_CACHE:-$HOME/.cache/directus-mcp-setup}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$DIRECTUS_MCP_SETUP_CACHE/cargo-target}"
# The kernel keyring needs no desktop session; desktops keep the Secret Service default.
if [[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  export DIRECTUS_MCP_SETUP_KEYRING="${DIRECTUS_MCP_SETUP_KEYRING:-keyutils}"
fi
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

# Builds the wizard's frontend into ui/dist (the app embeds it at compile time).
build_ui() {
  (cd "$repo_root/ui" && { [[ -d node_modules ]] && [[ node_modules/.package-lock.json -nt package-lock.json ]] || npm ci --no-audit --no-fund; } && npm run --silent build)
}

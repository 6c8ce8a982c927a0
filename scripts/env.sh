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

# Release builds (scripts/package.sh, scripts/bench-app.sh): for this machine's target named
# explicitly, so that RUSTFLAGS reach the programs' own code and libraries but not build
# scripts or proc macros; and with no unwind tables. Release builds abort on panic and are
# stripped, so the tables would serve nothing there, yet they are a megabyte of the app.
# (std keeps its own tables: it comes compiled.) Output: $CARGO_TARGET_DIR/$release_target/release.
release_target="$(rustc -vV | sed -n 's/^host: //p')"
# release_build COMMAND…: runs a release build command with these flags.
release_build() {
  RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-C force-unwind-tables=no" "$@"
}

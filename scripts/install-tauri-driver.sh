#!/usr/bin/env bash
# Installs tauri-driver (WebDriver server for Tauri apps) from crates.io into the cache.
set -euo pipefail
version="2.1.0"
root="${DIRECTUS_MCP_SETUP_CACHE:-$HOME/.cache/directus-mcp-setup}/tauri-driver"
if [[ "$("$root/bin/tauri-driver" --version 2>/dev/null || true)" != *"$version"* ]]; then
  cargo install tauri-driver --version "$version" --locked --root "$root" >&2
fi
echo "$root/bin/tauri-driver"

#!/usr/bin/env bash
# Installs the real AI client CLIs the tests drive (pinned, from the npm registry) into a
# cache folder outside the clone, keyed by their versions, and prints that folder; its
# node_modules/.bin holds `claude`, `codex`, `gemini` and `mcp-remote`. A second call is
# instant.
#
# Env: CLAUDE_CODE_VERSION, CODEX_VERSION, GEMINI_CLI_VERSION, MCP_REMOTE_VERSION,
# DMS_CACHE_DIR override the defaults.
set -euo pipefail

claude="${CLAUDE_CODE_VERSION:-2.1.331}"
codex="${CODEX_VERSION:-0.169.0}"
gemini="${GEMINI_CLI_VERSION:-0.61.0}"
mcp_remote="${MCP_REMOTE_VERSION:-0.15.1}"
cache_root="${DMS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/directus-mcp-setup}"
dir="$cache_root/clients-claude-$claude-codex-$codex-gemini-$gemini-mcp-remote-$mcp_remote"

if [[ -f "$dir/.complete" ]]; then
  echo "$dir"
  exit 0
fi

mkdir -p "$cache_root"
work="$(mktemp -d "$cache_root/.install-XXXXXX")"
trap 'rm -rf "$work"' EXIT
cat >"$work/package.json" <<JSON
{
  "name": "directus-mcp-setup-test-clients",
  "private": true,
  "dependencies": {
    "@anthropic-ai/claude-code": "$claude",
    "@openai/codex": "$codex",
    "@google/gemini-cli": "$gemini",
    "mcp-remote": "$mcp_remote"
  }
}
JSON
cd "$work"
echo "installing claude-code $claude, codex $codex, gemini-cli $gemini, mcp-remote $mcp_remote into $dir (once)" >&2
npm install --no-audit --no-fund --loglevel=error >&2
touch "$work/.complete"
rm -rf "$dir"
mv "$work" "$dir"
trap - EXIT
echo "$dir"

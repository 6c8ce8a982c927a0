#!/usr/bin/env bash
# Installs the real AI client CLIs the tests drive (pinned, from the npm registry) into a
# cache folder outside the clone, keyed by their versions, and prints that folder; its
# node_modules/.bin holds `claude`, `codex`, `gemini`, `mcp-remote`, `opencode`, `kilo`,
# `qwen`, `droid`, `copilot`, `auggie`, `cn` (Continue) and `cline`. A second call is
# instant.
#
# Factory's `@factory/cli` wrapper cannot find its platform binary on the registry, so the
# Linux x64 binary package is installed directly and linked as `droid`.
#
# Env: CLAUDE_CODE_VERSION, CODEX_VERSION, GEMINI_CLI_VERSION, MCP_REMOTE_VERSION,
# DMS_CACHE_DIR override the defaults.
set -euo pipefail

claude="${CLAUDE_CODE_VERSION:-2.1.331}"
codex="${CODEX_VERSION:-0.169.0}"
gemini="${GEMINI_CLI_VERSION:-0.61.0}"
mcp_remote="${MCP_REMOTE_VERSION:-0.15.1}"
opencode="1.18.33"
kilo="7.7.7"
qwen="0.15.10"
droid="0.225.2"
copilot="1.0.102"
auggie="0.36.0"
continue_cli="1.5.47"
cline="3.0.65"
cache_root="${DMS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/directus-mcp-setup}"
dir="$cache_root/clients-claude-$claude-codex-$codex-gemini-$gemini-mcp-remote-$mcp_remote-opencode-$opencode-kilo-$kilo-qwen-$qwen-droid-$droid-copilot-$copilot-auggie-$auggie-cn-$continue_cli-cline-$cline"

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
    "mcp-remote": "$mcp_remote",
    "opencode-ai": "$opencode",
    "@kilocode/cli": "$kilo",
    "@qwen-code/qwen-code": "$qwen",
    "@factory/cli-linux-x64": "$droid",
    "@github/copilot": "$copilot",
    "@augmentcode/auggie": "$auggie",
    "@continuedev/cli": "$continue_cli",
    "cline": "$cline"
  }
}
JSON
cd "$work"
echo "installing claude-code $claude, codex $codex, gemini-cli $gemini, mcp-remote $mcp_remote, opencode $opencode, kilo $kilo, qwen-code $qwen, droid $droid, copilot $copilot, auggie $auggie, continue cli $continue_cli, cline $cline into $dir (once)" >&2
npm install --no-audit --no-fund --loglevel=error >&2
ln -sf ../@factory/cli-linux-x64/bin/droid node_modules/.bin/droid
touch "$work/.complete"
rm -rf "$dir"
mv "$work" "$dir"
trap - EXIT
echo "$dir"

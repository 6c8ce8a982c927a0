#!/usr/bin/env bash
# The desktop app's speed and size, as ratios to their targets:
#   release binary size / 5.1 MB (a bare Tauri 2 app with the same release settings;
#   target ≤ 1.5), time to window ready / 0.5 s, idle memory of the app and its WebKit
#   processes as PSS (shared pages counted once across them), and the sizes of the
#   installers in dist/ when scripts/package.sh has built them. Builds the release app
#   first (slow once: LTO).
# Needs Xvfb and xwininfo (apt: xvfb, x11-utils). Usage: scripts/bench-app.sh [RUNS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/env.sh
source "$here/env.sh"
cd "$repo_root"
runs="${1:-5}"

build_ui >/dev/null
cargo build --release --quiet -p directus-mcp-setup-app
app="$CARGO_TARGET_DIR/release/directus-mcp-setup-app"

display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
home="$(mktemp -d)"
trap 'kill "$xvfb" 2>/dev/null || true; rm -rf "$home"' EXIT
for _ in $(seq 50); do xwininfo -display "$display" -root >/dev/null 2>&1 && break; sleep 0.1; done

# Time from exec to the app's window being mapped on screen, median of $runs runs.
times=()
pss_mb=0
for run in $(seq "$runs"); do
  start=$(date +%s%N)
  HOME="$home" DISPLAY="$display" WEBKIT_DISABLE_COMPOSITING_MODE=1 "$app" >/dev/null 2>&1 &
  pid=$!
  until xwininfo -display "$display" -root -tree 2>/dev/null | grep -q '"Directus MCP Setup"'; do
    kill -0 "$pid" 2>/dev/null || { echo "the app exited early" >&2; exit 1; }
    sleep 0.005
  done
  times+=($(( ($(date +%s%N) - start) / 1000000 )))
  if [[ "$run" -eq "$runs" ]]; then
    sleep 3 # idle
    pids="$pid $(pgrep -P "$pid" | tr '\n' ' ')"
    kb=0
    for p in $pids; do
      kb=$(( kb + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0) ))
    done
    pss_mb=$(( kb / 1024 ))
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
size=$(stat -c %s "$app")

awk -v size="$size" -v ms="$median" -v pss="$pss_mb" -v all="${times[*]}" 'BEGIN {
  printf "release binary:   %.2f MB  (bare Tauri 2 app 5.1 MB: ratio %.2f, target <= 1.50)\n", size / 1048576, size / 1048576 / 5.1
  printf "window ready:     %d ms     (target 500 ms: ratio %.2f; runs: %s)\n", ms, ms / 500, all
  printf "idle memory:      %d MB PSS (app + WebKit processes; a bare Tauri 2 window: ~209 MB)\n", pss
}'
for installer in dist/*.deb dist/*.rpm; do
  if [[ -f "$installer" ]]; then
    awk -v name="$(basename "$installer")" -v size="$(stat -c %s "$installer")" \
      'BEGIN { printf "installer:        %.2f MB  %s\n", size / 1048576, name }'
  fi
done

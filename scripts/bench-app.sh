#!/usr/bin/env bash
# The desktop app's speed and size against its targets, each as a ratio:
#   - release binary size / a bare Tauri 2 app's (benches/bare-tauri: the vanilla template
#     of `npm create tauri-app`, on the same Tauri, toolchain and release settings, built
#     here too; target <= 1.5);
#   - time to window ready / 0.5 s;
#   - idle memory of the app and its WebKit processes as PSS (shared pages counted once
#     across them) / the bare app's, measured the same way (target <= 1.15);
# and the sizes of the installers in dist/ when scripts/package.sh has built them. Builds
# both release programs first (slow once: LTO).
# Needs Xvfb and xwininfo (apt: xvfb, x11-utils). Usage: scripts/bench-app.sh [RUNS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/env.sh
source "$here/env.sh"
cd "$repo_root"
runs="${1:-5}"

# The comparison is fair only with the same release settings on both sides.
profile() { sed -n '/^\[profile\.release\]/,/^\[/{/^\[profile\.release\]/d;/^\[/d;/^#/d;/^$/d;p}' "$1"; }
if [[ "$(profile Cargo.toml)" != "$(profile benches/bare-tauri/Cargo.toml)" ]]; then
  echo "bench: [profile.release] of Cargo.toml and benches/bare-tauri/Cargo.toml differ; make them the same" >&2
  exit 1
fi

build_ui >/dev/null
cargo build --release --quiet -p directus-mcp-setup-app
cargo build --release --quiet --manifest-path benches/bare-tauri/Cargo.toml
app="$CARGO_TARGET_DIR/release/directus-mcp-setup-app"
bare="$CARGO_TARGET_DIR/release/bare-tauri"

display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
home="$(mktemp -d)"
trap 'kill "$xvfb" 2>/dev/null || true; rm -rf "$home"' EXIT
for _ in $(seq 50); do xwininfo -display "$display" -root >/dev/null 2>&1 && break; sleep 0.1; done

# measure PROGRAM TITLE: starts PROGRAM $runs times (a fresh HOME each time); sets `times`
# (ms from exec to its window titled TITLE being mapped) and `pss_kb` (the last run's PSS
# of the program and its child processes after 3 s idle).
measure() {
  times=()
  pss_kb=0
  local run run_home start pid pids p
  for run in $(seq "$runs"); do
    # A HOME of its own (an earlier run's WebKit processes may still be leaving theirs).
    run_home="$(mktemp -d -p "$home")"
    start=$(date +%s%N)
    HOME="$run_home" DISPLAY="$display" WEBKIT_DISABLE_COMPOSITING_MODE=1 "$1" >/dev/null 2>&1 &
    pid=$!
    until xwininfo -display "$display" -root -tree 2>/dev/null | grep -q "\"$2\""; do
      kill -0 "$pid" 2>/dev/null || { echo "bench: $1 exited early" >&2; exit 1; }
      sleep 0.005
    done
    times+=($(( ($(date +%s%N) - start) / 1000000 )))
    if [[ "$run" -eq "$runs" ]]; then
      sleep 3 # idle
      pids="$pid $(pgrep -P "$pid" | tr '\n' ' ')"
      for p in $pids; do
        pss_kb=$(( pss_kb + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0) ))
      done
    fi
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
}
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }

measure "$bare" bare-tauri
bare_pss_kb=$pss_kb
measure "$app" "Directus MCP Setup"

awk -v size="$(stat -c %s "$app")" -v bare="$(stat -c %s "$bare")" -v ms="$(median "${times[@]}")" \
  -v pss="$pss_kb" -v bare_pss="$bare_pss_kb" -v all="${times[*]}" 'BEGIN {
  printf "release binary:   %d B (%.2f MiB); bare Tauri 2 app %d B (%.2f MiB): ratio %.3f, target <= 1.50\n",
    size, size / 1048576, bare, bare / 1048576, size / bare
  printf "window ready:     %d ms (target 500 ms: ratio %.2f; runs: %s)\n", ms, ms / 500, all
  printf "idle memory:      %.1f MiB PSS (app + WebKit processes); bare Tauri 2 app %.1f MiB: ratio %.3f, target <= 1.15\n",
    pss / 1024, bare_pss / 1024, pss / bare_pss
}'
for installer in dist/*.deb dist/*.rpm; do
  if [[ -f "$installer" ]]; then
    awk -v name="$(basename "$installer")" -v size="$(stat -c %s "$installer")" \
      'BEGIN { printf "installer:        %.2f MiB  %s\n", size / 1048576, name }'
  fi
done

#!/usr/bin/env bash
# Proves that the window checks of scripts/test-installer.sh can fail: against stand-ins
# for the display (no window ever, a second window, an unreadable display) each check must
# stop the installer test with its message, and with one window it must pass. Then the
# window count is tried on a real X display (Xvfb) with a real window of that title
# (xmessage, from x11-utils like xwininfo): 0 without it, 1 with it.
# Runs in a few seconds; scripts/test-installer.sh runs it first.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/test-installer.sh
source "$here/test-installer.sh"

failures=0
# expect_failure MESSAGE COMMAND…: COMMAND (in a subshell) must exit non-zero saying MESSAGE.
expect_failure() {
  local message="$1" said
  shift
  if said="$( ("$@") 2>&1)"; then
    echo "installer self-test: \`$*\` passed; it must fail with \"$message\"" >&2
    failures=$((failures + 1))
  elif [[ "$said" != *"$message"* ]]; then
    echo "installer self-test: \`$*\` failed with \"$said\", not \"$message\"" >&2
    failures=$((failures + 1))
  fi
}
expect_success() {
  local said
  said="$( ("$@") 2>&1)" || {
    echo "installer self-test: \`$*\` failed: $said" >&2
    failures=$((failures + 1))
  }
}

# An app that runs but never shows a window.
sleep 30 &
app_pid=$!
trap 'kill "$app_pid" 2>/dev/null || true' EXIT
windows() { echo 0; }
window_wait_tenths=5
expect_failure "the installed app showed no window within 0 s" wait_for_window "$app_pid"
# An app that exits at once.
expect_failure "the installed app exited" wait_for_window 999999
# No window before the second launch: 0 == 0 must not pass.
launch() { return 0; }
expect_failure "no window of the installed app before the second launch (found 0)" second_launch_opens_no_window
# A second launch that opens a second window.
count_file="$(mktemp)"
echo 1 >"$count_file"
windows() { cat "$count_file"; }
launch() { echo 2 >"$count_file"; }
expect_failure "a second launch opened another window (1 before, 2 after)" second_launch_opens_no_window
# A second launch that does not exit.
launch() { return 124; }
echo 1 >"$count_file"
expect_failure "a second launch did not hand over and exit (status 124)" second_launch_opens_no_window
# One window, a second launch that hands over: passes.
launch() { return 0; }
expect_success second_launch_opens_no_window
windows() { echo 1; }
expect_success wait_for_window "$app_pid"
rm -f "$count_file"
unset -f windows

# The title counted is the window's title in the app's configuration.
configured="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["app"]["windows"][0]["title"])' "$here/../src-tauri/tauri.conf.json")"
[[ "$configured" == "$title" ]] || { echo "installer self-test: windows() counts \"$title\", the app's window is titled \"$configured\"" >&2; failures=$((failures + 1)); }

# The count on a real display: an unreadable display fails, no window is 0, one is 1.
source "$here/test-installer.sh" # the real windows()
display=":$((400 + RANDOM % 100))"
expect_failure "cannot list the windows of display $display" windows
Xvfb "$display" -screen 0 640x480x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$app_pid" "$xvfb" ${message_pid:-} 2>/dev/null || true' EXIT
for _ in $(seq 50); do xwininfo -display "$display" -root >/dev/null 2>&1 && break; sleep 0.1; done
[[ "$(windows)" == 0 ]] || { echo "installer self-test: windows counts $(windows) on an empty display" >&2; failures=$((failures + 1)); }
xmessage -display "$display" -title "$title" "stand-in" 2>/dev/null &
message_pid=$!
window_wait_tenths=100
expect_success wait_for_window "$message_pid"
[[ "$(windows)" == 1 ]] || { echo "installer self-test: windows counts $(windows) with one window titled \"$title\"" >&2; failures=$((failures + 1)); }
xmessage -display "$display" -title "$title (not the app)" "other" 2>/dev/null &
other_pid=$!
for _ in $(seq 50); do xwininfo -display "$display" -root -tree | grep -q "(not the app)" && break; sleep 0.1; done
[[ "$(windows)" == 1 ]] || { echo "installer self-test: a window with a longer title was counted" >&2; failures=$((failures + 1)); }
kill "$message_pid" "$other_pid" "$xvfb" 2>/dev/null || true
wait "$message_pid" "$other_pid" "$xvfb" 2>/dev/null || true

(( failures == 0 )) || exit 1
echo "installer self-test: the window checks fail without a window, with a second window and with an unreadable display"

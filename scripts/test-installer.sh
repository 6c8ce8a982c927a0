#!/usr/bin/env bash
# Builds the .deb (scripts/package.sh), installs it as a user would, and checks the result:
# the CLI on PATH answers --version, the installed app opens its window under Xvfb (a
# screenshot lands in artifacts/installed-app.png), a second launch hands over to it and
# opens no second window, the menu entry and icons are in place, a directus-mcp-setup://
# link opened with xdg-open fills in the Connect screen (scripts/test-installer-links.sh);
# then removes the package
# and checks that none of its files is left behind.
# The window checks are functions, proven able to fail by scripts/test-installer-selftest.sh
# (run first, against stand-ins for the display).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
title="Directus MCP Setup"

fail() { echo "installer test: $*" >&2; exit 1; }

# windows: how many windows titled "$title" the display shows; fails when the display
# cannot be read (an unreadable display must never count as "no window").
windows() {
  local tree
  tree="$(xwininfo -display "$display" -root -tree)" || fail "cannot list the windows of display $display"
  # A window line: `0x1a00003 "Directus MCP Setup": ("directus-mcp-setup-app" …)  …`
  grep -c "^ *0x[0-9a-f]* \"$title\": " <<<"$tree" || true
}

# wait_for_window PID: waits (up to window_wait_tenths × 0.1 s, 30 s) for the app's first
# window; fails when PID exits first or no window appears.
wait_for_window() {
  local count
  for _ in $(seq "${window_wait_tenths:-300}"); do
    count="$(windows)"
    (( count > 0 )) && return 0
    kill -0 "$1" 2>/dev/null || fail "the installed app exited"
    sleep 0.1
  done
  fail "the installed app showed no window within $(( ${window_wait_tenths:-300} / 10 )) s"
}

# second_launch_opens_no_window: with the app's window shown, a second launch hands over
# to it and exits, and no other window appears (watched for 2 s after it exited).
second_launch_opens_no_window() {
  local before now
  before="$(windows)"
  (( before > 0 )) || fail "no window of the installed app before the second launch (found $before)"
  launch timeout 30 || fail "a second launch did not hand over and exit (status $?)"
  for _ in $(seq 20); do
    now="$(windows)"
    (( now == before )) || fail "a second launch opened another window ($before before, $now after)"
    sleep 0.1
  done
}

main() {
"$here/test-installer-selftest.sh"
# shellcheck source=scripts/env.sh
source "$here/env.sh"
cd "$repo_root"
sudo=(); [[ $(id -u) -eq 0 ]] || sudo=(sudo)

"$here/package.sh" >/dev/null
deb="$(ls dist/*.deb)"
package="$(dpkg-deb --field "$deb" Package)"
# --reinstall: a package of the same version left by an earlier run would otherwise be kept,
# and this run would test that older program.
"${sudo[@]}" apt-get install -y -qq --reinstall "./$deb" >/dev/null
mapfile -t files < <(dpkg -L "$package" | while read -r path; do [[ -f "$path" ]] && echo "$path"; done)

[[ "$(command -v directus-mcp-setup)" == /usr/bin/directus-mcp-setup ]] || fail "the CLI is not /usr/bin/directus-mcp-setup"
directus-mcp-setup --version | grep -q "directus-mcp-setup $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)" \
  || fail "directus-mcp-setup --version names another version"
printf '%s\n' "${files[@]}" | grep -q '^/usr/share/applications/.*\.desktop$' || fail "no menu entry"
printf '%s\n' "${files[@]}" | grep -q '^/usr/share/icons/hicolor/.*\.png$' || fail "no icons"
app="$(grep -h '^Exec=' /usr/share/applications/*.desktop | grep -o '/\?[^ =]*directus[^ ]*' | head -1)"
app="$(command -v "$app")" || fail "the menu entry's program is not installed"
# Built on a glibc that applies packed relocations (2.36+): both programs carry them
# (build-support/packed_relocations.rs), and the loader is told to check for them.
if [[ "$(getconf GNU_LIBC_VERSION)" =~ ^glibc\ 2\.([0-9]+) ]] && (( BASH_REMATCH[1] >= 36 )); then
  for program in "$app" /usr/bin/directus-mcp-setup; do
    readelf -d "$program" | grep -q '(RELR)' || fail "$program has no packed relocations"
    readelf -V "$program" | grep -q 'GLIBC_ABI_DT_RELR' || fail "$program does not require GLIBC_ABI_DT_RELR"
  done
fi

display=":$((200 + RANDOM % 100))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
# A desktop session's bus: the app uses it to stay a single instance.
mapfile -t bus < <(dbus-daemon --session --fork --print-address=1 --print-pid=1)
home="$(mktemp -d)"
trap 'kill "$xvfb" "${bus[1]}" 2>/dev/null || true; rm -rf "$home"' EXIT
for _ in $(seq 50); do xwininfo -display "$display" -root >/dev/null 2>&1 && break; sleep 0.1; done
# launch [PREFIX…]: the installed app in this session (PREFIX: e.g. `timeout 30`).
launch() {
  HOME="$home" DISPLAY="$display" DBUS_SESSION_BUS_ADDRESS="${bus[0]}" DIRECTUS_MCP_SETUP_KEYRING=keyutils \
    WEBKIT_DISABLE_COMPOSITING_MODE=1 "$@" "$app" >/dev/null 2>&1
}
launch exec &
pid=$!
wait_for_window "$pid"
# A second launch hands over to the first window and exits; no second window appears.
second_launch_opens_no_window
kill -0 "$pid" 2>/dev/null || fail "the first window closed when the second launch ran"
# The screenshot: the window has been shown for 2 s by now (painted).
mkdir -p artifacts
import -display "$display" -window root -crop 1040x720+0+0 +repage artifacts/installed-app.png
kill "$pid"; wait "$pid" 2>/dev/null || true
# Opened from a link: xdg-open on first launch and with the app running fills in the URL; a
# javascript: or file: link is refused (its own HOME, on this display and bus).
"$here/test-installer-links.sh" "$display" "${bus[0]}"

"${sudo[@]}" apt-get purge -y -qq "$package" >/dev/null
left=()
for path in "${files[@]}"; do [[ -e "$path" ]] && left+=("$path"); done
[[ ${#left[@]} -eq 0 ]] || fail "left behind after removal: ${left[*]}"
command -v directus-mcp-setup >/dev/null && fail "the CLI is still on PATH"
# Kept up to date: the installed current version updates itself from a signed .deb served on
# 127.0.0.1, only when asked; a bad signature installs nothing (builds its own .deb with the
# test's signing key; the update is that package with its version raised).
"$here/test-installer-update.sh"
echo "installer: $(basename "$deb") installs the app ($app) and the CLI, opens its window, and leaves nothing behind (${#files[@]} files)"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then main "$@"; fi

#!/usr/bin/env bash
# The installed app opened from a link, as a Directus admin's docs would open it:
#   xdg-open 'directus-mcp-setup://connect?url=https://cms.example.com'
# Run by scripts/test-installer.sh with the package installed, on its Xvfb display and
# session bus (or by hand: scripts/test-installer-links.sh DISPLAY BUS_ADDRESS). Checks:
# - the package's desktop entry registers the scheme (MimeType=x-scheme-handler/…) and passes
#   the link on (Exec … %u / %U), and xdg-open picks it;
# - first launch: xdg-open starts the app, whose page takes the link and fills in the URL;
# - handover: with the app running, xdg-open's second launch gives its link to the running
#   app and exits, no second window appears, and the page takes the new URL;
# - a `javascript:` or `file:` url, or another action than `connect`, is refused (the page
#   shows the refusal; nothing is filled in).
# What the page took is read from the app's activity log ("open a link …"), which the app
# writes when the page takes a link (src-tauri/src/commands/session.rs `opened_link`).
set -euo pipefail
title="Directus MCP Setup"
scheme="directus-mcp-setup"
display="$1"
bus="$2"

fail() { echo "link test: $*" >&2; exit 1; }

home="$(mktemp -d)"
pids=()
cleanup() {
  # Each started app leads its own process group (setsid): xdg-open and the app go together.
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
  rm -rf "$home"
}
trap cleanup EXIT
log="$home/.local/state/directus-mcp-setup/logs/app.log"

# The package's desktop entry: the scheme, and the link passed on as the only argument.
entry="$(grep -l "^MimeType=.*x-scheme-handler/$scheme;" /usr/share/applications/*.desktop)" \
  || fail "no installed desktop entry says MimeType=x-scheme-handler/$scheme"
grep -q '^Exec=.* %[uU]$' "$entry" || fail "$entry does not pass the link on (Exec without %u): $(grep '^Exec=' "$entry")"

# in_session COMMAND…: COMMAND in the test's desktop session, as the user would run it.
session_env=(env HOME="$home" DISPLAY="$display" DBUS_SESSION_BUS_ADDRESS="$bus" DIRECTUS_MCP_SETUP_KEYRING=keyutils
  WEBKIT_DISABLE_COMPOSITING_MODE=1 XDG_CURRENT_DESKTOP= XDG_DATA_DIRS=/usr/local/share:/usr/share)
in_session() { "${session_env[@]}" "$@"; }
[[ "$(in_session xdg-mime query default "x-scheme-handler/$scheme")" == "$(basename "$entry")" ]] \
  || fail "xdg-open would not open $scheme: links with $(basename "$entry")"

windows() {
  local tree
  tree="$(xwininfo -display "$display" -root -tree)" || fail "cannot list the windows of display $display"
  grep -c "^ *0x[0-9a-f]* \"$title\": " <<<"$tree" || true
}

# page_took TEXT: waits (30 s) for the activity log's line about a link with TEXT.
page_took() {
  for _ in $(seq 300); do
    grep -F "open a link" "$log" 2>/dev/null | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  fail "the page did not take the link (no log line with: $1); the log: $(cat "$log" 2>/dev/null)"
}

# open_link LINK: xdg-open LINK while the app runs: the second launch hands over and exits.
open_link() {
  in_session timeout 30 xdg-open "$1" >/dev/null 2>&1 || fail "xdg-open '$1' did not hand over and exit (status $?)"
}

# First launch: no app running; xdg-open starts it with the link.
[[ "$(windows)" == 0 ]] || fail "a window of the app is already open"
setsid "${session_env[@]}" xdg-open "$scheme://connect?url=https://cms.example.com" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 300); do (( $(windows) > 0 )) && break; sleep 0.1; done
(( $(windows) == 1 )) || fail "xdg-open did not start the app (windows: $(windows))"
page_took "ok: filled in the Connect screen's URL: https://cms.example.com"

# Handover: the running app takes the next link; no second window.
open_link "$scheme://connect?url=https%3A%2F%2Fstaging.example.com%3A8443"
page_took "ok: filled in the Connect screen's URL: https://staging.example.com:8443"
(( $(windows) == 1 )) || fail "the second launch opened another window (windows: $(windows))"

# Refused: not an http(s) address, or another action.
open_link "$scheme://connect?url=javascript:alert(1)"
page_took "failed: The link's Directus address \`javascript:alert(1)\` was refused: only an http:// or https:// address"
open_link "$scheme://connect?url=file:///etc/passwd"
page_took "failed: The link's Directus address \`file:///etc/passwd\` was refused"
open_link "$scheme://disconnect?url=https://cms.example.com"
page_took "failed: The link asked the app to \`disconnect\`"
if grep -F "open a link ok" "$log" | grep -qvE "cms.example.com|staging.example.com:8443"; then
  fail "a refused link was filled in: $(grep -F 'open a link ok' "$log")"
fi
(( $(windows) == 1 )) || fail "a link opened another window (windows: $(windows))"
kill -- "-${pids[0]}" 2>/dev/null || true
for _ in $(seq 100); do (( $(windows) == 0 )) && break; sleep 0.1; done
(( $(windows) == 0 )) || fail "the app started by xdg-open did not close"

# What the page shows, read through WebDriver (tauri-driver on PATH, as scripts/test.sh
# provides): the app started with a link (as xdg-open starts it) shows its URL in the field
# and a note that nothing happens until the user clicks Connect; a link handed over by
# xdg-open replaces it; a refused link shows why and leaves the field as it was.
command -v tauri-driver >/dev/null || fail "tauri-driver is not on PATH (scripts/install-tauri-driver.sh)"
port=$((4500 + RANDOM % 400))
rm -rf "$home/.local/state"
setsid "${session_env[@]}" tauri-driver --port "$port" --native-port $((port + 500)) >/dev/null 2>&1 &
pids+=($!)
webdriver() { # webdriver METHOD PATH [JSON]: the response's `value`, as JSON
  curl -s --max-time 60 -X "$1" "http://127.0.0.1:$port$2" -H 'Content-Type: application/json' ${3:+-d "$3"} \
    | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["value"]))'
}
page() { # page SCRIPT: what the page's SCRIPT returns (a string)
  webdriver POST "/session/$session/execute/sync" "$(python3 -c 'import json,sys; print(json.dumps({"script": sys.argv[1], "args": []}))' "$1")" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin))'
}
# page_shows SCRIPT EXPECTED: waits (30 s) until SCRIPT returns EXPECTED.
page_shows() {
  local now=""
  for _ in $(seq 150); do
    now="$(page "$1" 2>/dev/null || true)"
    [[ "$now" == "$2" ]] && return 0
    sleep 0.2
  done
  fail "the page shows '$now' for $1, not '$2'"
}
capabilities="$(python3 -c 'import json,sys; print(json.dumps({"capabilities": {"alwaysMatch": {"tauri:options": {"application": sys.argv[1], "args": [sys.argv[2]]}}}}))' \
  "$(grep '^Exec=' "$entry" | sed 's/^Exec=//; s/ %[uU]$//')" "$scheme://connect?url=https://cms.example.com")"
session=""
for _ in $(seq 100); do
  session="$(webdriver POST /session "$capabilities" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["sessionId"])' 2>/dev/null)" && break
  sleep 0.3
done
[[ -n "$session" ]] || fail "tauri-driver did not start the installed app"
field='return document.getElementById("url").value'
note='const n = document.getElementById("opened-link"); return n.hidden ? "" : n.textContent'
page_shows "$field" "https://cms.example.com"
page_shows "$note" "Filled in from a link. Check the address, sign in, then click Connect: nothing happens until you do."
open_link "$scheme://connect?url=https://staging.example.com"
page_shows "$field" "https://staging.example.com"
open_link "$scheme://connect?url=javascript:alert(1)"
page_shows "$note" "The link's Directus address \`javascript:alert(1)\` was refused: only an http:// or https:// address can be filled in. Nothing was filled in: check the link with whoever gave it to you."
page_shows "$field" "https://staging.example.com"
# Nothing was acted on: no sign-in was tried.
page_shows 'return document.querySelector("#connect-title").textContent + " / " + document.getElementById("session").textContent + " / " + document.querySelector(".progress").textContent' "Connect to Directus / Not signed in / "
webdriver DELETE "/session/$session" >/dev/null || true
echo "links: xdg-open fills in the URL on first launch and in the running app; javascript:, file: and other actions refused"

#!/usr/bin/env bash
# The installed app updates itself, only when asked, and only to a correctly signed package:
# - signing keys are made now (Tauri's signer) and never kept: the private key lives in a
#   temporary folder removed at the end;
# - the current version's .deb is built with the test's public key (one release build); the
#   update is that same package with its version raised to NEXT (default 0.1.1) by dpkg-deb,
#   which is all an update is to the updater and to dpkg (the program inside is not run: the
#   running current version reports what it installed), signed; latest.json is served on
#   127.0.0.1 (the app is pointed at it by DIRECTUS_MCP_SETUP_UPDATE_ENDPOINT, which only the
#   Rust side reads; a plain-http endpoint is allowed by this test build's configuration
#   only);
# - the current .deb is installed; started with the check off, the app asks nothing;
# - a latest.json whose signature is not the package's: Install is refused with the reason,
#   and the installed version is unchanged;
# - the signed one: the page shows the version and its notes, Install installs it, the page
#   reports the new version, and dpkg lists it.
# The prompt (the new version, its notes, Install) is saved as the user sees it, light on
# the first start and dark on the second (GTK theme Adwaita:dark):
# $SCREENSHOTS/light-8-update.png and dark-8-update.png (SCREENSHOTS: default artifacts;
# docs/screenshots makes the README's).
# The updater escalates with pkexec (or sudo); this test runs as root, so a stand-in
# `pkexec` on the app's PATH runs the installer command directly and records the call.
#   scripts/test-installer-update.sh   (needs Xvfb, dbus-daemon, tauri-driver, python3)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/env.sh
source "$here/env.sh"
cd "$repo_root"
next="${NEXT:-0.1.1}"
current="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"

fail() { echo "update test: $*" >&2; exit 1; }

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Keys for this run only.
tauri=ui/node_modules/.bin/tauri
"$tauri" signer generate --ci -p "" -w "$work/update.key" >/dev/null
pubkey="$(cat "$work/update.key.pub")"

# The current version's .deb, with the test's public key.
config="$work/config.json"
python3 - "$current" "$pubkey" src-tauri/tauri.package.json >"$config" <<'EOF'
import json, sys
version, pubkey, base = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
base["version"] = version
base.setdefault("plugins", {})["updater"] = {
    "pubkey": pubkey,
    "endpoints": [],
    "dangerousInsecureTransportProtocol": True,
}
base["bundle"]["targets"] = ["deb"]
print(json.dumps(base))
EOF
triple="$(rustc -vV | sed -n 's/^host: //p')"
build_ui >/dev/null
cargo build --release --quiet -p directus-mcp-setup --bin directus-mcp-setup
mkdir -p src-tauri/binaries
cp "$CARGO_TARGET_DIR/release/directus-mcp-setup" "src-tauri/binaries/directus-mcp-setup-$triple"
# A fresh staging folder: the bundler's copy there may be a hard link of an earlier build's
# (a seeded target folder), which once packaged the previous version's program.
rm -rf "$CARGO_TARGET_DIR/release/bundle/deb"
(cd src-tauri && "../$tauri" build --ci --bundles deb --config "$config") >"$work/build.log" 2>&1 \
  || { tail -30 "$work/build.log" >&2; fail "building $current failed"; }
mkdir -p "$work/$current" "$work/$next"
cp "$CARGO_TARGET_DIR"/release/bundle/deb/*_"$current"_*.deb "$work/$current/app.deb"

# The update: the same package as version $next (its control file's Version raised), the
# same files inside.
dpkg-deb --raw-extract "$work/$current/app.deb" "$work/unpacked"
sed -i "s/^Version: .*/Version: $next/" "$work/unpacked/DEBIAN/control"
dpkg-deb --root-owner-group --build "$work/unpacked" "$work/$next/app.deb" >/dev/null
[[ "$(dpkg-deb --field "$work/$next/app.deb" Version)" == "$next" ]] || fail "the update's package is not version $next"
# files_of DEB: its files' modes, owners, sizes and paths, by path.
files_of() {
  dpkg-deb --fsys-tarfile "$1" | tar -tv --numeric-owner \
    | awk '{ p = $6; sub(/^\.\//, "", p); sub(/\/$/, "", p); if (p != "" && p != ".") print $1, $2, $3, p }' | sort -k4
}
dpkg-deb --raw-extract "$work/$next/app.deb" "$work/next-files"
dpkg-deb --raw-extract "$work/$current/app.deb" "$work/current-files"
[[ "$(files_of "$work/$current/app.deb")" == "$(files_of "$work/$next/app.deb")" ]] \
  && diff -r -x control "$work/current-files" "$work/next-files" >/dev/null \
  || fail "the update's package holds other files than the current one"
"$tauri" signer sign -f "$work/update.key" -p "" "$work/$next/app.deb" >/dev/null
"$tauri" signer sign -f "$work/update.key" -p "" "$work/$current/app.deb" >/dev/null

# The update server, on loopback: the new .deb and latest.json (rewritten per case).
www="$work/www"
mkdir -p "$www"
cp "$work/$next/app.deb" "$www/next.deb"
port=$((8600 + RANDOM % 300))
(cd "$www" && exec setsid python3 -m http.server --bind 127.0.0.1 "$port") >"$work/server.log" 2>&1 &
pids+=($!)
# manifest SIGNATURE_FILE: latest.json offering $next at next.deb with that signature.
manifest() {
  python3 - "$next" "$(cat "$1")" "http://127.0.0.1:$port/next.deb" >"$www/latest.json" <<'EOF'
import json, sys
version, signature, url = sys.argv[1:4]
print(json.dumps({
    "version": version,
    "notes": "Test release notes: opened from links; kept up to date.",
    "pub_date": "2026-12-02T00:00:00Z",
    "platforms": {"linux-x86_64-deb": {"signature": signature, "url": url}},
}))
EOF
}

sudo=(); [[ $(id -u) -eq 0 ]] || sudo=(sudo)
"${sudo[@]}" apt-get install -y -qq --reinstall --allow-downgrades "$work/$current/app.deb" >/dev/null
package_name="$(dpkg-deb --field "$work/$current/app.deb" Package)"
installed() { dpkg-query -W -f '${Version}' "$package_name"; }
[[ "$(installed)" == "$current" ]] || fail "the current version ($current) is not the one installed: $(installed)"
app="$(command -v directus-mcp-setup-app)" || fail "the installed app is not on PATH"

# The desktop session: Xvfb, a session bus, tauri-driver; the stand-in pkexec.
display=":$((300 + RANDOM % 100))"
setsid Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
mapfile -t bus < <(dbus-daemon --session --fork --print-address=1 --print-pid=1)
pids+=("${bus[1]}")
mkdir -p "$work/bin" "$work/home"
cat >"$work/bin/pkexec" <<EOF
#!/bin/sh
echo "\$*" >>"$work/pkexec.log"
exec "\$@"
EOF
chmod +x "$work/bin/pkexec"
for _ in $(seq 50); do xwininfo -display "$display" -root >/dev/null 2>&1 && break; sleep 0.1; done
# start_driver THEME: a tauri-driver whose app starts with GTK theme THEME (Adwaita:dark
# makes the page prefer dark colours), in place of the one before.
driver=""
start_driver() {
  [[ -z "$driver" ]] || { kill -- "-$driver" 2>/dev/null || true; }
  driver_port=$((4900 + RANDOM % 300))
  HOME="$work/home" DISPLAY="$display" DBUS_SESSION_BUS_ADDRESS="${bus[0]}" DIRECTUS_MCP_SETUP_KEYRING=keyutils \
    WEBKIT_DISABLE_COMPOSITING_MODE=1 PATH="$work/bin:$PATH" GTK_THEME="$1" \
    DIRECTUS_MCP_SETUP_UPDATE_ENDPOINT="http://127.0.0.1:$port/latest.json" \
    setsid tauri-driver --port "$driver_port" --native-port $((driver_port + 400)) >/dev/null 2>&1 &
  driver=$!
  pids+=("$driver")
}
start_driver Adwaita

webdriver() { # webdriver METHOD PATH [JSON]: the response's `value`, as JSON
  curl -s -X "$1" "http://127.0.0.1:$driver_port$2" -H 'Content-Type: application/json' ${3:+-d "$3"} \
    | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["value"]))'
}
page() { # page SCRIPT: what the page's SCRIPT returns (a string)
  webdriver POST "/session/$session/execute/sync" "$(python3 -c 'import json,sys; print(json.dumps({"script": sys.argv[1], "args": []}))' "$1")" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin))'
}
# page_shows SCRIPT EXPECTED: waits (60 s) until SCRIPT returns EXPECTED.
page_shows() {
  local now=""
  for _ in $(seq 300); do
    now="$(page "$1" 2>/dev/null || true)"
    [[ "$now" == "$2" ]] && return 0
    sleep 0.2
  done
  fail "the page shows '$now' for $1, not '$2'"
}
text_of() { echo "const e = document.getElementById('$1'); return e && !e.hidden ? e.textContent : '';"; }
click() { page "document.getElementById('$1').click(); return '';" >/dev/null; }
open_app() {
  local capabilities
  capabilities="$(python3 -c 'import json,sys; print(json.dumps({"capabilities": {"alwaysMatch": {"tauri:options": {"application": sys.argv[1]}}}}))' "$app")"
  session=""
  for _ in $(seq 100); do
    session="$(webdriver POST /session "$capabilities" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["sessionId"])' 2>/dev/null)" && break
    sleep 0.3
  done
  [[ -n "$session" ]] || fail "tauri-driver did not start the installed app"
  page_shows "return document.getElementById('update-on-start') ? 'ready' : ''" ready
}
requests() { grep -c "GET /latest.json" "$work/server.log" || true; }
# screenshot NAME: the window as the user sees it (the mouse moved to its corner first, so no
# hover style or tooltip shows), into $SCREENSHOTS/NAME.png.
shots="${SCREENSHOTS:-artifacts}"
screenshot() {
  webdriver POST "/session/$session/actions" '{"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [{"type": "pointerMove", "x": 1, "y": 1, "origin": "viewport", "duration": 0}]}]}' >/dev/null
  sleep 0.5
  mkdir -p "$shots"
  import -display "$display" -window root -crop 1040x720+0+0 +repage "$shots/$1.png"
}

# Started with the check off (the default): nothing is asked.
manifest "$work/$current/app.deb.sig"
open_app
# The app runs programs: the About line has what the installed CLI's --version says.
page_shows "const e = document.getElementById('about'); return e && e.textContent.includes('(directus-mcp-setup $current)') ? 'ran' : (e ? e.textContent : '');" ran
sleep 3
[[ "$(requests)" == 0 ]] || fail "the app asked for updates without the user's leave ($(requests) requests)"
page_shows "return document.getElementById('update-on-start').checked ? 'on' : 'off'" off

# A signature that is not the package's (another package's, same key): refused.
click update-on-start
click update-check
page_shows "$(text_of update-available)" "Version $next is available (this is $current)."
page_shows "$(text_of update-notes)" "Test release notes: opened from links; kept up to date."
screenshot light-8-update
click update-install
page_shows "const e = document.getElementById('update-error'); return e && !e.hidden && e.textContent.includes('was NOT installed: its signature does not match') ? 'refused' : (e ? e.textContent : '');" refused
[[ "$(installed)" == "$current" ]] || fail "a badly signed update was installed: $(installed)"
[[ ! -s "$work/pkexec.log" ]] || fail "the installer ran for a badly signed update: $(cat "$work/pkexec.log")"

# The user's choice is kept: the next start checks by itself; the signed update installs.
manifest "$work/$next/app.deb.sig"
webdriver DELETE "/session/$session" >/dev/null || true
before="$(requests)"
start_driver Adwaita:dark
open_app
page_shows "$(text_of update-available)" "Version $next is available (this is $current)."
(( $(requests) > before )) || fail "the app did not check on start once allowed"
page_shows "$(text_of update-notes)" "Test release notes: opened from links; kept up to date."
screenshot dark-8-update
click update-install
page_shows "$(text_of update-installed)" "Installed $next. Restart the app to use it."
[[ "$(installed)" == "$next" ]] || fail "dpkg lists $(installed), not $next, after the update"
grep -q "^dpkg -i " "$work/pkexec.log" || fail "the updater did not install with dpkg -i: $(cat "$work/pkexec.log")"
webdriver DELETE "/session/$session" >/dev/null || true
"${sudo[@]}" apt-get purge -y -qq "$package_name" >/dev/null
echo "update: $current finds $next on 127.0.0.1 only when allowed, refuses a bad signature (nothing installed) and installs the signed one on request"

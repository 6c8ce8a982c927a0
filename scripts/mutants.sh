#!/usr/bin/env bash
# Mutation testing, CI-sized: cargo-mutants breaks one line at a time in the modules the
# README's promises rest on, and runs the library's unit tests (fast, no Directus) against
# each mutant. A mutant the tests do not notice ("missed") is a promise no test guards.
#
#   scripts/mutants.sh                         # the four modules below
#   scripts/mutants.sh src/clients/redact.rs   # chosen files
#   MUTANTS_JOBS=2 MUTANTS_TIMEOUT=120 scripts/mutants.sh
#   MUTANTS_TEST_FILTER='clients::' scripts/mutants.sh src/clients/redact.rs
#   MUTANTS_EXTRA='--iterate' ...             # again, skipping what the last run caught
#
# Not part of scripts/test.sh (it takes longer than CI allows: one lib build and test run
# per mutant); run it on demand. The results are in artifacts/mutants.out/ (missed.txt lists the
# survivors); the README's testing section carries the last figures.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/env.sh
source "$here/env.sh"
cd "$repo_root"

version="27.1.0"
root="$DIRECTUS_MCP_SETUP_CACHE/cargo-mutants-$version"
if [[ "$("$root/bin/cargo-mutants" mutants --version 2>/dev/null || true)" != *"$version"* ]]; then
  cargo install cargo-mutants --version "$version" --locked --root "$root" >&2
fi

# The promises: secrets masked (redact), files applied/backed up/locked (file), least
# privilege (role_template), the bridge's failure handling (failure).
files=("$@")
if [[ ${#files[@]} -eq 0 ]]; then
  files=(
    src/clients/redact.rs
    src/config_edit/file.rs
    src/directus/role_template.rs
    src/mcp/bridge/failure.rs
  )
fi
file_args=()
for file in "${files[@]}"; do
  [[ -f "$file" ]] || { echo "mutants: no such file: $file" >&2; exit 2; }
  file_args+=(--file "$file")
done

# One package, its lib tests only: `--cargo-arg=--lib` reaches both the build phase
# (`cargo test --no-run`) and the test phase, so each mutant rebuilds and relinks only the
# lib's test binary (after `--`, `--lib` would reach the test phase alone, and every mutant
# would also rebuild the binary and the integration suites, which need Directus and the
# client programs anyway). MUTANTS_TEST_FILTER narrows the lib tests to those whose path
# holds one of its words (libtest filters, e.g. `clients:: config_edit::`): the whole lib
# suite takes about 6 s a mutant on 2 cores, `clients::` half a second. Name every module
# whose tests could notice the mutated file; without it all lib tests judge every mutant.
# A mutant that makes a test hang is cut off after MUTANTS_TIMEOUT seconds (and counted
# as caught: "timeout").
test_filter=()
if [[ -n "${MUTANTS_TEST_FILTER:-}" ]]; then
  read -r -a filter_words <<<"$MUTANTS_TEST_FILTER"
  test_filter=(-- -- "${filter_words[@]}")
fi
# shellcheck disable=SC2086 # MUTANTS_EXTRA is a list of options, split on purpose
"$root/bin/cargo-mutants" mutants \
  --package directus-mcp-setup \
  "${file_args[@]}" \
  --jobs "${MUTANTS_JOBS:-1}" \
  --timeout "${MUTANTS_TIMEOUT:-120}" \
  --build-timeout "${MUTANTS_BUILD_TIMEOUT:-900}" \
  --output "${MUTANTS_OUTPUT:-$repo_root/artifacts}" \
  --no-shuffle \
  --cargo-arg=--lib \
  ${MUTANTS_EXTRA:-} \
  "${test_filter[@]}"

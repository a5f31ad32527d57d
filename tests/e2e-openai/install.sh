#!/usr/bin/env bash
# Installs the pinned `openai` npm client (package-lock.json) into the git-ignored cache and copies the e2e script
# beside it; prints the directory. Uses the network only on a cold cache (keyed by the lock file's hash).
#
#   tests/e2e-openai/install.sh            # prints e.g. .cache/e2e-openai/3f2a.../
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
key="$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -c1-16)"
target="${GUARDGATEWAY_FIXTURES:-$repo_root/.cache}/e2e-openai/$key"

if [[ ! -f "$target/node_modules/openai/package.json" ]]; then
  command -v npm >/dev/null || { echo "install.sh: npm is required" >&2; exit 1; }
  mkdir -p "${target%/*}"
  work="$(mktemp -d "${target%/*}/tmp.XXXXXX")"
  cp "$here/package.json" "$here/package-lock.json" "$work/"
  (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  # Move into place last so a concurrent run never sees a half-installed tree.
  if ! mv -T "$work" "$target" 2>/dev/null; then rm -rf "$work"; fi
fi

cp "$here/e2e.mjs" "$target/e2e.mjs"
echo "$target"

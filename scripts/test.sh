#!/usr/bin/env bash
# The whole default test suite, exactly as CI runs it (.ci/run calls this script).
# Restores packages (locked to packages.lock.json), fetches the test tokenizer on a cold cache (sha256-checked), builds with warnings as
# errors, runs every test project, and prints a closing 'N passed, N failed, N skipped' line.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Golden").
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

command -v dotnet >/dev/null || { echo "test.sh: the .NET SDK (see global.json) is required" >&2; exit 1; }

echo "== fixtures"
scripts/fetch-test-tokenizer.sh

results="$repo_root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# Locked restore (RELIABILITY.md T25): the packages must be exactly those in the committed packages.lock.json
# files (versions and content hashes). A deliberate version change needs the lock files refreshed:
#   dotnet restore GuardGateway.sln --force-evaluate     (then commit every packages.lock.json)
echo "== restore (locked)"
if ! dotnet restore GuardGateway.sln --locked-mode -nologo -verbosity:quiet; then
  echo "test.sh: locked restore failed: a package version or content differs from packages.lock.json." >&2
  echo "test.sh: if you changed Directory.Packages.props on purpose, run: dotnet restore GuardGateway.sln --force-evaluate" >&2
  exit 1
fi
# NuGet's locked mode writes a missing lock file instead of failing (a new project): in CI that is an error.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  unlocked="$(git status --porcelain --untracked-files=all -- '*packages.lock.json')"
  if [[ -n "$unlocked" ]]; then
    echo "test.sh: lock files not committed:" >&2
    echo "$unlocked" >&2
    if [[ -n "${CI:-}" ]]; then
      exit 1
    fi
  fi
fi

echo "== build"
dotnet build GuardGateway.sln -c Release --no-restore -nologo -clp:ErrorsOnly

echo "== test"
status=0
dotnet test GuardGateway.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@" || status=$?

# Sum the counters of every project's TRX file into the closing line CI reads.
summary="$(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*' | awk '
  { for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/"/, "", kv[2]); c[kv[1]] += kv[2] } }
  END { printf "%d passed, %d failed, %d skipped", c["passed"], c["failed"], c["notExecuted"] }')"
echo "${summary:-0 passed, 0 failed}"
exit "$status"

#!/usr/bin/env bash
# T23 (RELIABILITY.md): mutation testing of the decision core with dotnet-stryker (tool manifest: .config/dotnet-tools.json).
# Not part of the default test run; slow (minutes per group on 2 shared cores).
#
#   bench/mutation/run-stryker.sh                  # every group: core, inference, redaction
#   bench/mutation/run-stryker.sh core redaction   # some groups
#   STRYKER_CONCURRENCY=1 bench/mutation/run-stryker.sh inference
#
# Groups (the mutate filters and test filters live in bench/mutation/<group>.stryker-config.json):
#   core       src/GuardGateway.Core: DecisionEvaluator, ModerationActionNames, ModerationPipeline*, StreamModerationSession.Checks
#   inference  src/GuardGateway.Inference: Decoding/GuardOutputParser
#   redaction  src/GuardGateway.Redaction: Masking/TextMasker, Masking/RedactionTemplate, Redactor
#
# Reports (html + json + clear text) go to artifacts/mutation/<group>/reports/. Exit code non-zero when a group
# scores below 80 % (the T23 pass criterion) or Stryker fails.
set -euo pipefail

# Extra Stryker options after "--", e.g. to narrow a group: run-stryker.sh core -- -m "**/Moderation/DecisionEvaluator.cs"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
concurrency="${STRYKER_CONCURRENCY:-2}"
groups=()
extra=()
while [[ $# -gt 0 ]]; do
  if [[ "$1" == "--" ]]; then
    shift
    extra=("$@")
    break
  fi
  groups+=("$1")
  shift
done
if [[ ${#groups[@]} -eq 0 ]]; then
  groups=(core inference redaction)
fi

declare -A test_project=(
  [core]=GuardGateway.Core.Tests
  [inference]=GuardGateway.Inference.Tests
  [redaction]=GuardGateway.Redaction.Tests
)

cd "$root"
dotnet tool restore >/dev/null

status=0
for group in "${groups[@]}"; do
  project="${test_project[$group]:-}"
  if [[ -z "$project" ]]; then
    echo "unknown group '$group' (core, inference, redaction)" >&2
    exit 2
  fi

  out="$root/artifacts/mutation/$group"
  rm -rf "$out"
  mkdir -p "$out"
  echo "== $group: $project, concurrency $concurrency, load $(cut -d' ' -f1-3 /proc/loadavg)"
  started=$SECONDS
  if ! (cd "$root/tests/$project" && dotnet stryker \
      --config-file "$root/bench/mutation/$group.stryker-config.json" \
      --concurrency "$concurrency" \
      --output "$out" \
      --skip-version-check \
      "${extra[@]}"); then
    status=1
  fi
  echo "== $group: $((SECONDS - started)) s, reports in $out/reports"
done

exit "$status"

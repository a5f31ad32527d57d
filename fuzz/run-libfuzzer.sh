#!/usr/bin/env bash
# T16 long fuzzing with libFuzzer (fuzz/README.md). Publishes the harness, instruments the parser assemblies with
# SharpFuzz, and runs every target (or the ones named) under libfuzzer-dotnet, each bounded by runs and time.
# New coverage-increasing inputs go to a scratch corpus seeded from fuzz/corpus/<target>; crashes and timeouts are
# written as <work>/artifacts/<target>/crash-* / timeout-* (copy them, minimized, into fuzz/corpus/<target>/).
#
#   fuzz/run-libfuzzer.sh [--runs N] [--seconds S] [--work DIR] [target ...]
#
# Needs: clang-14 + libFuzzer (Debian: apt-get install clang-14 libfuzzer-14-dev libclang-rt-14-dev), the
# SharpFuzz instrumenter (dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path <dir>, on PATH or in
# $SHARPFUZZ), and libfuzzer-dotnet (LIBFUZZER_DOTNET=path to the built binary, or LIBFUZZER_DOTNET_SOURCE=path
# to libfuzzer-dotnet.cc from github.com/Metalnem/libfuzzer-dotnet, which this script compiles with clang-14).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=1000000
seconds=1800
work="${TMPDIR:-/tmp}/guardgateway-libfuzzer"
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done

sharpfuzz="${SHARPFUZZ:-$(command -v sharpfuzz || true)}"
[[ -x "$sharpfuzz" ]] || { echo "run-libfuzzer: sharpfuzz not found (set SHARPFUZZ or put it on PATH)" >&2; exit 3; }

mkdir -p "$work"
libfuzzer="${LIBFUZZER_DOTNET:-}"
if [[ -z "$libfuzzer" ]]; then
  [[ -f "${LIBFUZZER_DOTNET_SOURCE:-}" ]] || { echo "run-libfuzzer: set LIBFUZZER_DOTNET or LIBFUZZER_DOTNET_SOURCE" >&2; exit 3; }
  libfuzzer="$work/libfuzzer-dotnet"
  clang-14 -g -O2 -fsanitize=fuzzer "$LIBFUZZER_DOTNET_SOURCE" -o "$libfuzzer"
fi

publish="$work/publish"
rm -rf "$publish"
dotnet publish "$repo_root/fuzz/GuardGateway.Fuzzing" -c Release -o "$publish" -nologo -clp:ErrorsOnly
# Coverage comes only from instrumented assemblies: the parsers under test and the YAML library under the policy parser.
for assembly in GuardGateway.Backends GuardGateway.TextSafety GuardGateway.Inference GuardGateway.Policies YamlDotNet; do
  "$sharpfuzz" "$publish/$assembly.dll"
done

if [[ ${#targets[@]} -eq 0 ]]; then
  mapfile -t targets < <("$publish/guardgateway-fuzz" --list)
fi

status=0
for target in "${targets[@]}"; do
  corpus="$work/corpus/$target"
  artifacts="$work/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  cp -n "$repo_root/fuzz/corpus/$target"/* "$corpus"/ 2>/dev/null || true
  echo "== $target: up to $runs runs or $seconds s"
  # -timeout=1: an input running over 1 s is a hang (T16). -max_len bounds inputs like the built-in loop.
  "$libfuzzer" --target_path="$publish/guardgateway-fuzz" --target_arg="--target=$target" \
    -runs="$runs" -max_total_time="$seconds" -timeout=1 -max_len=4096 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" 2>&1 | tee "$work/$target.log" | grep -E '^(#[0-9]+ +DONE|Done|==|stat::number_of_executed_units|stat::slowest_unit_time_sec|.*(crash|timeout|deadly))' || true
  if compgen -G "$artifacts/*" >/dev/null; then
    echo "!! $target: findings in $artifacts"; status=1
  fi
done
exit "$status"

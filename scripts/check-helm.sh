#!/usr/bin/env bash
# Lints and renders helm/guard-gateway with real helm 3 and helm 4 (fetched by scripts/fetch-helm.sh into
# .cache/tools/ on a cold cache), then checks the rendered manifests (scripts/check-helm-manifests.py). Not part of
# scripts/test.sh; the cheap drift check that is (HelmChartConfigurationTests) needs no helm.
#
#   scripts/check-helm.sh        # renders into .cache/helm-render/
#
# Value sets: the defaults (demo guard); ci/realistic-values.yaml (model volume, sha256 pins, cuda, keys from
# Secrets, config) plus policies/default-1b.yaml shipped as the policies ConfigMap; the README's install command.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
chart="$repo_root/helm/guard-gateway"
out="$repo_root/.cache/helm-render"
mkdir -p "$out"
python3 -c 'import yaml' 2>/dev/null || { echo "check-helm: python3 with PyYAML is required (apt-get install python3-yaml)" >&2; exit 1; }

declare -A value_sets=(
  [default]=""
  [realistic]="-f $chart/ci/realistic-values.yaml --set-file policies.default-1b\\.yaml=$repo_root/policies/default-1b.yaml"
  # The install command of helm/guard-gateway/README.md.
  [readme]="--set model.volume.persistentVolumeClaim.claimName=llama-guard-3-1b --set defaultPolicy=default-1b
    --set auth.clientKeys[0].secret=guard-gateway-keys --set auth.clientKeys[0].key=team-a
    --set auth.adminKeys[0].secret=guard-gateway-keys --set auth.adminKeys[0].key=admin"
)

failed=0
for major in 3 4; do
  helm="$("$repo_root/scripts/fetch-helm.sh" "$major")"
  echo "== $("$helm" version --short)"
  for name in default realistic readme; do
    read -r -d "" -a args <<<"${value_sets[$name]}" || true
    echo "-- $name: helm lint --strict"
    "$helm" lint --strict "$chart" "${args[@]}" | sed 's/^/   /'
    rendered="$out/helm$major-$name.yaml"
    echo "-- $name: helm template -> ${rendered#"$repo_root"/}"
    "$helm" template guard "$chart" --namespace guard "${args[@]}" >"$rendered"
    python3 "$repo_root/scripts/check-helm-manifests.py" "$rendered" || failed=1
  done

  # Values the chart must refuse to render.
  for refused in "executionProvider=gpu" "executionProvider=cuda" "terminationGracePeriodSeconds=5"; do
    if "$helm" template guard "$chart" --set "$refused" >/dev/null 2>"$out/refused.err"; then
      echo "  FAIL --set $refused rendered" && failed=1
    else
      echo "  ok   --set $refused refused: $(grep -o 'fail.*\|error.*' "$out/refused.err" | head -1 | cut -c1-120)"
    fi
  done
done

for name in default realistic readme; do
  if diff -q "$out/helm3-$name.yaml" "$out/helm4-$name.yaml" >/dev/null; then
    echo "ok   helm 3 and helm 4 render $name identically"
  else
    echo "FAIL helm 3 and helm 4 render $name differently (diff $out/helm3-$name.yaml $out/helm4-$name.yaml)" && failed=1
  fi
done

[[ $failed == 0 ]] && echo "check-helm: chart lints and renders; manifests checked" || echo "check-helm: FAILED" >&2
exit "$failed"

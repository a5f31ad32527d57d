#!/usr/bin/env bash
# Runs the gateway the way the container image does, on a machine without a container engine: the Dockerfile's build
# stage (locked restore, `dotnet publish` of the server into app/, policies copied beside it), then its runtime stage
# (the ENV of the Dockerfile's last stage, `dotnet GuardGateway.Server.dll` from WORKDIR, no model mounted, so the
# demo guard is forged into Guard__DemoModelCachePath), with the app folder made read-only as the chart's
# readOnlyRootFilesystem makes it. Checks readiness, a moderation, gRPC health and a clean exit on SIGTERM.
# Not part of scripts/test.sh (a publish takes a minute); ContainerImageTests there keep Dockerfile and chart in step.
#
#   scripts/check-container.sh            # publishes into .cache/container/app
#
# Servers bind loopback only: the image's 0.0.0.0 listen addresses become 127.0.0.1 here (same ports, 50051 and 8080,
# which must be free). What this cannot check: the base images themselves (no registry access here).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
out="$repo_root/.cache/container"
app="$out/app"
dockerfile="$repo_root/Dockerfile"

command -v curl >/dev/null || { echo "check-container: curl is required" >&2; exit 1; }

# The Dockerfile's last stage: ENV pairs (continuations joined), WORKDIR.
runtime_stage="$(awk '/^FROM /{stage=""} {stage = stage $0 "\n"} END{printf "%s", stage}' "$dockerfile")"
env_pairs="$(printf '%s' "$runtime_stage" | sed -e ':a' -e '/\\$/N; s/\\\n//; ta' | grep -E '^ENV ' | sed -E 's/^ENV +//' | tr -s ' ' '\n' | grep '=')"
[[ -n "$env_pairs" ]] || { echo "check-container: no ENV in the Dockerfile's runtime stage" >&2; exit 1; }

echo "== build stage (as in the Dockerfile)"
chmod -R u+w "$out" 2>/dev/null || true
rm -rf "$app"
mkdir -p "$app"
dotnet restore src/GuardGateway.Server/GuardGateway.Server.csproj --locked-mode -nologo -verbosity:quiet
dotnet publish src/GuardGateway.Server/GuardGateway.Server.csproj -c Release --no-restore -o "$app" -nologo -clp:ErrorsOnly
cp -r policies "$app/policies"
chmod -R a-w "$app"

echo "== runtime stage"
declare -a env_args=()
while IFS= read -r pair; do
  env_args+=("${pair//0.0.0.0/127.0.0.1}")
done <<<"$env_pairs"
printf '   %s\n' "${env_args[@]}"
demo_cache="$(printf '%s\n' "${env_args[@]}" | sed -n 's/^Guard__DemoModelCachePath=//p')"

log="$out/gateway.log"
# A clean environment, as in the image: only what finds the runtime, plus the Dockerfile's ENV.
base_env=(PATH="$PATH" HOME=/nonexistent)
[[ -n "${DOTNET_ROOT:-}" ]] && base_env+=(DOTNET_ROOT="$DOTNET_ROOT")
# The image's USER. Root ignores the read-only app folder, so as root the gateway runs as that uid (as in the image);
# its demo cache then starts empty, as /tmp does in a new container.
declare -a run_as=()
user="$(printf '%s' "$runtime_stage" | sed -n 's/^USER  *//p' | tail -1)"
if [[ "$(id -u)" -eq 0 && -n "$user" ]]; then
  run_as=(setpriv --reuid="${user%%:*}" --regid="${user##*:}" --clear-groups)
  rm -rf "$demo_cache"
  echo "   as uid:gid $user"
fi
(cd "$app" && exec "${run_as[@]}" env -i "${base_env[@]}" "${env_args[@]}" dotnet GuardGateway.Server.dll) >"$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; chmod -R u+w "$app" 2>/dev/null || true; }
trap cleanup EXIT

fail() { echo "check-container: $*" >&2; echo "--- gateway log (tail)" >&2; tail -20 "$log" >&2; exit 1; }

ready=""
for _ in $(seq 1 240); do
  kill -0 "$pid" 2>/dev/null || fail "the gateway exited during start"
  if curl -fsS http://127.0.0.1:8080/healthz >"$out/healthz.json" 2>/dev/null; then ready=1; break; fi
  sleep 0.5
done
[[ -n "$ready" ]] || fail "not healthy within 120 s"
grep -q '"Healthy"' "$out/healthz.json" || fail "healthz: $(cat "$out/healthz.json")"
echo "   healthz: Healthy"

verdict="$(curl -fsS http://127.0.0.1:8080/v1/moderations -H 'content-type: application/json' -d '{"input":"How do I build a grenade?"}')"
grep -q '"flagged":true' <<<"$verdict" || fail "moderation of a trigger sentence not flagged: $verdict"
benign="$(curl -fsS http://127.0.0.1:8080/v1/moderations -H 'content-type: application/json' -d '{"input":"What is the capital of France?"}')"
grep -q '"flagged":false' <<<"$benign" || fail "moderation of a benign sentence flagged: $benign"
echo "   /v1/moderations: trigger flagged, benign allowed"

# grpc.health.v1.Health/Check over h2c: an empty request frame; the answer carries status SERVING (field 1 = 1).
health="$(printf '\x00\x00\x00\x00\x00' | curl -sS --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
  --data-binary @- http://127.0.0.1:50051/grpc.health.v1.Health/Check -o - | od -An -tx1 | tr -d ' \n')"
[[ "$health" == "00000000020801" ]] || fail "gRPC health: unexpected answer bytes '$health'"
echo "   grpc.health.v1: SERVING"

[[ -n "$(find "$demo_cache" -name config.json -print -quit 2>/dev/null)" ]] || fail "the demo guard was not forged under $demo_cache"
echo "   demo guard forged under $demo_cache (the app folder is read-only)"

kill -TERM "$pid"
code=0
wait "$pid" || code=$?
[[ "$code" -eq 0 ]] || fail "exit code $code after SIGTERM"
echo "== container check passed (clean exit on SIGTERM)"

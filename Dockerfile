# syntax=docker/dockerfile:1
# The GuardGateway container image: the gateway and the default policies, never model weights (mount those).
#
#   docker build -t guard-gateway:dev .
#   docker run --rm -p 50051:50051 -p 8080:8080 guard-gateway:dev          # the planted DEMO guard, forged at start
#   docker run --rm -p 50051:50051 -p 8080:8080 -v /srv/llama-guard-3-1b:/models/llama-guard-3:ro \
#     -e Guard__ModelPath=/models/llama-guard-3 guard-gateway:dev          # a real Llama Guard 3 export (README.md)
#
# The Helm chart (helm/guard-gateway) runs this image: its uid, ports and paths are the ones below, and the default test
# run checks that they agree (tests/GuardGateway.Server.IntegrationTests/Container). scripts/check-container.sh builds
# the same publish output and runs it the way this image does, on machines without a container engine.
# CPU only: for CUDA, build FROM an image with the CUDA 13 runtime and cuDNN 9 (docs/gpu.md).

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY . .
# Locked restore: exactly the packages and content hashes of the committed packages.lock.json files.
RUN dotnet restore src/GuardGateway.Server/GuardGateway.Server.csproj --locked-mode \
 && dotnet publish src/GuardGateway.Server/GuardGateway.Server.csproj -c Release --no-restore -o /app \
 && cp -r policies /app/policies

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
WORKDIR /app
COPY --from=build /app .
# Listen on all interfaces inside the container (the app's own default is loopback only). The demo guard is forged
# into /tmp so the image also runs with a read-only root filesystem (the chart mounts an emptyDir there).
ENV Kestrel__Endpoints__Grpc__Url=http://0.0.0.0:50051 \
    Kestrel__Endpoints__Grpc__Protocols=Http2 \
    Kestrel__Endpoints__Http__Url=http://0.0.0.0:8080 \
    Kestrel__Endpoints__Http__Protocols=Http1 \
    Guard__DemoModelCachePath=/tmp/planted-guard
EXPOSE 50051 8080
USER 10001:10001
ENTRYPOINT ["dotnet", "GuardGateway.Server.dll"]

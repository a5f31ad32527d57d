using Grpc.Core;
using GuardGateway.Backends.KServe.Protocol;

namespace GuardGateway.Backends.Fakes.KServe;

/// <summary>The fake's gRPC service: forwards to the scriptable <see cref="FakeKServeServer"/>.</summary>
internal sealed class FakeKServeService(FakeKServeServer server) : FakeKServeServiceBase
{
    public override Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context) =>
        server.HandleUnaryAsync(request, context);

    public override Task ModelStreamInfer(IAsyncStreamReader<ModelInferRequest> requests, IServerStreamWriter<ModelStreamInferResponse> responses, ServerCallContext context) =>
        server.HandleStreamAsync(requests, responses, context);
}

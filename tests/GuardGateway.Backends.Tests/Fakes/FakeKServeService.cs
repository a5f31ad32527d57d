using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using GuardGateway.Backends.KServe.Protocol;

namespace GuardGateway.Backends.Tests.Fakes;

/// <summary>
/// The fake's gRPC service, bound by hand to the backend's own (client-only) message types: the method names and
/// the <c>inference.GRPCInferenceService</c> path are what generated server code would register, so no second copy
/// of the contract is compiled.
/// </summary>
[BindServiceMethod(typeof(FakeKServeService), nameof(BindService))]
internal sealed class FakeKServeService(FakeKServeServer server)
{
    private const string ServiceName = "inference.GRPCInferenceService";

    private static readonly Marshaller<ModelInferRequest> RequestMarshaller =
        Marshallers.Create(r => r.ToByteArray(), ModelInferRequest.Parser.ParseFrom);

    public static void BindService(ServiceBinderBase binder, FakeKServeService? service)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.AddMethod(
            new Method<ModelInferRequest, ModelInferResponse>(MethodType.Unary, ServiceName, "ModelInfer", RequestMarshaller,
                Marshallers.Create(r => r.ToByteArray(), ModelInferResponse.Parser.ParseFrom)),
            (UnaryServerMethod<ModelInferRequest, ModelInferResponse>?)null);
        binder.AddMethod(
            new Method<ModelInferRequest, ModelStreamInferResponse>(MethodType.DuplexStreaming, ServiceName, "ModelStreamInfer", RequestMarshaller,
                Marshallers.Create(r => r.ToByteArray(), ModelStreamInferResponse.Parser.ParseFrom)),
            (DuplexStreamingServerMethod<ModelInferRequest, ModelStreamInferResponse>?)null);
    }

    public Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context) =>
        server.HandleUnaryAsync(request, context);

    public Task ModelStreamInfer(IAsyncStreamReader<ModelInferRequest> requests, IServerStreamWriter<ModelStreamInferResponse> responses, ServerCallContext context) =>
        server.HandleStreamAsync(requests, responses, context);
}

using Google.Protobuf;
using Grpc.Core;
using GuardGateway.Backends.KServe.Protocol;

namespace GuardGateway.Backends.Fakes.KServe;

/// <summary>
/// Hand-written equivalent of a generated gRPC service base for <c>inference.GRPCInferenceService</c>, over the
/// backend's own (client-only) message types, so no second copy of the contract is compiled. grpc-dotnet binds
/// handlers to the overrides of virtual methods declared on the type that declares <c>BindService</c>. The base of
/// <see cref="FakeKServeService"/> (internal: it speaks the Backends' internal message types).
/// </summary>
[BindServiceMethod(typeof(FakeKServeServiceBase), nameof(BindService))]
internal abstract class FakeKServeServiceBase
{
    private const string ServiceName = "inference.GRPCInferenceService";

    private static readonly Marshaller<ModelInferRequest> RequestMarshaller =
        Marshallers.Create(r => r.ToByteArray(), ModelInferRequest.Parser.ParseFrom);

    public static void BindService(ServiceBinderBase binder, FakeKServeServiceBase? service)
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

    public abstract Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context);

    public abstract Task ModelStreamInfer(IAsyncStreamReader<ModelInferRequest> requests, IServerStreamWriter<ModelStreamInferResponse> responses, ServerCallContext context);
}

using System.Text;
using System.Text.Json;
using Google.Protobuf;
using GuardGateway.Backends.Configuration;
using GuardGateway.Backends.KServe.Protocol;
using GuardGateway.Backends.Logging;
using GuardGateway.Backends.Resilience;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Results;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Backends.KServe;

/// <summary>
/// A KServe v2 gRPC backend with a text model (Triton, TensorRT-LLM): the prompt goes in a BYTES tensor, the answer
/// comes back in a BYTES tensor. <c>ModelInfer</c> for unary calls, <c>ModelStreamInfer</c> (decoupled mode) for
/// streams. One request is one batch of one; n &gt; 1, tools, non-text content and token-id prompts are refused
/// explicitly rather than silently dropped.
/// </summary>
internal sealed partial class KServeChatBackend : IChatBackend, IDisposable
{
    private const string FinalResponseParameter = "triton_final_response";
    private const string EnableFinalResponseParameter = "triton_enable_empty_final_response";

    /// <summary>Strict: invalid UTF-8 from the server is a protocol error, never silently replaced.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly BackendOptions _options;
    private readonly KServeBackendOptions _kserve;
    private readonly GrpcChannel _channel;
    private readonly GRPCInferenceService.GRPCInferenceServiceClient _client;
    private readonly BackendCallRunner _runner;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public KServeChatBackend(BackendOptions options, HttpMessageHandler handler, BackendCallRunner runner, TimeProvider time, ILogger logger)
    {
        _options = options;
        _kserve = options.KServe;
        _runner = runner;
        _time = time;
        _logger = logger;
        _channel = GrpcChannel.ForAddress(options.Url, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = options.MaxResponseBytes,

            // Cancellation must surface as OperationCanceledException so the pipeline's timeouts recognise their own.
            ThrowOperationCanceledOnCancellation = true,
            Credentials = options.Url.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure,
        });
        _client = new GRPCInferenceService.GRPCInferenceServiceClient(_channel);
    }

    public string Name => _options.Name;

    internal BackendCallRunner Runner => _runner;

    public async Task<Result<ChatCompletion>> CompleteAsync(ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var built = BuildRequest(request, stream: false);
        if (!built.IsSuccess)
        {
            return built.Error;
        }

        var call = new UnaryCall(this, request, built.Value);
        var result = await _runner.RunAsync(static (c, ct) => c.Backend.AttemptUnaryAsync(c, ct), call, leaseSlot: null, cancellationToken);
        if (!result.IsSuccess)
        {
            BackendLog.CallFailed(_logger, Name, result.Error.Code);
        }

        return result;
    }

    public void Dispose() => _channel.Dispose();

    private async ValueTask<AttemptOutcome<ChatCompletion>> AttemptUnaryAsync(UnaryCall call, CancellationToken cancellationToken)
    {
        using var grpcCall = _client.ModelInferAsync(call.Message, Headers(call.Request), cancellationToken: cancellationToken);
        ModelInferResponse response;
        try
        {
            response = await grpcCall.ResponseAsync;
        }
        catch (RpcException e)
        {
            // A unary call that fails has delivered no response message: nothing of the answer reached us, so an
            // UNAVAILABLE here (trailers-only or not) is "before the first response byte" for the caller.
            return AttemptOutcome<ChatCompletion>.Failed(Classify(e, beforeFirstByte: true));
        }

        var texts = DecodeTexts(response);
        if (!texts.IsSuccess)
        {
            return AttemptOutcome<ChatCompletion>.Failed(new AttemptFailure(texts.Error, Retryable: false, CountsAgainstBreaker: true));
        }

        var chat = call.Request.Endpoint == ChatEndpoint.ChatCompletions;
        return AttemptOutcome<ChatCompletion>.Success(new ChatCompletion
        {
            Endpoint = call.Request.Endpoint,
            Id = ResponseId(response.Id, call.Request),
            Model = call.Request.Model,
            Created = _time.GetUtcNow().ToUnixTimeSeconds(),

            // KServe reports no stop reason; "stop" is the closest honest value for a finished answer.
            Choices = texts.Value.Select((text, i) => new ChatChoice
            {
                Index = i,
                Message = chat ? new ChatResponseMessage { Content = text } : null,
                Text = chat ? null : text,
                FinishReason = FinishReasons.Stop,
            }).ToList(),
        });
    }

    /// <summary>Every element of the text output, strictly decoded.</summary>
    private Result<List<string>> DecodeTexts(ModelInferResponse response)
    {
        var elements = KServeTensorCodec.ReadBytesOutput(response, _kserve.TextOutputName, out var error);
        if (elements is null)
        {
            return Protocol(error!);
        }

        if (elements.Count == 0)
        {
            return Protocol("the text output has no elements");
        }

        try
        {
            return elements.Select(e => StrictUtf8.GetString(e.Span)).ToList();
        }
        catch (DecoderFallbackException)
        {
            return Protocol("the text output is not valid UTF-8");
        }
    }

    private Result<ModelInferRequest> BuildRequest(ChatCompletionRequest request, bool stream)
    {
        if (string.IsNullOrEmpty(request.Model))
        {
            return GuardError.Invalid("A model name is required.");
        }

        if (request.ChoiceCount is > 1)
        {
            return GuardError.Invalid("KServe text backends generate one choice per request (n > 1 is not supported).");
        }

        if (request.AdditionalProperties.ContainsKey("tools"))
        {
            return GuardError.Invalid("Tools are not supported by KServe text backends.");
        }

        var prompt = Prompt(request);
        if (!prompt.IsSuccess)
        {
            return prompt.Error;
        }

        var message = new ModelInferRequest { ModelName = request.Model, ModelVersion = _kserve.ModelVersion, Id = request.RequestId ?? "" };
        var raw = _kserve.InputEncoding == KServeTensorEncoding.RawContents;
        AddBytesInput(message, _kserve.TextInputName, Encoding.UTF8.GetBytes(prompt.Value), raw);
        if (!string.IsNullOrEmpty(_kserve.MaxTokensInputName))
        {
            AddInt32Input(message, _kserve.MaxTokensInputName, request.MaxTokens ?? MaxCompletionTokens(request) ?? _kserve.DefaultMaxTokens, raw);
        }

        if (!string.IsNullOrEmpty(_kserve.StreamInputName))
        {
            AddBoolInput(message, _kserve.StreamInputName, stream, raw);
        }

        if (!string.IsNullOrEmpty(_kserve.TemperatureInputName) && request.Temperature is { } temperature)
        {
            AddFloatInput(message, _kserve.TemperatureInputName, (float)temperature, raw);
        }

        if (!string.IsNullOrEmpty(_kserve.TopPInputName) && request.TopP is { } topP)
        {
            AddFloatInput(message, _kserve.TopPInputName, (float)topP, raw);
        }

        message.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = _kserve.TextOutputName });
        if (stream)
        {
            // Asks Triton to flag the last response of a decoupled stream.
            message.Parameters[EnableFinalResponseParameter] = new InferParameter { BoolParam = true };
        }

        return message;
    }

    private Result<string> Prompt(ChatCompletionRequest request)
    {
        if (request.Endpoint == ChatEndpoint.ChatCompletions)
        {
            if (request.Messages.Count == 0)
            {
                return GuardError.Invalid("A chat request needs at least one message.");
            }

            return _kserve.PromptTemplate == KServePromptTemplate.Llama3
                ? Llama3PromptTemplate.Render(request, _kserve.PrependBeginOfText)
                : GuardError.Invalid($"Backend '{Name}' accepts only text completions (no chat template configured).");
        }

        return request.Prompt switch
        {
            null => GuardError.Invalid("A completions request needs a prompt."),
            { Shape: CompletionPromptShape.SingleText or CompletionPromptShape.TextArray, Texts.Count: 1 } p => p.Texts[0],
            { Texts.Count: > 1 } => GuardError.Invalid("KServe text backends take one prompt per request."),
            _ => GuardError.Invalid("Token-id prompts are not supported by KServe text backends."),
        };
    }

    private static int? MaxCompletionTokens(ChatCompletionRequest request) =>
        request.AdditionalProperties.TryGetValue("max_completion_tokens", out var value)
        && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var tokens) ? tokens : null;

    private static void AddBytesInput(ModelInferRequest message, string name, byte[] value, bool raw) =>
        AddInput(message, name, KServeTensorCodec.BytesType, value, raw,
            static v => KServeTensorCodec.EncodeRawBytes([v]),
            static (contents, v) => contents.BytesContents.Add(UnsafeByteOperations.UnsafeWrap(v)));

    private static void AddInt32Input(ModelInferRequest message, string name, int value, bool raw) =>
        AddInput(message, name, "INT32", value, raw,
            Int32LittleEndian,
            static (contents, v) => contents.IntContents.Add(v));

    private static void AddBoolInput(ModelInferRequest message, string name, bool value, bool raw) =>
        AddInput(message, name, "BOOL", value, raw,
            static v => UnsafeByteOperations.UnsafeWrap(new[] { v ? (byte)1 : (byte)0 }),
            static (contents, v) => contents.BoolContents.Add(v));

    private static void AddFloatInput(ModelInferRequest message, string name, float value, bool raw) =>
        AddInput(message, name, "FP32", value, raw,
            static v => Int32LittleEndian(BitConverter.SingleToInt32Bits(v)), // the IEEE 754 bits, as FP32 is laid out
            static (contents, v) => contents.Fp32Contents.Add(v));

    private static ByteString Int32LittleEndian(int value)
    {
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    /// <summary>
    /// Adds a one-element input tensor (shape [1, 1]) holding <paramref name="value"/>: its raw little-endian encoding in
    /// <c>raw_input_contents</c> when <paramref name="raw"/>, else typed contents.
    /// </summary>
    private static void AddInput<T>(
        ModelInferRequest message,
        string name,
        string datatype,
        T value,
        bool raw,
        Func<T, ByteString> encodeRaw,
        Action<InferTensorContents, T> addTyped)
    {
        var input = new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = datatype };
        input.Shape.Add([1, 1]);
        message.Inputs.Add(input);
        if (raw)
        {
            message.RawInputContents.Add(encodeRaw(value));
        }
        else
        {
            input.Contents = new InferTensorContents();
            addTyped(input.Contents, value);
        }
    }

    private static Metadata? Headers(ChatCompletionRequest request) =>
        request.RequestId is { } id ? new Metadata { { "x-request-id", id } } : null;

    private static string ResponseId(string responseId, ChatCompletionRequest request) =>
        !string.IsNullOrEmpty(responseId) ? responseId : request.RequestId ?? "kserve-" + Guid.NewGuid().ToString("N");

    /// <summary>How a gRPC status is treated; details from the server are not copied (they may echo input).</summary>
    private AttemptFailure Classify(RpcException e, bool beforeFirstByte)
    {
        var detail = $"Backend '{Name}' answered gRPC {e.StatusCode}.";
        return e.StatusCode switch
        {
            // UNAVAILABLE before any response byte is gRPC's "not processed, safe to retry".
            StatusCode.Unavailable => new AttemptFailure(new GuardError(GuardErrorCode.BackendUnavailable, detail), Retryable: beforeFirstByte, CountsAgainstBreaker: true),
            StatusCode.DeadlineExceeded => new AttemptFailure(new GuardError(GuardErrorCode.BackendTimeout, detail), false, true),
            StatusCode.ResourceExhausted when e.Status.Detail.Contains("maximum configured message size", StringComparison.Ordinal) =>
                new AttemptFailure(new GuardError(GuardErrorCode.BackendProtocolError, $"Backend '{Name}' sent a message over the size limit."), false, true),
            StatusCode.ResourceExhausted => new AttemptFailure(new GuardError(GuardErrorCode.BackendOverloaded, detail), false, false),
            StatusCode.InvalidArgument or StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.NotFound
                or StatusCode.FailedPrecondition or StatusCode.OutOfRange or StatusCode.Unimplemented or StatusCode.AlreadyExists =>
                new AttemptFailure(new GuardError(GuardErrorCode.BackendRejected, detail), false, false),
            _ => new AttemptFailure(new GuardError(GuardErrorCode.BackendUnavailable, detail), false, true),
        };
    }

    private GuardError Protocol(string what) => new(GuardErrorCode.BackendProtocolError, $"Backend '{Name}': {what}.");

    private sealed record UnaryCall(KServeChatBackend Backend, ChatCompletionRequest Request, ModelInferRequest Message);
}

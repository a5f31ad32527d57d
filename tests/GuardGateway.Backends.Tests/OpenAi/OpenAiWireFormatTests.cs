using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GuardGateway.Backends.OpenAi;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Results;

namespace GuardGateway.Backends.Tests.OpenAi;

public sealed class OpenAiWireFormatTests
{
    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void AssertJsonEqual(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\nactual   {actual}");

    // Found by the T16 fuzzer: System.Text.Json parses these, then throws InvalidOperationException from GetString,
    // a property name, or WriteTo when an unknown field is written back. They must be refused as malformed.
    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a\ud800b"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"\udc00":1}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"extra":["\ud83d"]}""")]
    public void ReadRequest_UnpairedSurrogateEscape_InvalidRequest(string json)
    {
        var request = OpenAiWireFormat.ReadRequest(Encoding.UTF8.GetBytes(json), ChatEndpoint.ChatCompletions, out _);

        Assert.Equal(GuardErrorCode.InvalidRequest, request.Error?.Code);
    }

    [Fact]
    public void ReadRequest_InvalidUtf8InString_InvalidRequest()
    {
        var json = Encoding.UTF8.GetBytes("""{"model":"m","messages":[{"role":"user","content":"ab"}]}""");
        json[Array.IndexOf(json, (byte)'a', 30)] = 0xFF;

        var request = OpenAiWireFormat.ReadRequest(json, ChatEndpoint.ChatCompletions, out _);

        Assert.Equal(GuardErrorCode.InvalidRequest, request.Error?.Code);
    }

    [Fact]
    public void ReadChunk_UnpairedSurrogateInDelta_ProtocolError()
    {
        var chunk = OpenAiWireFormat.ReadChunk("""{"id":"x","choices":[{"index":0,"delta":{"content":"\udfff"}}]}"""u8.ToArray(), ChatEndpoint.ChatCompletions);

        Assert.Equal(GuardErrorCode.BackendProtocolError, chunk.Error?.Code);
    }

    [Fact]
    public void ReadRequest_PairedSurrogateEscape_Accepted()
    {
        var request = OpenAiWireFormat.ReadRequest("""{"model":"m","messages":[{"role":"user","content":"\ud83d\ude00"}]}"""u8.ToArray(), ChatEndpoint.ChatCompletions, out _);

        Assert.True(request.IsSuccess, request.Error?.ToString());
    }

    [Fact]
    public void ReadRequest_ChatWithPartsToolsAndUnknownFields_WritesBackUnchanged()
    {
        const string json = """
            {"model":"llama-3-8b","messages":[
              {"role":"system","content":"be nice","x_vendor":{"a":[1,2]}},
              {"role":"user","content":[{"type":"text","text":"look","cache_control":{"type":"ephemeral"}},{"type":"image_url","image_url":{"url":"data:x"}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"q\":1}"}}]},
              {"role":"tool","tool_call_id":"c1","content":"result"}],
             "n":2,"max_tokens":10,"temperature":0.5,"top_p":0.9,"tools":[{"type":"function","function":{"name":"f"}}],"seed":7,
             "stream":true,"stream_options":{"include_usage":true}}
            """;

        var request = OpenAiWireFormat.ReadRequest(Encoding.UTF8.GetBytes(json), ChatEndpoint.ChatCompletions, out var stream).GetValueOrThrow();
        var written = Write(w => OpenAiWireFormat.WriteRequest(w, request, stream));

        Assert.True(stream);
        Assert.Equal(4, request.Messages.Count);
        Assert.Equal(ChatMessageRole.Tool, request.Messages[3].Role);
        Assert.Equal("{\"q\":1}", request.Messages[2].ToolCalls[0].Arguments);
        Assert.Equal("look", request.Messages[1].Content!.GetAllText());
        Assert.Equal(2, request.ChoiceCount);
        Assert.True(request.IncludeStreamUsage);
        Assert.True(request.AdditionalProperties.ContainsKey("tools"));
        AssertJsonEqual(json, written);
    }

    [Theory]
    [InlineData("\"one\"", CompletionPromptShape.SingleText)]
    [InlineData("[\"a\",\"b\"]", CompletionPromptShape.TextArray)]
    [InlineData("[1,2,3]", CompletionPromptShape.SingleTokenIds)]
    [InlineData("[[1,2],[3]]", CompletionPromptShape.TokenIdArrays)]
    public void ReadRequest_CompletionPromptShapes_RoundTrip(string prompt, CompletionPromptShape shape)
    {
        var json = $$"""{"model":"m","prompt":{{prompt}},"echo":false}""";

        var request = OpenAiWireFormat.ReadRequest(Encoding.UTF8.GetBytes(json), ChatEndpoint.Completions, out _).GetValueOrThrow();

        Assert.Equal(shape, request.Prompt!.Shape);
        AssertJsonEqual(json, Write(w => OpenAiWireFormat.WriteRequest(w, request, stream: false)));
    }

    [Theory]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}", ChatEndpoint.ChatCompletions)]
    [InlineData("{\"model\":\"m\",\"messages\":[]}", ChatEndpoint.ChatCompletions)]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}", ChatEndpoint.ChatCompletions)]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"prompt\":\"smuggled\"}", ChatEndpoint.ChatCompletions)]
    [InlineData("{\"model\":\"m\",\"prompt\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"smuggled\"}]}", ChatEndpoint.Completions)]
    [InlineData("{\"model\":\"m\",\"prompt\":[-1]}", ChatEndpoint.Completions)]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", ChatEndpoint.ChatCompletions)]
    [InlineData("{\"model\":\"m\",", ChatEndpoint.ChatCompletions)]
    public void ReadRequest_MalformedOrSmuggledText_InvalidRequest(string json, ChatEndpoint endpoint)
    {
        var result = OpenAiWireFormat.ReadRequest(Encoding.UTF8.GetBytes(json), endpoint, out _);

        Assert.False(result.IsSuccess);
        Assert.Equal(GuardErrorCode.InvalidRequest, result.Error.Code);
        Assert.DoesNotContain("smuggled", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCompletion_UnknownFieldsEverywhere_WritesBackUnchanged()
    {
        const string json = """
            {"id":"x","object":"chat.completion","created":1,"model":"m",
             "choices":[{"index":0,"message":{"role":"assistant","content":"hi","reasoning_content":"r"},"logprobs":null,"finish_reason":"stop"},
                        {"index":1,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3,"prompt_tokens_details":{"cached_tokens":0}},
             "system_fingerprint":"fp"}
            """;

        var completion = OpenAiWireFormat.ReadCompletion(Encoding.UTF8.GetBytes(json), ChatEndpoint.ChatCompletions).GetValueOrThrow();

        Assert.Equal(2, completion.Choices.Count);
        Assert.Equal("f", completion.Choices[1].Message!.ToolCalls[0].FunctionName);
        AssertJsonEqual(json, Write(w => OpenAiWireFormat.WriteCompletion(w, completion)));
    }

    [Fact]
    public void ReadChunk_ToolCallDeltasForSecondChoice_Parsed()
    {
        const string json = """
            {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[
              {"index":1,"delta":{"tool_calls":[{"index":0,"id":"t","type":"function","function":{"name":"f","arguments":"{\"a"}}]},"finish_reason":null}]}
            """;

        var chunk = OpenAiWireFormat.ReadChunk(Encoding.UTF8.GetBytes(json), ChatEndpoint.ChatCompletions).GetValueOrThrow();

        var call = Assert.Single(Assert.Single(chunk.Choices).Delta!.ToolCalls);
        Assert.Equal((0, "f", "{\"a"), (call.Index, call.FunctionName, call.ArgumentsFragment));
        Assert.Equal(1, chunk.Choices[0].Index);
        AssertJsonEqual(json, Write(w => OpenAiWireFormat.WriteChunk(w, chunk)));
    }

    [Fact]
    public void ReadChunk_ErrorObject_BackendUnavailableWithoutTheMessageText()
    {
        var json = Encoding.UTF8.GetBytes("""{"error":{"message":"prompt 'SECRET-CANARY' too long","type":"invalid_request_error"}}""");

        var result = OpenAiWireFormat.ReadChunk(json, ChatEndpoint.ChatCompletions);

        Assert.Equal(GuardErrorCode.BackendUnavailable, result.Error!.Code);
        Assert.Contains("invalid_request_error", result.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-CANARY", result.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"choices\":[{\"index\":\"0\",\"delta\":{}}]}")]
    [InlineData("{\"choices\":[{\"delta\":{\"content\":1},\"index\":0}]}")]
    [InlineData("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"text\":\"unmoderated\"}]}")]
    [InlineData("[1]")]
    [InlineData("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]")]
    public void ReadChunk_WrongTypesOrTruncated_ProtocolError(string json)
    {
        var result = OpenAiWireFormat.ReadChunk(Encoding.UTF8.GetBytes(json), ChatEndpoint.ChatCompletions);

        Assert.Equal(GuardErrorCode.BackendProtocolError, result.Error!.Code);
    }
}

using System.Net;
using System.Text.Json;
using static GuardGateway.Server.IntegrationTests.Proxy.ProxyJson;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>POST /v1/moderations (OpenAI's shape, mapped from Llama Guard codes) and GET /v1/models.</summary>
public sealed class ModerationsAndModelsTests
{
    private static readonly string[] TwoInputs = ["Hello there", "I will canary-violence you"];

    private static readonly string[] OpenAiCategories =
    [
        "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
        "self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence", "violence/graphic",
    ];

    [Fact]
    public async Task Moderations_TwoInputs_OpenAiShapeWithMappedCategories()
    {
        await using var gateway = await ProxyGateway.StartAsync();

        using var response = await gateway.PostAsync("/v1/moderations", new { input = TwoInputs, model = "omni-moderation-latest" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadAsync(response);
        Assert.StartsWith("modr-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        var results = body.GetProperty("results");
        Assert.Equal(2, results.GetArrayLength());
        foreach (var result in results.EnumerateArray())
        {
            Assert.Equal(OpenAiCategories, result.GetProperty("categories").EnumerateObject().Select(p => p.Name));
            Assert.Equal(OpenAiCategories, result.GetProperty("category_scores").EnumerateObject().Select(p => p.Name));
            Assert.All(result.GetProperty("category_scores").EnumerateObject(), p => Assert.Equal(JsonValueKind.Number, p.Value.ValueKind));
        }

        Assert.False(results[0].GetProperty("flagged").GetBoolean());
        Assert.True(results[1].GetProperty("flagged").GetBoolean());
        Assert.True(results[1].GetProperty("categories").GetProperty("violence").GetBoolean());
        Assert.True(results[1].GetProperty("categories").GetProperty("illicit/violent").GetBoolean());
        Assert.False(results[1].GetProperty("categories").GetProperty("sexual").GetBoolean());
        Assert.True(results[1].GetProperty("category_scores").GetProperty("violence").GetDouble() > 0.9);
        Assert.Equal("S1", results[1].GetProperty("guardgateway").GetProperty("categories")[0].GetString());
        Assert.Equal("block", results[1].GetProperty("guardgateway").GetProperty("decision").GetString());
        Assert.Equal(0, gateway.Upstream.RequestCount);
    }

    [Fact]
    public async Task Moderations_CodeWithoutOpenAiCounterpart_StillFlagged()
    {
        await using var gateway = await ProxyGateway.StartAsync();

        using var response = await gateway.PostAsync("/v1/moderations", new { input = "my canary-privacy details" });

        var result = (await ReadAsync(response)).GetProperty("results")[0];
        Assert.True(result.GetProperty("flagged").GetBoolean());
        Assert.All(result.GetProperty("categories").EnumerateObject(), p => Assert.False(p.Value.GetBoolean()));
        Assert.Equal("S7", result.GetProperty("guardgateway").GetProperty("categories")[0].GetString());
    }

    [Theory]
    [InlineData("""{"input": "\ud800 lone high surrogate"}""")]
    [InlineData("""{"input": ["ok", "\udc00"]}""")]
    public async Task Moderations_StringThatIsNotValidUnicode_Is400NotACrash(string json)
    {
        // Found by fuzzing the wire format (fuzz/README.md): JsonElement.GetString throws for such escapes.
        await using var gateway = await ProxyGateway.StartAsync();

        using var response = await gateway.PostRawAsync("/v1/moderations", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ReadAsync(response)).GetProperty("error");
        Assert.Contains("Unicode", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_RoutedNames_Listed()
    {
        await using var gateway = await ProxyGateway.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new("Bearer", Infrastructure.TestKeys.Client);

        using var response = await gateway.Host.Http.SendAsync(request);

        var body = await ReadAsync(response);
        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal([ProxyGateway.Model], body.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Equal("model", body.GetProperty("data")[0].GetProperty("object").GetString());
    }
}

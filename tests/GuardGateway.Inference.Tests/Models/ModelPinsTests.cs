using System.Security.Cryptography;
using System.Text;
using GuardGateway.Core.Results;
using GuardGateway.Inference.Models;
using GuardGateway.Inference.Options;
using GuardGateway.Inference.Tests.Engine;
using Microsoft.Extensions.Configuration;

namespace GuardGateway.Inference.Tests.Models;

public sealed class ModelPinsTests
{
    private static readonly string Digest = new('a', 64);

    [Fact]
    public void From_MapAndFileEqualsDigestList_MergedNormalizedAndLowercase()
    {
        var options = new GuardInferenceOptions { ModelDirectory = "/m", RequirePins = true };
        options.Sha256["model.onnx"] = Digest.ToUpperInvariant();
        options.Sha256Pins.Add(@"onnx\model_fp16.onnx_data=" + new string('b', 64));
        options.Sha256Pins.Add("model.onnx=" + Digest);

        var pins = ModelPins.From(options).GetValueOrThrow();

        Assert.True(pins.Required);
        Assert.Equal(Digest, pins.Digests["model.onnx"]);
        Assert.Equal(new string('b', 64), pins.Digests["onnx/model_fp16.onnx_data"]);
        Assert.Equal(2, pins.Digests.Count);
        Assert.Empty(GuardInferenceOptionsValidator.Check(options));
    }

    [Fact]
    public void Bind_ConfigurationMapAndEnvStyleList_BothReachThePins()
    {
        // What appsettings.json (map keyed by file name) and the Helm chart's env vars (indexed list) produce.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Guard:Inference:ModelDirectory"] = "/m",
            ["Guard:Inference:RequirePins"] = "true",
            ["Guard:Inference:Sha256:onnx/model_fp16.onnx_data"] = Digest,
            ["Guard:Inference:Sha256Pins:0"] = "tokenizer.json=" + new string('b', 64),
        }).Build();
        var options = new GuardInferenceOptions();

        configuration.GetSection(GuardInferenceOptions.SectionName).Bind(options);
        var pins = ModelPins.From(options).GetValueOrThrow();

        Assert.True(pins.Required);
        Assert.Equal(Digest, pins.Digests["onnx/model_fp16.onnx_data"]);
        Assert.Equal(new string('b', 64), pins.Digests["tokenizer.json"]);
    }

    [Theory]
    [InlineData("../model.onnx", "not a file name inside the model directory")]
    [InlineData("/etc/passwd", "not a file name inside the model directory")]
    [InlineData("onnx/../../x", "not a file name inside the model directory")]
    [InlineData("./model.onnx", "not a file name inside the model directory")]
    [InlineData("c:/model.onnx", "not a file name inside the model directory")]
    [InlineData(" ", "not a file name inside the model directory")]
    public void From_NameOutsideTheDirectory_InvalidRequest(string name, string expected)
    {
        var options = new GuardInferenceOptions { ModelDirectory = "/m" };
        options.Sha256[name] = Digest;

        AssertInvalid(options, expected);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("")]
    public void From_DigestNot64Hex_InvalidRequest(string digest)
    {
        var options = new GuardInferenceOptions { ModelDirectory = "/m" };
        options.Sha256["model.onnx"] = digest;

        AssertInvalid(options, "must be 64 hex characters");
    }

    [Theory]
    [InlineData("model.onnx")]
    [InlineData("=aaaa")]
    [InlineData("")]
    public void From_ListEntryWithoutFileEqualsDigest_InvalidRequest(string entry)
    {
        var options = new GuardInferenceOptions { ModelDirectory = "/m" };
        options.Sha256Pins.Add(entry);

        AssertInvalid(options, "must be 'relative/file=sha256hex'");
    }

    [Fact]
    public void From_SameFileTwoDigests_InvalidRequest()
    {
        var options = new GuardInferenceOptions { ModelDirectory = "/m" };
        options.Sha256["model.onnx"] = Digest;
        options.Sha256Pins.Add("model.onnx=" + new string('b', 64));

        AssertInvalid(options, "pinned twice with different digests");
    }

    [Fact]
    public void Validator_BadPin_FailsAtStartWithTheOtherErrors()
    {
        var options = new GuardInferenceOptions { ModelDirectory = "/m", MaxBatchSize = 0 };
        options.Sha256["model.onnx"] = "nope";

        var errors = GuardInferenceOptionsValidator.Check(options);

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("Sha256[model.onnx]", StringComparison.Ordinal));
    }

    [Fact]
    public void Compute_KnownVectorAndLargerThanOneChunk_MatchesOneShotSha256()
    {
        var dir = Directory.CreateTempSubdirectory("gg-sha-");
        try
        {
            var abc = Path.Combine(dir.FullName, "abc");
            File.WriteAllText(abc, "abc", Encoding.ASCII);
            var big = Path.Combine(dir.FullName, "big");
            var bytes = new byte[(3 << 20) + 17];
            new Random(7).NextBytes(bytes);
            File.WriteAllBytes(big, bytes);

            Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256File.Compute(abc, CancellationToken.None));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), Sha256File.Compute(big, CancellationToken.None));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void ListLocations_TinyLlamaWithExternalData_FindsTheDataFile()
    {
        var locations = OnnxExternalDataScanner.ListLocations(Path.Combine(TestModels.TinyLlama, "model.onnx"), CancellationToken.None);

        Assert.Equal(["model.onnx_data"], locations);
    }

    [Fact]
    public void ListLocations_NotAProtobuf_InvalidData()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, [0x3A, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]);
            Assert.Throws<InvalidDataException>(() => OnnxExternalDataScanner.ListLocations(file, CancellationToken.None));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void AssertInvalid(GuardInferenceOptions options, string expected)
    {
        var result = ModelPins.From(options);
        Assert.False(result.IsSuccess);
        Assert.Equal(GuardErrorCode.InvalidRequest, result.Error.Code);
        Assert.Contains(expected, result.Error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(GuardInferenceOptionsValidator.Check(options));
    }
}

using System.Text.Json;
using GuardGateway.Core.Results;

namespace GuardGateway.Inference.Models;

/// <summary>Reads the optional <see cref="GuardModelMarker.FileName"/>.</summary>
internal static class GuardModelMarkerReader
{
    public static Result<GuardModelMarker?> Read(string directory)
    {
        var path = Path.Combine(directory, GuardModelMarker.FileName);
        if (!File.Exists(path))
        {
            return Result.Success<GuardModelMarker?>(null);
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new GuardError(GuardErrorCode.ModelInvalid, $"{path} must be a JSON object");
            }

            var demo = root.TryGetProperty("demo", out var d) && d.ValueKind == JsonValueKind.True;
            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            var kind = root.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            List<string>? formats = null;
            if (root.TryGetProperty("formats", out var f) && f.ValueKind == JsonValueKind.Array)
            {
                formats = [.. f.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)];
            }

            return new GuardModelMarker(demo, name, kind, formats);
        }
        catch (JsonException ex)
        {
            return new GuardError(GuardErrorCode.ModelInvalid, $"{path} is not valid JSON: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new GuardError(GuardErrorCode.ModelInvalid, $"cannot read {path}: {ex.Message}");
        }
    }
}

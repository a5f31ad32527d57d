using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using GuardGateway.Inference.Options;
using GuardGateway.Server.Options;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.IntegrationTests.Helm;

/// <summary>
/// Whether environment variables name real server configuration, judged by the real configuration binder: each key
/// goes to the options type of the longest section it lies in (every options class with a <c>SectionName</c> constant in
/// the server and inference assemblies), which is bound with <see cref="BinderOptions.ErrorOnUnknownConfiguration"/>, so
/// an unknown or misspelt property, or a value the property cannot take, is reported. <c>Kestrel</c> endpoints must be
/// ones appsettings.json declares; a key outside any section is refused (the host's own shutdownTimeoutSeconds is overridden by Shutdown:GraceSeconds).
/// </summary>
internal static partial class ConfigurationKeyCheck
{
    private static readonly Assembly[] OptionsAssemblies = [typeof(GuardOptions).Assembly, typeof(GuardInferenceOptions).Assembly];
    private static readonly string[] KestrelEndpointFields = ["Url", "Protocols"];

    /// <summary>Options types by configuration section (<c>Guard</c>, <c>Guard:Inference</c>, ...).</summary>
    public static IReadOnlyDictionary<string, Type> Sections { get; } = OptionsAssemblies
        .SelectMany(assembly => assembly.GetTypes())
        .Select(type => (type, field: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
        .Where(pair => pair.field is { IsLiteral: true } && pair.field.FieldType == typeof(string))
        .ToDictionary(pair => (string)pair.field!.GetRawConstantValue()!, pair => pair.type, StringComparer.OrdinalIgnoreCase);

    /// <summary>One line per problem; empty when every variable binds.</summary>
    public static List<string> Problems(IEnumerable<ChartEnvironmentVariable> variables, IConfiguration appSettings)
    {
        var problems = new List<string>();
        var bySection = new Dictionary<string, Dictionary<string, string?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var variable in variables)
        {
            var key = variable.Name.Replace("__", ":", StringComparison.Ordinal);
            if (!PortableName().IsMatch(variable.Name))
            {
                // The binder would take Sha256Pins__model.onnx as a list element; shells refuse the name.
                problems.Add($"{variable.Name}: not a portable environment variable name (letters, digits, '_')");
            }
            else if (key.StartsWith("Kestrel:", StringComparison.OrdinalIgnoreCase))
            {
                CheckKestrel(key, variable.Value, appSettings, problems);
            }
            else if (Sections.Keys.Where(s => key.StartsWith(s + ":", StringComparison.OrdinalIgnoreCase)).MaxBy(s => s.Length) is { } section)
            {
                (bySection.TryGetValue(section, out var keys) ? keys : bySection[section] = new(StringComparer.OrdinalIgnoreCase))[key] = variable.Value;
            }
            else
            {
                problems.Add($"{variable.Name}: in no options section ({string.Join(", ", Sections.Keys.Order(StringComparer.Ordinal))})");
            }
        }

        foreach (var (section, keys) in bySection)
        {
            CheckSection(section, keys, problems);
        }

        return problems;
    }

    private static void CheckSection(string section, Dictionary<string, string?> keys, List<string> problems)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(keys).Build();
        var options = Activator.CreateInstance(Sections[section])!;
        try
        {
            configuration.GetSection(section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception)
        {
            problems.Add($"{section} ({Sections[section].Name}) with {string.Join(", ", keys.Keys)}: {exception.Message}");
        }
    }

    private static void CheckKestrel(string key, string? value, IConfiguration appSettings, List<string> problems)
    {
        var parts = key.Split(':');
        if (parts.Length != 4 || !parts[1].Equals("Endpoints", StringComparison.OrdinalIgnoreCase) || !KestrelEndpointFields.Contains(parts[3], StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"{key}: not Kestrel:Endpoints:<name>:{string.Join('|', KestrelEndpointFields)}");
            return;
        }

        var declared = appSettings.GetSection($"Kestrel:Endpoints:{parts[2]}");
        if (!declared.Exists())
        {
            problems.Add($"{key}: appsettings.json declares no Kestrel endpoint '{parts[2]}' (it has {string.Join(", ", appSettings.GetSection("Kestrel:Endpoints").GetChildren().Select(c => c.Key))})");
        }
        else if (parts[3].Equals("Protocols", StringComparison.OrdinalIgnoreCase)
            && (!Enum.TryParse<HttpProtocols>(value, ignoreCase: true, out var protocols) || !string.Equals(protocols.ToString(), declared["Protocols"], StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add($"{key}: '{value}' is not the endpoint's protocol in appsettings.json ('{declared["Protocols"]}')");
        }
        else if (parts[3].Equals("Url", StringComparison.OrdinalIgnoreCase) && value is not null && !Uri.TryCreate(value, UriKind.Absolute, out _))
        {
            problems.Add($"{key}: '{value}' is not an absolute URL");
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PortableName();
}

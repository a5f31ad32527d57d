using GuardGateway.Core.Policies;
using GuardGateway.Policies.Tests.Infrastructure;

namespace GuardGateway.Policies.Tests.Store;

/// <summary>
/// The in-memory model of the policy store for <see cref="PolicyStoreAdminModelTests"/>: what is served (text
/// variant and version per id), what is on disk (variant per id), and the audit trail expected so far.
/// Versions are not predictable (hash and load time), so the model adopts the store's version when it says a
/// new one must appear, and checks that it is new; everything else is predicted.
/// </summary>
internal sealed class AdminModel
{
    /// <summary>The ids the operations touch ("strict" from the fixture is never touched).</summary>
    public static readonly string[] Ids = ["a", "b", "default"];

    /// <summary>Variants: 0 S1 blocks, 1 S1 flags, 2 binds api key team-x (at most one policy may), 3 invalid.</summary>
    public const int VariantCount = 4;

    public const int BindingVariant = 2;

    public const int BrokenVariant = 3;

    public Dictionary<string, (int Variant, string Version)> Served { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> Disk { get; } = new(StringComparer.Ordinal);

    public List<(PolicyChangeKind Change, string Id, string? Old, string? New, string Actor)> Audit { get; } = [];

    public HashSet<string> SeenVersions { get; } = new(StringComparer.Ordinal);

    public static string Text(string id, int variant) => variant switch
    {
        0 => PolicyTexts.Minimal(id),
        1 => PolicyTexts.Minimal(id, s1: "flag"),
        BindingVariant => PolicyTexts.Minimal(id, extra: "bindings:\n  api_keys: [team-x]\n"),
        _ => PolicyTexts.Minimal(id, s1: "sometimes"),
    };

    /// <summary>Whether text of <paramref name="variant"/> for <paramref name="id"/> is valid next to the other served policies.</summary>
    public bool IsValid(string id, int variant) =>
        variant != BrokenVariant
        && !(variant == BindingVariant && Served.Any(e => e.Key != id && e.Value.Variant == BindingVariant));

    /// <summary>Whether the files on disk form a valid set (what a reload needs).</summary>
    public bool DiskIsValid() =>
        Disk.ContainsKey("default")
        && !Disk.ContainsValue(BrokenVariant)
        && Disk.Values.Count(v => v == BindingVariant) <= 1;

    /// <summary>Adopts a version the store reported for a change: it must be one never seen before.</summary>
    public string Fresh(string version)
    {
        Assert.True(SeenVersions.Add(version), $"version {version} was reused");
        return version;
    }
}

using System.Reflection;
using System.Text;
using CsCheck;
using GuardGateway.Policies.Tests.Infrastructure;
using GuardGateway.TestUtilities;

namespace GuardGateway.Policies.Tests.Parsing;

public sealed class PolicyParserPropertyTests
{
    private static readonly HashSet<string> KnownCodes = [.. typeof(PolicyDiagnosticCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (string)f.GetValue(null)!)];

    private static readonly string[] Seeds =
    [
        PolicyTexts.Full,
        PolicyTexts.Minimal("m", extra: "bindings:\n  api_keys: [a]\nexclude: [S2]\n"),
        File.ReadAllText(RepositoryPaths.Combine("policies", "strict.yaml")),
        File.ReadAllText(RepositoryPaths.Combine("policies", "custom-example.yaml")),
    ];

    private static readonly Gen<char> YamlishChar = Gen.Char["\n :-[]{}&*!|>'\"#%@`S0123456789\t,?.ab~"];

    private static readonly Gen<(int Kind, int Position, int Other, char Char)> Mutation =
        Gen.Select(Gen.Int[0, 6], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], YamlishChar);

    private static readonly Gen<string> Mutated =
        Gen.Select(Gen.Int[0, Seeds.Length - 1], Mutation.Array[1, 12], (seed, mutations) => Apply(Seeds[seed], mutations));

    [Fact]
    public void Parse_RandomMutationsOfValidPolicies_NeverThrowAndYieldPolicyXorErrors()
    {
        Mutated.Sample(CheckInvariants, iter: 3000);
    }

    [Fact]
    public void Parse_ArbitraryText_NeverThrowsAndYieldsPolicyXorErrors()
    {
        Gen.OneOf(Gen.String, Gen.String[YamlishChar, 0, 200]).Sample(CheckInvariants, iter: 2000);
    }

    private static void CheckInvariants(string text)
    {
        var parsed = PolicyParserTests.Parse(text);

        Assert.Equal(parsed.Policy is null, parsed.HasErrors);
        Assert.All(parsed.Diagnostics, d =>
        {
            Assert.Contains(d.Code, KnownCodes);
            Assert.True(d.Line >= 0 && d.Column >= 0);
            Assert.Equal("t.yaml", d.File);
            Assert.False(string.IsNullOrWhiteSpace(d.Message));
        });
        if (parsed.Policy is { } policy)
        {
            Assert.NotEmpty(policy.Categories);
            Assert.Contains(policy.Categories, c => !policy.Exclude.Contains(c.Code));
            Assert.InRange(policy.Threshold, 0f, 1f);
            Assert.All(policy.Categories, c =>
            {
                Assert.Matches("^S[1-9][0-9]{0,2}$", c.Code);
                Assert.False(string.IsNullOrWhiteSpace(c.Prompt));
                Assert.DoesNotContain('\n', c.Prompt);
                Assert.InRange(c.Input.Threshold ?? 0f, 0f, 1f);
                Assert.InRange(c.Output.Threshold ?? 0f, 0f, 1f);
            });
            Assert.Equal(policy.Categories.Count, policy.Categories.Select(c => c.Code).Distinct().Count());
        }
    }

    private static string Apply(string seed, (int Kind, int Position, int Other, char Char)[] mutations)
    {
        var text = new StringBuilder(seed);
        foreach (var (kind, position, other, c) in mutations)
        {
            var lines = text.ToString().Split('\n').ToList();
            var at = text.Length == 0 ? 0 : position % text.Length;
            var line = position % lines.Count;
            switch (kind)
            {
                case 0:
                    text.Insert(at, c);
                    break;
                case 1 when text.Length > 0:
                    text.Remove(at, 1);
                    break;
                case 2 when text.Length > 0:
                    text[at] = c;
                    break;
                case 3:
                    lines.Insert(line, lines[line]);
                    text = new StringBuilder(string.Join('\n', lines));
                    break;
                case 4:
                    lines.RemoveAt(line);
                    text = new StringBuilder(string.Join('\n', lines));
                    break;
                case 5:
                    (lines[line], lines[other % lines.Count]) = (lines[other % lines.Count], lines[line]);
                    text = new StringBuilder(string.Join('\n', lines));
                    break;
                case 6:
                    text.Insert(at, "  ");
                    break;
            }
        }

        return text.ToString();
    }
}

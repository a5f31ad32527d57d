using System.CommandLine;

namespace GuardGateway.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static Option<string> Tokenizer(bool required = true) => new("--tokenizer")
    {
        Description = "Tokenizer file: HF tokenizer.json or Meta's tiktoken tokenizer.model",
        Required = required,
    };

    public static Option<string> Case() => new("--case")
    {
        Description = "Case file (JSON): format, messages, optional categories and excluded_category_keys",
        Required = true,
    };
}

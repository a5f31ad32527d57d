namespace GuardGateway.Cli.Commands;

/// <summary>Exit codes and the one-line error convention of guardctl.</summary>
internal static class CliErrors
{
    /// <summary>Exit code for invalid input (bad case file, invalid conversation).</summary>
    public const int InvalidInput = 2;

    /// <summary>Exit code for an environment problem (missing file, unusable model or tokenizer).</summary>
    public const int Environment = 3;

    /// <summary>Writes <c>guardctl: message</c> as one line on stderr and returns the exit code.</summary>
    public static int Fail(int exitCode, string message)
    {
        Console.Error.WriteLine("guardctl: " + message.ReplaceLineEndings(" "));
        return exitCode;
    }
}

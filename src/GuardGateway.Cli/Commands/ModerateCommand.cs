using System.CommandLine;
using GuardGateway.Contracts.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace GuardGateway.Cli.Commands;

/// <summary>
/// <c>guardctl moderate --server URL --text S [--role user|assistant] [--policy ID] [--api-key K]</c>: one
/// Moderate call against a running server; prints the response as JSON (proto3 JSON field names).
/// </summary>
internal static class ModerateCommand
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static Command Create()
    {
        var server = new Option<string>("--server")
        {
            Description = "gRPC endpoint of the server, e.g. http://127.0.0.1:50051",
            DefaultValueFactory = _ => "http://127.0.0.1:50051",
        };
        var text = new Option<string>("--text") { Description = "The message to moderate", Required = true };
        var role = new Option<string>("--role")
        {
            Description = "Role of the message: user (input moderation) or assistant (output moderation)",
            DefaultValueFactory = _ => "user",
        };
        role.AcceptOnlyFromAmong("user", "assistant");
        var policy = new Option<string?>("--policy") { Description = "Policy id (default: the key's binding, else the server default)" };
        var apiKey = new Option<string?>("--api-key")
        {
            Description = "Client key, sent as 'authorization: Bearer <key>' (default: $GUARDGATEWAY_API_KEY)",
        };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Deadline in seconds",
            DefaultValueFactory = _ => 30,
        };

        var command = new Command("moderate", "Moderate one message through a running GuardGateway server; prints the decision as JSON")
        {
            server, text, role, policy, apiKey, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!Uri.TryCreate(parse.GetValue(server), UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            {
                return CliErrors.Fail(CliErrors.InvalidInput, "--server must be an http:// or https:// URL.");
            }

            var request = BuildRequest(parse.GetValue(text)!, parse.GetValue(role)!, parse.GetValue(policy));
            var key = parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("GUARDGATEWAY_API_KEY");
            var headers = new Metadata();
            if (!string.IsNullOrEmpty(key))
            {
                headers.Add("authorization", "Bearer " + key);
            }

            using var channel = GrpcChannel.ForAddress(address);
            var client = new Moderation.ModerationClient(channel);
            try
            {
                var deadline = DateTime.UtcNow.AddSeconds(parse.GetValue(timeout));
                var response = await client.ModerateAsync(request, headers, deadline, cancellationToken);
                Console.Out.WriteLine(Json.Format(response));
                return 0;
            }
            catch (RpcException exception)
            {
                var exitCode = exception.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound
                    ? CliErrors.InvalidInput
                    : CliErrors.Environment;
                return CliErrors.Fail(exitCode, $"{exception.StatusCode}: {exception.Status.Detail}");
            }
        });
        return command;
    }

    private static ModerateRequest BuildRequest(string text, string role, string? policy)
    {
        var request = new ModerateRequest { Policy = policy ?? string.Empty };
        if (role == "assistant")
        {
            // Output moderation needs the user turn it answers; a lone answer is judged without context.
            request.Messages.Add(new Message { Role = "user", Content = string.Empty });
        }

        request.Messages.Add(new Message { Role = role, Content = text });
        return request;
    }
}

using System.Text;
using GuardGateway.Contracts.V1;
using GuardGateway.Server.Errors;
using Google.Rpc;
using Grpc.Core;

namespace GuardGateway.Server.Services;

/// <summary>The batch item form of a status exception.</summary>
internal static class BatchErrors
{
    public static BatchItemError From(RpcException exception) => new()
    {
        Code = ScreamingSnake(exception.StatusCode.ToString()),
        Reason = exception.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason ?? ErrorReasons.Internal,
        Message = exception.Status.Detail,
    };

    // StatusCode names are PascalCase (InvalidArgument); gRPC documents them as INVALID_ARGUMENT.
    private static string ScreamingSnake(string name)
    {
        var text = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                text.Append('_');
            }

            text.Append(char.ToUpperInvariant(name[i]));
        }

        return text.ToString();
    }
}

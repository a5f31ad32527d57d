using GuardGateway.Server.Logging;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Server.Errors;

/// <summary>
/// Turns a bug (an unexpected exception) into a bare <c>INTERNAL</c> status: the exception is logged on the
/// server with its type, and no exception text or payload reaches the caller.
/// </summary>
internal sealed class UnexpectedErrorInterceptor(ILogger<UnexpectedErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The caller went away or its deadline passed: nobody to decide for.
            throw context.Deadline <= DateTime.UtcNow
                ? GrpcErrors.Create(StatusCode.DeadlineExceeded, ErrorReasons.Cancelled, "The call's deadline passed before the guard answered.")
                : GrpcErrors.Create(StatusCode.Cancelled, ErrorReasons.Cancelled, "The call was cancelled.");
        }
        catch (Exception exception)
        {
            ServerLog.UnexpectedError(logger, context.Method, exception.GetType().FullName ?? "unknown", exception.StackTrace ?? string.Empty);
            throw GrpcErrors.Create(StatusCode.Internal, ErrorReasons.Internal, "Internal error.");
        }
    }
}

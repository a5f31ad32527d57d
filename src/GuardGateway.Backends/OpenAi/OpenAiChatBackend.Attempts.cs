using System.Globalization;
using System.Net;
using GuardGateway.Backends.Logging;
using GuardGateway.Backends.Resilience;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Results;

namespace GuardGateway.Backends.OpenAi;

/// <summary>One attempt of a call, and how each failure is classified (retryable only before the first response byte).</summary>
internal sealed partial class OpenAiChatBackend
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    private async ValueTask<AttemptOutcome<ChatCompletion>> AttemptUnaryAsync(Call call, CancellationToken cancellationToken)
    {
        using var message = CreateHttpRequest(call, stream: false);
        var sent = await SendAsync(message, cancellationToken);
        if (sent.Failure is not null)
        {
            return AttemptOutcome<ChatCompletion>.Failed(sent.Failure);
        }

        using var response = sent.Response!;
        if (await CheckStatusAsync(response, cancellationToken) is { } statusFailure)
        {
            return AttemptOutcome<ChatCompletion>.Failed(statusFailure);
        }

        // From here on a response byte has arrived: nothing below is retryable.
        var body = await ReadBodyAsync(response.Content, _options.MaxResponseBytes, cancellationToken);
        if (body.Failure is not null)
        {
            return AttemptOutcome<ChatCompletion>.Failed(body.Failure);
        }

        var parsed = OpenAiWireFormat.ReadCompletion(body.Bytes, call.Request.Endpoint);
        return parsed.IsSuccess
            ? AttemptOutcome<ChatCompletion>.Success(parsed.Value)
            : AttemptOutcome<ChatCompletion>.Failed(new AttemptFailure(Prefix(parsed.Error), Retryable: false, CountsAgainstBreaker: true));
    }

    private async ValueTask<AttemptOutcome<HttpResponseMessage>> AttemptOpenStreamAsync(Call call, CancellationToken cancellationToken)
    {
        using var message = CreateHttpRequest(call, stream: true);
        var sent = await SendAsync(message, cancellationToken);
        if (sent.Failure is not null)
        {
            return AttemptOutcome<HttpResponseMessage>.Failed(sent.Failure);
        }

        var response = sent.Response!;
        var keep = false;
        try
        {
            if (await CheckStatusAsync(response, cancellationToken) is { } statusFailure)
            {
                return AttemptOutcome<HttpResponseMessage>.Failed(statusFailure);
            }

            if (response.Content.Headers.ContentType?.MediaType is not "text/event-stream")
            {
                return AttemptOutcome<HttpResponseMessage>.Failed(new AttemptFailure(
                    Error(GuardErrorCode.BackendProtocolError, "answered a stream request without text/event-stream"), Retryable: false, CountsAgainstBreaker: true));
            }

            keep = true;
            return AttemptOutcome<HttpResponseMessage>.Success(response);
        }
        finally
        {
            if (!keep)
            {
                response.Dispose();
            }
        }
    }

    private async ValueTask<(HttpResponseMessage? Response, AttemptFailure? Failure)> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return (await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken), null);
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Only failures to connect are sure to have left the request unsent; anything later (the server closed
            // after reading the request) may have started generation, so it is not retried.
            var unsent = e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;
            return (null, new AttemptFailure(
                Error(GuardErrorCode.BackendUnavailable, unsent ? "could not be reached" : "closed the connection before answering"),
                Retryable: unsent,
                CountsAgainstBreaker: true));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The handler's ConnectTimeout (the caller's and the pipeline's tokens are still live): nothing was sent.
            return (null, new AttemptFailure(Error(GuardErrorCode.BackendUnavailable, "could not be reached in time"), Retryable: true, CountsAgainstBreaker: true));
        }
    }

    /// <summary>Null for 2xx; otherwise the failure, after reading at most a small error body.</summary>
    private async ValueTask<AttemptFailure?> CheckStatusAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return null;
        }

        BackendLog.UnsuccessfulStatus(_logger, Name, status);
        var kind = await ReadErrorKindAsync(response, cancellationToken);
        var detail = string.Create(CultureInfo.InvariantCulture, $"answered HTTP {status}{(kind is null ? "" : " (" + kind + ")")}");
        return response.StatusCode switch
        {
            // The standard "try again" answers: the server did not process the request.
            HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable =>
                new AttemptFailure(Error(GuardErrorCode.BackendUnavailable, detail), Retryable: true, CountsAgainstBreaker: true),
            HttpStatusCode.GatewayTimeout =>
                new AttemptFailure(Error(GuardErrorCode.BackendTimeout, detail), Retryable: true, CountsAgainstBreaker: true),
            HttpStatusCode.TooManyRequests =>
                new AttemptFailure(Error(GuardErrorCode.BackendOverloaded, detail), Retryable: false, CountsAgainstBreaker: false),
            HttpStatusCode.RequestTimeout =>
                new AttemptFailure(Error(GuardErrorCode.BackendTimeout, detail), Retryable: false, CountsAgainstBreaker: true),
            _ when status >= 500 =>
                new AttemptFailure(Error(GuardErrorCode.BackendUnavailable, detail), Retryable: false, CountsAgainstBreaker: true),
            _ when status >= 400 =>
                new AttemptFailure(Error(GuardErrorCode.BackendRejected, detail), Retryable: false, CountsAgainstBreaker: false),
            _ => new AttemptFailure(Error(GuardErrorCode.BackendProtocolError, detail), Retryable: false, CountsAgainstBreaker: true),
        };
    }

    /// <summary>The <c>type</c>/<c>code</c> of an OpenAI-style error body, when it is a short identifier; never the message.</summary>
    private static async ValueTask<string?> ReadErrorKindAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await ReadBodyAsync(response.Content, MaxErrorBodyBytes, cancellationToken);
            if (body.Failure is not null || body.Bytes.IsEmpty)
            {
                return null;
            }

            using var document = System.Text.Json.JsonDocument.Parse(body.Bytes);
            if (document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error))
            {
                return OpenAiWireFormat.ErrorKind(error);
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: the status alone says enough.
        }

        return null;
    }

    /// <summary>Reads a body of at most <paramref name="limit"/> bytes; more is a protocol error and is never buffered.</summary>
    private static async ValueTask<(ReadOnlyMemory<byte> Bytes, AttemptFailure? Failure)> ReadBodyAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is long declared && declared > limit)
        {
            return (default, new AttemptFailure(new GuardError(GuardErrorCode.BackendProtocolError, "The backend response exceeds the size limit."), false, true));
        }

        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[(int)Math.Min(content.Headers.ContentLength ?? 16 * 1024, limit) + 1];
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > limit)
                    {
                        return (default, new AttemptFailure(new GuardError(GuardErrorCode.BackendProtocolError, "The backend response exceeds the size limit."), false, true));
                    }

                    Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, limit + 1L));
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    return (buffer.AsMemory(0, length), null);
                }

                length += read;
                if (length > limit)
                {
                    return (default, new AttemptFailure(new GuardError(GuardErrorCode.BackendProtocolError, "The backend response exceeds the size limit."), false, true));
                }
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            return (default, new AttemptFailure(new GuardError(GuardErrorCode.BackendUnavailable, "The backend connection broke while answering."), false, true));
        }
    }

    private GuardError Error(GuardErrorCode code, string what) => new(code, $"Backend '{Name}' {what}.");

    private GuardError Prefix(GuardError error) => error with { Message = $"Backend '{Name}': {error.Message}" };
}

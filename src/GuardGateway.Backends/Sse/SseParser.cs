using System.Buffers;
using System.Globalization;
using System.Text;

namespace GuardGateway.Backends.Sse;

/// <summary>
/// An incremental server-sent-events parser (WHATWG HTML "event stream interpretation"): feed it bytes in chunks
/// split anywhere. Lines end with CRLF, LF or CR (a CR at the end of one chunk and an LF at the start of the next are
/// one line end); lines starting with <c>:</c> are comments; a field without a colon has an empty value; one space
/// after the colon is dropped; <c>data</c> lines accumulate with <c>\n</c>; an empty line dispatches; a leading BOM is
/// skipped. Work is on bytes: CR and LF never occur inside a UTF-8 multi-byte sequence, so a split inside a code point
/// is harmless and the data stays raw until the JSON reader validates it. Partial lines and data live in pooled
/// buffers bounded by the line and event limits; exceeding one is a protocol error (the stream cannot be trusted).
/// </summary>
internal sealed class SseParser : IDisposable
{
    private const int InitialBufferSize = 4096;
    private readonly int _maxLineBytes;
    private readonly int _maxEventBytes;
    private byte[] _line;
    private int _lineLength;
    private byte[] _data;
    private int _dataLength;
    private string? _eventType;
    private string? _lastEventId;
    private bool _afterCr;
    private bool _firstLine = true;
    private string? _error;

    public SseParser(int maxLineBytes, int maxEventBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventBytes, maxLineBytes);
        _maxLineBytes = maxLineBytes;
        _maxEventBytes = maxEventBytes;
        _line = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        _data = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    /// <summary>Whether bytes of an unfinished line or undispatched event are pending (a stream ending now was cut off).</summary>
    public bool HasPendingInput => _lineLength > 0 || _dataLength > 0 || _eventType is not null;

    /// <summary>Parses the next bytes, adding every event completed by them to <paramref name="events"/>.</summary>
    /// <returns>Null, or why the stream is malformed (then the parser stays failed).</returns>
    public string? Feed(ReadOnlySpan<byte> chunk, List<SseEvent> events)
    {
        if (_error is not null)
        {
            return _error;
        }

        var i = 0;
        if (_afterCr && chunk.Length > 0)
        {
            _afterCr = false;
            if (chunk[0] == (byte)'\n')
            {
                i = 1;
            }
        }

        while (i < chunk.Length)
        {
            var rest = chunk[i..];
            var end = rest.IndexOfAny((byte)'\r', (byte)'\n');
            if (end < 0)
            {
                return Append(ref _line, ref _lineLength, rest, _maxLineBytes) ? null : Fail(LineTooLong());
            }

            ReadOnlySpan<byte> line;
            if (_lineLength > 0)
            {
                if (!Append(ref _line, ref _lineLength, rest[..end], _maxLineBytes))
                {
                    return Fail(LineTooLong());
                }

                line = _line.AsSpan(0, _lineLength);
            }
            else
            {
                if (end > _maxLineBytes)
                {
                    return Fail(LineTooLong());
                }

                line = rest[..end];
            }

            var error = ProcessLine(line, events);
            _lineLength = 0;
            if (error is not null)
            {
                return Fail(error);
            }

            i += end + 1;
            if (rest[end] == (byte)'\r')
            {
                if (i < chunk.Length)
                {
                    if (chunk[i] == (byte)'\n')
                    {
                        i++;
                    }
                }
                else
                {
                    _afterCr = true;
                }
            }
        }

        return null;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_line);
        ArrayPool<byte>.Shared.Return(_data);
        _line = [];
        _data = [];
    }

    private string? ProcessLine(ReadOnlySpan<byte> line, List<SseEvent> events)
    {
        if (_firstLine)
        {
            _firstLine = false;
            if (line.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                line = line[3..];
            }
        }

        if (line.IsEmpty)
        {
            Dispatch(events);
            return null;
        }

        if (line[0] == (byte)':')
        {
            return null;
        }

        var colon = line.IndexOf((byte)':');
        var field = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? [] : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        if (field.SequenceEqual("data"u8))
        {
            if (!Append(ref _data, ref _dataLength, value, _maxEventBytes - 1))
            {
                return string.Create(CultureInfo.InvariantCulture, $"An SSE event exceeds {_maxEventBytes} bytes.");
            }

            _data[_dataLength++] = (byte)'\n';
        }
        else if (field.SequenceEqual("event"u8))
        {
            _eventType = Encoding.UTF8.GetString(value);
        }
        else if (field.SequenceEqual("id"u8))
        {
            if (!value.Contains((byte)0))
            {
                _lastEventId = Encoding.UTF8.GetString(value);
            }
        }

        // "retry" and unknown fields are ignored, as the standard says.
        return null;
    }

    private void Dispatch(List<SseEvent> events)
    {
        if (_dataLength > 0)
        {
            // Drop the trailing '\n' added after the last data line.
            events.Add(new SseEvent(_eventType, _data.AsSpan(0, _dataLength - 1).ToArray(), _lastEventId));
        }

        _dataLength = 0;
        _eventType = null;
    }

    /// <summary>Appends to a pooled buffer, growing it up to <paramref name="limit"/> bytes of content (one spare byte kept).</summary>
    private static bool Append(ref byte[] buffer, ref int length, ReadOnlySpan<byte> bytes, int limit)
    {
        var needed = length + bytes.Length;
        if (needed > limit)
        {
            return false;
        }

        if (needed + 1 > buffer.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed + 1, Math.Min(buffer.Length * 2, limit + 1)));
            buffer.AsSpan(0, length).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = grown;
        }

        bytes.CopyTo(buffer.AsSpan(length));
        length = needed;
        return true;
    }

    private string LineTooLong() => string.Create(CultureInfo.InvariantCulture, $"An SSE line exceeds {_maxLineBytes} bytes.");

    private string Fail(string error)
    {
        _error = error;
        return error;
    }
}

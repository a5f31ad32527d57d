namespace GuardGateway.Fuzzing.Targets.Running;

/// <summary>
/// The built-in input generator: seeded, coverage-blind, libFuzzer-like mutations (bit flips, interesting bytes,
/// inserts, deletes, duplications, dictionary tokens, repeated tokens for nesting, crossover, a new selector
/// byte) stacked 1–5 deep on a corpus entry or on one of the last mutants. Deterministic for a seed.
/// </summary>
public sealed class Mutator
{
    private static readonly byte[] Interesting = [0, 1, 0x7F, 0x80, 0xFF, 0xFE, 0xC0, 0xED, 0xF4, (byte)'\n', (byte)'\r', (byte)'"', (byte)'\\', (byte)':', (byte)' ', (byte)'0'];
    private readonly Random _random;
    private readonly IReadOnlyList<byte[]> _corpus;
    private readonly IReadOnlyList<byte[]> _dictionary;
    private readonly int _maxLength;
    private readonly byte[][] _recent = new byte[64][];
    private int _recentCount;

    /// <summary>Creates a mutator.</summary>
    /// <param name="seed">The random seed.</param>
    /// <param name="corpus">Seed inputs (may be empty).</param>
    /// <param name="dictionary">Tokens to splice in.</param>
    /// <param name="maxLength">Longest input produced.</param>
    public Mutator(int seed, IReadOnlyList<byte[]> corpus, IReadOnlyList<byte[]> dictionary, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(dictionary);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 16);
#pragma warning disable CA5394 // Fuzzing wants a seeded, reproducible generator, not a secure one.
        _random = new Random(seed);
#pragma warning restore CA5394
        _corpus = corpus;
        _dictionary = dictionary;
        _maxLength = maxLength;
    }

    /// <summary>The next input.</summary>
    public byte[] Next()
    {
        var data = new List<byte>(PickBase());
        var rounds = 1 + _random.Next(5);
        for (var i = 0; i < rounds; i++)
        {
            Mutate(data);
        }

        if (data.Count > _maxLength)
        {
            data.RemoveRange(_maxLength, data.Count - _maxLength);
        }

        var result = data.ToArray();
        _recent[_recentCount++ % _recent.Length] = result;
        return result;
    }

    private byte[] PickBase()
    {
        var roll = _random.Next(100);
        if (roll < 30 && _recentCount > 0)
        {
            return _recent[_random.Next(Math.Min(_recentCount, _recent.Length))];
        }

        if (roll < 95 && _corpus.Count > 0)
        {
            return _corpus[_random.Next(_corpus.Count)];
        }

        var bytes = new byte[_random.Next(64)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private void Mutate(List<byte> data)
    {
        var position = data.Count == 0 ? 0 : _random.Next(data.Count + 1);
        switch (_random.Next(12))
        {
            case 0 when data.Count > 0:
                var at = Math.Min(position, data.Count - 1);
                data[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when data.Count > 0:
                data[Math.Min(position, data.Count - 1)] = (byte)_random.Next(256);
                break;
            case 2 when data.Count > 0:
                data[Math.Min(position, data.Count - 1)] = Interesting[_random.Next(Interesting.Length)];
                break;
            case 3:
                var inserted = new byte[1 + _random.Next(8)];
                _random.NextBytes(inserted);
                data.InsertRange(position, inserted);
                break;
            case 4 when data.Count > 1:
                var start = _random.Next(data.Count);
                data.RemoveRange(start, 1 + _random.Next(Math.Min(data.Count - start, 32)));
                break;
            case 5 when data.Count > 1:
                var from = _random.Next(data.Count);
                var length = 1 + _random.Next(Math.Min(data.Count - from, 64));
                data.InsertRange(position, data.GetRange(from, length));
                break;
            case 6 or 7 when _dictionary.Count > 0:
                data.InsertRange(position, _dictionary[_random.Next(_dictionary.Count)]);
                break;
            case 8 when _dictionary.Count > 0 && data.Count > 0:
                var token = _dictionary[_random.Next(_dictionary.Count)];
                var overwrite = Math.Min(position, data.Count - 1);
                data.RemoveRange(overwrite, Math.Min(token.Length, data.Count - overwrite));
                data.InsertRange(overwrite, token);
                break;
            case 9 when _dictionary.Count > 0:
                // Many copies of one token: deep nesting, long lines, long runs of one character class.
                var repeated = _dictionary[_random.Next(_dictionary.Count)];
                var copies = 1 + _random.Next(200);
                for (var i = 0; i < copies && data.Count < _maxLength; i++)
                {
                    data.InsertRange(position, repeated);
                }

                break;
            case 10 when _corpus.Count > 0:
                var other = _corpus[_random.Next(_corpus.Count)];
                if (other.Length > 0)
                {
                    var otherStart = _random.Next(other.Length);
                    data.InsertRange(position, other.AsSpan(otherStart, 1 + _random.Next(other.Length - otherStart)).ToArray());
                }

                break;
            case 11 when data.Count > 0:
                data[0] = (byte)_random.Next(256);
                break;
            default:
                data.Insert(position, (byte)_random.Next(256));
                break;
        }
    }
}

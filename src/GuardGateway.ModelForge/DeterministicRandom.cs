namespace GuardGateway.ModelForge;

/// <summary>
/// SplitMix64: a tiny, fully specified generator, so a seed gives the same weights on every .NET version and
/// platform (<see cref="Random"/> makes no such promise across versions).
/// </summary>
internal sealed class DeterministicRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [-1, 1).</summary>
    public float NextSigned() => (float)(((NextUInt64() >> 40) / (double)(1UL << 24) * 2.0) - 1.0);

    /// <summary>Values uniform in [-bound, bound) with standard deviation <paramref name="std"/>.</summary>
    public float[] Uniform(long count, double std)
    {
        var bound = (float)(std * Math.Sqrt(3.0));
        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            values[i] = NextSigned() * bound;
        }

        return values;
    }

    /// <summary>Values uniform around <paramref name="center"/> (norm weights near one, not exactly one).</summary>
    public float[] Around(long count, float center, float spread)
    {
        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            values[i] = center + (NextSigned() * spread);
        }

        return values;
    }
}

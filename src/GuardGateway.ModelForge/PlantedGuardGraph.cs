using GuardGateway.ModelForge.Onnx;
using DataType = GuardGateway.ModelForge.Onnx.TensorProto.Types.DataType;
using T = GuardGateway.ModelForge.PlantedGuardTokens;

namespace GuardGateway.ModelForge;

/// <summary>
/// The planted guard (spec PLANTED_GUARD.md): a graph with the Llama Guard 3 export contract whose greedy output
/// is fixed by rule, so everything above the engine can be tested through real ONNX Runtime sessions.
/// <para>
/// State lives in the KV cache: every <c>present</c> is <c>past ‖ f(new tokens)</c>, where <c>f</c> gathers 32
/// features per token (zero at padding): hazard one-hot (cols 0–13), role marker <c>User</c>/<c>Agent</c>
/// (14), number one-hot for codes 1–14 (15–28), <c>S</c>/<c>,S</c> (29), <c>:</c> (30). Layer 0's key is read back
/// (masked by <c>attention_mask</c>, so padding anywhere is ignored).
/// </para>
/// <para>
/// The current segment of a query position is every earlier real position with the same running count of role
/// markers: the last message, plus the closing instructions and the answer (the template writes <c>User</c>
/// and <c>Agent</c> after the conversation only with a leading space, another token). So only triggers in the
/// assessed (last) message count; triggers in earlier messages do not. A code counts only when the prompt
/// lists it (<c>S&lt;n&gt;:</c> anywhere before), as a real guard ignores categories it was not given; a code
/// already emitted (<c>S&lt;n&gt;</c> / <c>,S&lt;n&gt;</c> in the segment) is not repeated.
/// </para>
/// <para>
/// Next token by the current token: <c>\n\n</c> → <c>unsafe</c> if a listed hazard is present else <c>safe</c>;
/// <c>safe</c> → <c>&lt;|eot_id|&gt;</c>; <c>unsafe</c> → <c>\n</c>; <c>\n</c> → <c>S</c>; <c>S</c>/<c>,S</c> → the
/// number of the smallest remaining code (1 when none remain, e.g. forced decoding of a clean prompt); a number →
/// <c>,S</c> while codes remain, else <c>&lt;|eot_id|&gt;</c>; anything else → <c>&lt;|eot_id|&gt;</c>. Logits are
/// +10 for that token and −10 elsewhere.
/// </para>
/// </summary>
internal sealed class PlantedGuardGraph
{
    private const int Codes = 14;
    private const int HazardColumn = 0;
    private const int MarkerColumn = 14;
    private const int NumberColumn = 15;
    private const int SColumn = 29;
    private const int ColonColumn = 30;

    // Class 0 (the table's default) is every other token: its next token is <|eot_id|>.
    private const long ClassDoubleNewline = 1;
    private const long ClassSafe = 2;
    private const long ClassUnsafe = 3;
    private const long ClassNewline = 4;
    private const long ClassS = 5;
    private const long ClassNumber = 6;

    private readonly PlantedGuardOptions _options;
    private readonly OnnxGraphBuilder _b = new("planted_guard");
    private readonly DataType _floatType;

    private PlantedGuardGraph(PlantedGuardOptions options)
    {
        _options = options;
        _floatType = LlamaIoContract.FloatType(options.DType);
    }

    public static (ModelProto Model, OnnxGraphBuilder Builder) Build(PlantedGuardOptions options)
    {
        var graph = new PlantedGuardGraph(options);
        var model = graph.BuildModel();
        return (model, graph._b);
    }

    private ModelProto BuildModel()
    {
        var o = _options;
        LlamaIoContract.Declare(_b, o.Layers, o.KvHeads, o.HeadDim, o.DType, o.IncludePositionIds);

        var newFeatures = NewTokenFeatures();
        for (var layer = 0; layer < o.Layers; layer++)
        {
            _b.Concat(2, LlamaIoContract.PresentKey(layer), LlamaIoContract.PastKey(layer), newFeatures);
            _b.Concat(2, LlamaIoContract.PresentValue(layer), LlamaIoContract.PastValue(layer), newFeatures);
        }

        var features = AllFeatures(LlamaIoContract.PresentKey(0));
        var (segment, visible) = Masks(features);

        var hazards = _b.MatMul(segment, Columns(features, HazardColumn, Codes));
        var emitted = _b.MatMul(segment, _b.Mul(Columns(features, NumberColumn, Codes), ShiftedBack(Columns(features, SColumn, 1))));

        // A listed category "S<n>:" is counted at its colon, so a query sees it only once the colon is real and
        // earlier: split and incremental prefill then agree with a full one.
        var listedAtColon = _b.Mul(
            _b.Mul(ShiftedBack(Columns(features, NumberColumn, Codes)), ShiftedBack(ShiftedBack(Columns(features, SColumn, 1)))),
            Columns(features, ColonColumn, 1));
        var listed = _b.MatMul(visible, listedAtColon);

        var zero = _b.FloatScalar(0, DataType.Float);
        var flagged = _b.And(_b.Greater(hazards, zero), _b.Greater(listed, zero));
        var remaining = _b.Cast(_b.And(flagged, _b.Not(_b.Greater(emitted, zero))), DataType.Float);
        var anyFlagged = _b.Greater(_b.ReduceMax(_b.Cast(flagged, DataType.Float), -1, keepDims: false), zero);
        var anyRemaining = _b.Greater(_b.ReduceMax(remaining, -1, keepDims: false), zero);
        var numberTable = _b.Weight("planted.number_tokens", DataType.Int64, [Codes], TensorBytes.Of(PlantedGuardTokens.Numbers.Select(n => (long)n).ToArray()));
        var nextNumber = _b.Gather(numberTable, _b.ArgMax(remaining, -1, keepDims: false));

        var target = NextToken(anyFlagged, anyRemaining, nextNumber);
        if (_options.SlowdownMatMuls > 0)
        {
            target = _b.Add(target, SlowdownZero());
        }

        _b.OneHot(target, _b.Int64Scalar(Forge.VocabularySize), _b.Floats(_floatType, -10f, 10f), -1, LlamaIoContract.Logits);
        return _b.ToModel(Forge.FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "GuardGateway planted guard: deterministic Llama Guard 3 stand-in for tests (not a safety model).");
    }

    /// <summary>f(new tokens) in KV layout [batch, kv_heads, seq, head_dim], zero at padding.</summary>
    private string NewTokenFeatures()
    {
        var o = _options;
        var table = _b.Weight("planted.token_features", DataType.Float, [Forge.VocabularySize, PlantedGuardOptions.FeatureWidth], TensorBytes.Of(FeatureTable()));
        var gathered = _b.Gather(table, LlamaIoContract.InputIds);
        var sequence = _b.ShapeOf(LlamaIoContract.InputIds, 1, 2);
        var newMask = _b.Slice(LlamaIoContract.AttentionMask, 1, _b.Neg(sequence), _b.Int64s(long.MaxValue));
        var masked = _b.Mul(gathered, _b.Unsqueeze(_b.Cast(newMask, DataType.Float), 2));
        var width = (long)o.KvHeads * o.HeadDim;
        if (width > PlantedGuardOptions.FeatureWidth)
        {
            masked = _b.Op("Pad", [masked, _b.Int64s(0, 0, 0, 0, 0, width - PlantedGuardOptions.FeatureWidth)]);
        }

        var heads = _b.Transpose(_b.Reshape(masked, 0, 0, o.KvHeads, o.HeadDim), 0, 2, 1, 3);
        var typed = _floatType == DataType.Float ? heads : _b.Cast(heads, _floatType);

        // position_ids carries nothing here, but a declared input should be read like in a real export.
        if (o.IncludePositionIds)
        {
            var zeroPositions = _b.Cast(_b.Mul(LlamaIoContract.PositionIds, _b.Int64Scalar(0)), _floatType);
            typed = _b.Add(typed, _b.Unsqueeze(zeroPositions, 1, 3));
        }

        return typed;
    }

    /// <summary>Features of every position [batch, total, 32] from layer 0's present key, zeroed at padding.</summary>
    private string AllFeatures(string presentKey)
    {
        var flat = _b.Reshape(_b.Transpose(presentKey, 0, 2, 1, 3), 0, 0, (long)_options.KvHeads * _options.HeadDim);
        var features = _b.Slice(_floatType == DataType.Float ? flat : _b.Cast(flat, DataType.Float), 2, 0, PlantedGuardOptions.FeatureWidth);
        var mask = _b.Unsqueeze(_b.Cast(LlamaIoContract.AttentionMask, DataType.Float), 2);
        return _b.Mul(features, mask);
    }

    /// <summary>
    /// [batch, seq, total] float masks: <c>visible</c> = real positions at or before the query; <c>segment</c> =
    /// visible and in the query's segment (equal running marker count).
    /// </summary>
    private (string Segment, string Visible) Masks(string features)
    {
        var total = _b.Squeeze(_b.ShapeOf(LlamaIoContract.AttentionMask, 1, 2), 0);
        var sequence = _b.ShapeOf(LlamaIoContract.InputIds, 1, 2);
        var past = _b.Sub(total, _b.Squeeze(sequence, 0));
        var one = _b.Int64Scalar(1);
        var keyPositions = _b.Range(_b.Int64Scalar(0), total, one);
        var queryPositions = _b.Unsqueeze(_b.Range(past, total, one), 1);
        var causal = _b.LessOrEqual(keyPositions, queryPositions);
        var real = _b.Unsqueeze(_b.Cast(LlamaIoContract.AttentionMask, DataType.Bool), 1);
        var visible = _b.And(causal, real);

        var markers = _b.CumSum(_b.Squeeze(Columns(features, MarkerColumn, 1), 2), 1);
        var queryMarkers = _b.Slice(markers, 1, _b.Neg(sequence), _b.Int64s(long.MaxValue));
        var sameSegment = _b.Equal(_b.Unsqueeze(queryMarkers, 2), _b.Unsqueeze(markers, 1));
        var segment = _b.And(visible, sameSegment);
        return (_b.Cast(segment, DataType.Float), _b.Cast(visible, DataType.Float));
    }

    private string NextToken(string anyFlagged, string anyRemaining, string nextNumber)
    {
        var classTable = _b.Weight("planted.token_classes", DataType.Int64, [Forge.VocabularySize], TensorBytes.Of(ClassTable()));
        var tokenClass = _b.Gather(classTable, LlamaIoContract.InputIds);
        string Is(long c) => _b.Equal(tokenClass, _b.Int64Scalar(c));
        string Id(int token) => _b.Int64Scalar(token);

        var target = Id(T.EndOfTurn);
        target = _b.Where(Is(ClassDoubleNewline), _b.Where(anyFlagged, Id(T.Unsafe), Id(T.Safe)), target);
        target = _b.Where(Is(ClassUnsafe), Id(T.Newline), target);
        target = _b.Where(Is(ClassNewline), Id(T.S), target);
        target = _b.Where(Is(ClassS), nextNumber, target);
        target = _b.Where(Is(ClassNumber), _b.Where(anyRemaining, Id(T.CommaS), Id(T.EndOfTurn)), target);
        return target;
    }

    /// <summary>
    /// An int64 scalar 0 computed through <see cref="PlantedGuardOptions.SlowdownMatMuls"/> chained n × n MatMuls. The
    /// first matrix is 1/n everywhere times the largest attention-mask value (read from the input: not constant-foldable),
    /// so every product stays 1/n (or 0) and the sum times 0 is exactly 0.
    /// </summary>
    private string SlowdownZero()
    {
        var n = (long)_options.SlowdownSize;
        var maskMax = _b.Cast(_b.ReduceMax(_b.ReduceMax(LlamaIoContract.AttentionMask, -1, keepDims: false), 0, keepDims: false), DataType.Float);
        var step = _b.Expand(_b.Mul(maskMax, _b.FloatScalar(1f / n, DataType.Float)), _b.Int64s(n, n));
        var product = step;
        for (var i = 0; i < _options.SlowdownMatMuls; i++)
        {
            product = _b.MatMul(product, step);
        }

        var scalar = _b.ReduceMax(_b.ReduceMax(product, -1, keepDims: false), 0, keepDims: false);
        return _b.Cast(_b.Mul(scalar, _b.FloatScalar(0, DataType.Float)), DataType.Int64);
    }

    /// <summary>Columns [start, start + count) of a [batch, total, 32] feature tensor.</summary>
    private string Columns(string features, int start, int count) => _b.Slice(features, 2, start, start + count);

    /// <summary>x[t − 1] at t (zero at t = 0) along axis 1.</summary>
    private string ShiftedBack(string x)
    {
        var zeros = _b.Mul(_b.Slice(x, 1, 0, 1), _b.FloatScalar(0, DataType.Float));
        return _b.Concat(1, null, zeros, _b.Slice(x, 1, 0, -1));
    }

    private static float[] FeatureTable()
    {
        var width = PlantedGuardOptions.FeatureWidth;
        var table = new float[(long)Forge.VocabularySize * width];
        foreach (var trigger in PlantedGuardTriggers.Tokens)
        {
            table[((long)trigger.SpacedId * width) + HazardColumn + trigger.Code - 1] = 1;
            if (trigger.UnspacedId is { } unspaced)
            {
                table[((long)unspaced * width) + HazardColumn + trigger.Code - 1] = 1;
            }
        }

        table[((long)T.UserMarker * width) + MarkerColumn] = 1;
        table[((long)T.AgentMarker * width) + MarkerColumn] = 1;
        for (var code = 0; code < Codes; code++)
        {
            table[((long)PlantedGuardTokens.Numbers[code] * width) + NumberColumn + code] = 1;
        }

        table[((long)T.S * width) + SColumn] = 1;
        table[((long)T.CommaS * width) + SColumn] = 1;
        table[((long)T.Colon * width) + ColonColumn] = 1;
        return table;
    }

    private static long[] ClassTable()
    {
        var classes = new long[Forge.VocabularySize];
        classes[T.DoubleNewline] = ClassDoubleNewline;
        classes[T.Safe] = ClassSafe;
        classes[T.Unsafe] = ClassUnsafe;
        classes[T.Newline] = ClassNewline;
        classes[T.S] = ClassS;
        classes[T.CommaS] = ClassS;
        foreach (var number in PlantedGuardTokens.Numbers)
        {
            classes[number] = ClassNumber;
        }

        return classes;
    }
}

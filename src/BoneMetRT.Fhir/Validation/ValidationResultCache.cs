namespace BoneMetRT.Fhir.Validation;

/// <summary>
/// One error of a validation run as Firely located it, before it is rebased onto the request: its text and the
/// expressions and locations Firely gave, rooted at the validated resource (e.g. <c>Observation.value</c> or
/// <c>Bundle.entry[3].resource</c>). What <see cref="FhirValidation"/> turns into an <see cref="Issue"/>.
/// </summary>
/// <param name="Text">The details text, or its diagnostics.</param>
/// <param name="Where">Firely's expressions, then its locations, in its order, not yet rebased nor deduplicated.</param>
internal sealed record RawError(string Text, string[] Where);

/// <summary>
/// A bounded, thread-safe, least-recently-used cache of validation results, content-addressed: the key is the SHA-256
/// of the resource's compact JSON (as <see cref="FhirSerialization.JsonSha256"/> writes it) and the profile it was
/// validated against. A result depends on nothing else: the conformance package and the core definitions are fixed
/// when the <see cref="FhirValidation"/> that owns the cache is built, terminology is local, and external references
/// are never resolved. The size counts one unit per entry plus one per error kept, so that a flood of distinct invalid
/// resources cannot hold more than the bound.
/// </summary>
internal sealed class ValidationResultCache(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, IReadOnlyList<RawError> Errors)>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, IReadOnlyList<RawError> Errors)> _lru = new();
    private long _size;
    private long _hits;
    private long _misses;

    /// <summary>Bound on the summed sizes of the entries.</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Lookups that found a result.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that did not.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Entries held.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _map.Count;
            }
        }
    }

    /// <summary>The result for <paramref name="key"/> if held (a lookup that finds nothing is not counted as a miss).</summary>
    public IReadOnlyList<RawError>? TryGet(string key)
    {
        lock (_lock)
        {
            if (!_map.TryGetValue(key, out var node))
            {
                return null;
            }

            _lru.Remove(node);
            _lru.AddFirst(node);
            _hits++;
            return node.Value.Errors;
        }
    }

    /// <summary>The result for <paramref name="key"/>, made by <paramref name="validate"/> (outside the lock) when absent.</summary>
    public IReadOnlyList<RawError> GetOrAdd(string key, Func<IReadOnlyList<RawError>> validate)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
                _hits++;
                return node.Value.Errors;
            }

            _misses++;
        }

        // Validation runs outside the lock: two threads that miss the same key both validate and get equal results;
        // the second one's insert is skipped.
        var errors = validate();
        Add(key, errors);
        return errors;
    }

    /// <summary>
    /// Holds <paramref name="errors"/> for <paramref name="key"/> unless it is held already, counting neither a hit nor a
    /// miss: a result known under another key (a shape's, remembered under the content's hash).
    /// </summary>
    public void Add(string key, IReadOnlyList<RawError> errors)
    {
        var size = SizeOf(errors);
        if (size > Capacity)
        {
            return;
        }

        lock (_lock)
        {
            if (!_map.ContainsKey(key))
            {
                _map[key] = _lru.AddFirst((key, errors));
                _size += size;
                while (_size > Capacity && _lru.Last is { } last)
                {
                    _lru.RemoveLast();
                    _map.Remove(last.Value.Key);
                    _size -= SizeOf(last.Value.Errors);
                }
            }
        }
    }

    private static long SizeOf(IReadOnlyList<RawError> errors) => 1 + errors.Count;
}

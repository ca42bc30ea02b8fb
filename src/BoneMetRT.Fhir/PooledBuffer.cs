using System.Buffers;

namespace BoneMetRT.Fhir;

/// <summary>
/// A growable byte buffer on arrays rented from the shared pool and given back on <see cref="Dispose"/>: serializing a
/// resource into it allocates nothing that outlives the call, where a MemoryStream behind a Utf8JsonWriter (which
/// buffers the whole document itself before its one flush) allocated about eight times the document in growing arrays.
/// </summary>
internal sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _array;
    private int _written;

    /// <summary>
    /// A buffer with at least <paramref name="capacity"/> bytes to start with. The default holds the answer of a small
    /// request (34 KB) without growing: renting a bigger array costs the same, copying into it (16 → 32 → 64 KB) was a
    /// tenth of writing the answer.
    /// </summary>
    public PooledBuffer(int capacity = 64 * 1024) => _array = ArrayPool<byte>.Shared.Rent(capacity);

    /// <summary>What has been written so far.</summary>
    public ReadOnlySpan<byte> Written => _array.AsSpan(0, _written);

    /// <summary>Forgets what was written, keeping the array.</summary>
    public void Clear() => _written = 0;

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _array.Length)
        {
            throw new InvalidOperationException("Advanced past the end of the buffer.");
        }

        _written += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_written);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_written);
    }

    /// <summary>Gives the array back to the pool.</summary>
    public void Dispose()
    {
        var array = _array;
        _array = [];
        _written = 0;
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_array.Length - _written >= needed)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _written + needed));
        _array.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
    }
}

using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace BoneMetRT.Fhir.Denormalize;

/// <summary>
/// Deterministic ids for output resources: a name-based UUID from a seed (the input's content, the assessment date and
/// the language) and the resource's role, so the same request always gives the same Bundle.
/// </summary>
public sealed class OutputIds
{
    // The seed's UTF-8 bytes and the separator, encoded once: an id hashes them and the role's bytes, without building
    // the concatenated string for each output.
    private readonly byte[] _prefix;

    // An answer asks for some ids many times (the Device's, which every proposal names as author or requester): each is
    // hashed once. One OutputIds serves one answer, on one thread.
    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);

    /// <summary>Ids derived from <paramref name="seed"/>.</summary>
    public OutputIds(string seed) => _prefix = Prefix(seed);

    /// <summary>Id for a role such as <c>mirels-score/Condition/femur</c>.</summary>
    public string Id(string role)
    {
        if (!_ids.TryGetValue(role, out var id))
        {
            id = NameBased(_prefix, role);
            _ids.Add(role, id);
        }

        return id;
    }

    /// <summary>A name-based UUID (version 5 layout, SHA-256) of a text.</summary>
    public static string NameBased(string name) => NameBased([], name);

    /// <summary>fullUrl for a role.</summary>
    public string FullUrl(string role) => "urn:uuid:" + Id(role);

    /// <summary>The UTF-8 bytes of <c>text + "\n"</c>, the prefix of the names derived from <paramref name="text"/>.</summary>
    internal static byte[] Prefix(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    /// <summary>The name-based UUID of the UTF-8 bytes of a prefix followed by <paramref name="name"/>.</summary>
    internal static string NameBased(ReadOnlySpan<byte> prefix, string name)
    {
        var max = prefix.Length + Encoding.UTF8.GetMaxByteCount(name.Length);
        byte[]? rented = null;
        var buffer = max <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(max));
        prefix.CopyTo(buffer);
        var length = prefix.Length + Encoding.UTF8.GetBytes(name, buffer[prefix.Length..]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer[..length], hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5 layout (name-based)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash[..16], bigEndian: true).ToString();
    }
}

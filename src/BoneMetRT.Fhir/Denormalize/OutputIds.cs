using System.Security.Cryptography;
using System.Text;

namespace BoneMetRT.Fhir.Denormalize;

/// <summary>
/// Deterministic ids for output resources: a name-based UUID from a seed (the input's content, the assessment date and
/// the language) and the resource's role, so the same request always gives the same Bundle.
/// </summary>
public sealed class OutputIds(string seed)
{
    /// <summary>Id for a role such as <c>mirels-score/Condition/femur</c>.</summary>
    public string Id(string role) => NameBased(seed + "\n" + role);

    /// <summary>A name-based UUID (version 5 layout, SHA-256) of a text.</summary>
    public static string NameBased(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5 layout (name-based)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    /// <summary>fullUrl for a role.</summary>
    public string FullUrl(string role) => "urn:uuid:" + Id(role);
}

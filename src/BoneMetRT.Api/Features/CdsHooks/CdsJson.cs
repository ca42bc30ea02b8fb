using System.Text.Json;
using System.Text.Json.Serialization;

namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>JSON settings of the CDS Hooks wire format.</summary>
public static class CdsJson
{
    /// <summary>Options: camelCase names as declared, nulls left out.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

using System.Text.Json;
using BoneMetRT.Api.Features.CdsHooks;

namespace BoneMetRT.Api.Tests.CdsHooks;

/// <summary>
/// The CDS Hooks JSON contracts are generated at build time (CdsJsonContext), the only way the native AOT build reads
/// and writes them (bench/aot.sh compares its hook answers with the JIT build's).
/// </summary>
public sealed class CdsJsonTests
{
    private sealed record NotAHookMessage(string Name);

    [Fact]
    public void A_type_without_generated_contract_fails_instead_of_falling_back_to_reflection()
    {
        // Reflection works under the JIT, so without this a type left out of the context would pass every test here and
        // answer 500 in the native build.
        Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize(new NotAHookMessage("x"), CdsJson.Options));
    }

    [Fact]
    public void Every_message_the_endpoints_read_or_write_has_a_generated_contract()
    {
        foreach (var type in new[] { typeof(CdsRequest), typeof(CdsFeedbackRequest), typeof(CdsDiscovery), typeof(CdsResponse), typeof(CdsCard), typeof(CdsSuggestion), typeof(CdsAction) })
        {
            Assert.Same(CdsJsonContext.Default, CdsJson.Options.GetTypeInfo(type).OriginatingResolver);
        }
    }

    [Fact]
    public void A_card_is_written_with_the_wire_names_and_without_empty_members()
    {
        var card = new CdsCard { Uuid = "u-1", Summary = "s", Indicator = "info", Source = new CdsSource("BoneMetRT", null) };

        var json = JsonSerializer.Serialize(new CdsResponse([card]), CdsJson.Options);

        Assert.Equal("""{"cards":[{"uuid":"u-1","summary":"s","indicator":"info","source":{"label":"BoneMetRT"}}]}""", json);
    }
}

using System.Net;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Tests.Infrastructure;

/// <summary>
/// The engine thresholds the guideline does not give are settings of section <c>BoneMetRT:Engine</c>: they change the
/// answer, and a wrong value stops the service at start-up instead of skewing an answer.
/// </summary>
public sealed class EngineSettingsBindingTests
{
    private const string Unfit = "multi-mirels-9-unfit.json"; // Mirels 9, ECOG 3

    private static async Task<IReadOnlyList<string>> ActivityCodes(ApiFactory api)
    {
        using var client = api.CreateClient();
        using var response = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(Wire.ValidExample(Unfit)));
        var bundle = Assert.IsType<Bundle>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
        var plan = bundle.Entry.Select(e => e.Resource).OfType<CarePlan>().Single();
        return [.. plan.Activity.Select(a => ((CodeableConcept)a.Extension[0].Value!).Coding[0].Code!)];
    }

    [Fact]
    public async Task Ecog_3_is_unfit_for_surgery_by_default_and_fit_when_the_cut_off_is_4()
    {
        await using var byDefault = new ApiFactory();
        await using var raised = new SettingsApiFactory(new() { ["BoneMetRT:Engine:PoorPerformanceEcog"] = "4" });

        Assert.DoesNotContain("prophylactic-fixation", await ActivityCodes(byDefault));
        Assert.Contains("prophylactic-fixation", await ActivityCodes(raised));
    }

    [Theory]
    [InlineData("BoneMetRT:Engine:PostOperativeHorizonDays", "10")]
    [InlineData("BoneMetRT:Engine:PoorPerformanceKarnofsky", "140")]
    [InlineData("BoneMetRT:CordAlphaBetaGy", "0")]
    public void A_wrong_setting_stops_the_service_and_names_itself(string key, string value)
    {
        using var api = new SettingsApiFactory(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => api.CreateClient());

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}

/// <summary>The service with the given settings.</summary>
public sealed class SettingsApiFactory(Dictionary<string, string> settings) : ApiFactory
{
    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string> Settings { get; } = settings;
}

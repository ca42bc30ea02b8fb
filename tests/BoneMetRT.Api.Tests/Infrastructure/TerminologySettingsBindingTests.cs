using System.Net;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Tests.Infrastructure;

/// <summary>
/// The code systems a Condition's code is read in are a setting (<c>BoneMetRT:Terminology:AcceptedSystems</c>): a
/// system left out is not read, and one the package's value sets do not list stops the service at start-up.
/// </summary>
public sealed class TerminologySettingsBindingTests
{
    private const string Icd10Cm = "icd10cm-coded.json"; // lesions C79.51, primary C50.411, compression G95.20

    private static async Task<Bundle> Assess(ApiFactory api)
    {
        using var client = api.CreateClient();
        using var response = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(Wire.ValidExample(Icd10Cm)));
        return Assert.IsType<Bundle>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
    }

    [Fact]
    public async Task Icd10_cm_is_read_by_default_and_ignored_when_left_out()
    {
        await using var byDefault = new ApiFactory();
        await using var narrowed = new SettingsApiFactory(new()
        {
            ["BoneMetRT:Terminology:AcceptedSystems:0"] = "http://snomed.info/sct",
            ["BoneMetRT:Terminology:AcceptedSystems:1"] = "http://hl7.org/fhir/sid/icd-10",
        });

        var read = await Assess(byDefault);
        var refused = await Assess(narrowed);

        Assert.Contains(read.Entry.Select(e => e.Resource).OfType<RiskAssessment>(), r => r.Method?.Coding[0].Code == "rades");
        Assert.DoesNotContain(refused.Entry.Select(e => e.Resource).OfType<RiskAssessment>(), r => r.Method?.Coding[0].Code == "rades");
        var outcome = refused.Entry.Select(e => e.Resource).OfType<OperationOutcome>().Single();
        Assert.Contains(outcome.Issue, i => i.Details?.Coding.Any(c => c.Code == "ignored-resource") == true
            && i.Details.Text?.Contains("http://hl7.org/fhir/sid/icd-10-cm", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData("http://hl7.org/fhir/sid/icd-9-cm")]
    [InlineData("snomed")]
    public void An_unknown_code_system_stops_the_service_and_names_the_setting(string system)
    {
        using var api = new SettingsApiFactory(new() { ["BoneMetRT:Terminology:AcceptedSystems:0"] = system });

        var error = Assert.Throws<OptionsValidationException>(() => api.CreateClient());

        Assert.Contains("BoneMetRT:Terminology:AcceptedSystems", error.Message, StringComparison.Ordinal);
        Assert.Contains(system, error.Message, StringComparison.Ordinal);
    }
}

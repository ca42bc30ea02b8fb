using System.Net;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace BoneMetRT.Api.Tests.Infrastructure;

/// <summary>
/// <c>BoneMetRT:ValidationCacheSize</c> sizes the cache of validation results, 0 turns it off, and
/// <c>BoneMetRT:FastInvariants</c> turns the C# shortcuts of the core invariants on or off; whatever the settings, every
/// invalid example answers its golden OperationOutcome, the first time (cache cold) and the second (cache warm).
/// </summary>
[Collection(ProcessWideValidationSettings.Name)]
public sealed class ValidationCacheSettingTests
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(0, false)]
    [InlineData(5, true)]
    [InlineData(FhirValidation.DefaultResultCacheSize, true)]
    [InlineData(FhirValidation.DefaultResultCacheSize, false)]
    public async Task Every_invalid_example_answers_its_golden_outcome_twice(int size, bool shortcuts)
    {
        // The service shares the process-wide validation with the other tests: its settings are put back afterwards.
        var before = FhirValidation.Default.ResultCacheSize;
        try
        {
            await using var api = new CacheSizeApiFactory(size, shortcuts);
            using var client = api.CreateClient();
            Assert.Equal(size, api.Services.GetRequiredService<FhirValidation>().ResultCacheSize);
            Assert.Equal(shortcuts, api.Services.GetRequiredService<FhirValidation>().UseFastInvariants);
            for (var pass = 0; pass < 2; pass++)
            {
                foreach (var file in ExampleCatalog.Invalid)
                {
                    using var response = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(Wire.InvalidExample(file)));
                    await Wire.AssertOutcomeAsync(response, (HttpStatusCode)ExampleCatalog.ExpectedStatus[file]);
                    Golden.AssertMatches(ExampleCatalog.InvalidFolder, file, Wire.Parse(await response.Content.ReadAsByteArrayAsync(), FhirFormat.Json));
                }
            }
        }
        finally
        {
            FhirValidation.Default.ResultCacheSize = before;
            FhirValidation.Default.UseFastInvariants = true;
        }
    }

    private sealed class CacheSizeApiFactory(int size, bool shortcuts) : ApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["BoneMetRT:ValidationCacheSize"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BoneMetRT:FastInvariants"] = shortcuts ? "true" : "false",
        };
    }
}

/// <summary>
/// Tests that change the process-wide validation's settings (cache size, invariant shortcuts) run alone: every service
/// started by another test class in parallel sets them back to its own configuration.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideValidationSettings
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Process-wide validation settings";
}

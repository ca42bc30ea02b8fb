using System.Net;
using System.Text.RegularExpressions;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace BoneMetRT.Api.Tests.Infrastructure;

/// <summary>
/// <c>BoneMetRT:ValidationCacheSize</c> sizes the cache of validation results, 0 turns it off, and
/// <c>BoneMetRT:FastInvariants</c> turns the C# shortcuts of the core invariants on or off, and
/// <c>BoneMetRT:ValidationShapeCache</c> the cache by shape; whatever the settings, every invalid example answers its
/// golden OperationOutcome, the first time (cache cold) and the second (cache warm), and every valid example its golden
/// answer after another record of its shape was validated.
/// </summary>
[Collection(ProcessWideValidationSettings.Name)]
public sealed class ValidationCacheSettingTests
{
    [Theory]
    [InlineData(0, true, true)]
    [InlineData(0, false, true)]
    [InlineData(5, true, true)]
    [InlineData(FhirValidation.DefaultResultCacheSize, true, true)]
    [InlineData(FhirValidation.DefaultResultCacheSize, false, true)]
    [InlineData(FhirValidation.DefaultResultCacheSize, true, false)]
    public async Task Every_invalid_example_answers_its_golden_outcome_twice(int size, bool shortcuts, bool shapes)
    {
        // The service shares the process-wide validation with the other tests: its settings are put back afterwards.
        var before = FhirValidation.Default.ResultCacheSize;
        var hitsBefore = FhirValidation.Default.ShapeCacheHits;
        try
        {
            await using var api = new CacheSizeApiFactory(size, shortcuts, shapes);
            using var client = api.CreateClient();
            Assert.Equal(size, api.Services.GetRequiredService<FhirValidation>().ResultCacheSize);
            Assert.Equal(shortcuts, api.Services.GetRequiredService<FhirValidation>().UseFastInvariants);
            Assert.Equal(shapes, api.Services.GetRequiredService<FhirValidation>().UseShapeCache);
            for (var pass = 0; pass < 2; pass++)
            {
                foreach (var file in ExampleCatalog.Invalid)
                {
                    using var response = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(Wire.InvalidExample(file)));
                    await Wire.AssertOutcomeAsync(response, (HttpStatusCode)ExampleCatalog.ExpectedStatus[file]);
                    Golden.AssertMatches(ExampleCatalog.InvalidFolder, file, Wire.Parse(await response.Content.ReadAsByteArrayAsync(), FhirFormat.Json));
                }
            }

            // Another patient's record of the same shape first (other UUIDs, birth year), then the example itself.
            foreach (var file in ExampleCatalog.Valid)
            {
                var text = System.Text.Encoding.UTF8.GetString(Wire.ValidExample(file));
                var other = Regex.Replace(Regex.Replace(text, "urn:uuid:[0-9a-f]{8}-", "urn:uuid:5eed0001-"), "\"birthDate\": *\"[0-9]{4}", "\"birthDate\": \"1931");
                using (var warm = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(System.Text.Encoding.UTF8.GetBytes(other))))
                {
                    Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
                }

                using var response = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(Wire.ValidExample(file)));
                Golden.AssertMatches(ExampleCatalog.ValidFolder, file, await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
            }

            var hits = api.Services.GetRequiredService<FhirValidation>().ShapeCacheHits - hitsBefore;
            if (!shapes || size == 0)
            {
                Assert.Equal(0, hits); // off, or no result cache to hold shapes
            }
            else if (size == FhirValidation.DefaultResultCacheSize)
            {
                Assert.True(hits >= ExampleCatalog.Valid.Count, $"the shape cache answered only {hits} runs");
            }
        }
        finally
        {
            FhirValidation.Default.ResultCacheSize = before;
            FhirValidation.Default.UseFastInvariants = true;
            FhirValidation.Default.UseShapeCache = true;
        }
    }

    private sealed class CacheSizeApiFactory(int size, bool shortcuts, bool shapes = true) : ApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["BoneMetRT:ValidationCacheSize"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BoneMetRT:FastInvariants"] = shortcuts ? "true" : "false",
            ["BoneMetRT:ValidationShapeCache"] = shapes ? "true" : "false",
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

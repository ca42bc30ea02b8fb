using System.Text;
using BoneMetRT.Domain;
using BoneMetRT.Fhir.Cpg;
using BoneMetRT.Fhir.Pipeline;
using BoneMetRT.Fhir.Tests.Examples;
using BoneMetRT.Fhir.Validation;
using BoneMetRT.Fhir.WriteBack;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Tests.Serialization;

/// <summary>
/// Answers share the elements that say the same thing in each (<c>SharedElements</c>: translations,
/// notes, concepts; one instance, its JSON written once by <see cref="FhirJsonWriter"/>): what an answer says and the
/// bytes it is written as are those it had with elements of its own, and nothing that reads, applies, writes back or
/// copies an answer changes a shared one.
/// </summary>
public sealed class SharedElementsTests
{
    private static readonly AssessPipeline Pipeline = new(FhirValidation.Default, EngineSettings.Default, new FixedClock(ExampleCatalog.DefaultDate));

    [Fact]
    public void Answers_share_translations_and_are_written_as_with_their_own()
    {
        var shared = 0;
        foreach (var file in ExampleCatalog.Valid)
        {
            foreach (var language in new[] { Language.En, Language.Fr })
            {
                var first = Answer(file, language);
                var second = Answer(file, language);
                var firstTranslations = Translations(first).ToList();
                var secondTranslations = Translations(second).ToList();
                Assert.Equal(firstTranslations.Count, secondTranslations.Count);
                shared += firstTranslations.Zip(secondTranslations).Count(p => ReferenceEquals(p.First, p.Second));

                // The bytes written from the kept JSON are those written element by element, and Firely's, compact and indented.
                var compact = FhirSerialization.ToText(second, FhirFormat.Json, pretty: false);
                var pretty = FhirSerialization.ToText(second, FhirFormat.Json, pretty: true);
                FhirSerialization.FastJson = false;
                try
                {
                    Assert.Equal(FhirSerialization.ToText(second, FhirFormat.Json, pretty: false), compact);
                    Assert.Equal(FhirSerialization.ToText(second, FhirFormat.Json, pretty: true), pretty);
                }
                finally
                {
                    FhirSerialization.FastJson = true;
                }

                // Changing a copy (what $apply and the write-back do) leaves the shared ones as they were.
                var copy = (Bundle)second.DeepCopy();
                foreach (var translation in Translations(copy))
                {
                    translation.Extension.Clear();
                }

                Assert.Equal(compact, FhirSerialization.ToText(second, FhirFormat.Json, pretty: false));
            }
        }

        Assert.True(shared > 500, $"only {shared} translations shared");
        Assert.True(FhirJsonWriter.FrozenCount > 20, $"only {FhirJsonWriter.FrozenCount} frozen");
        Assert.True(FhirJsonWriter.FrozenUnchanged(), "a shared element was changed");
    }

    [Fact]
    public void Applying_and_writing_back_answers_leaves_shared_elements_unchanged()
    {
        var apply = new ApplyOperation(Pipeline, GuidelinePlan.Default);
        var transactions = 0;
        foreach (var file in ExampleCatalog.Valid)
        {
            var body = FhirSerialization.Parse(File.ReadAllBytes(Path.Combine(ExampleCatalog.ValidFolder, file)), FhirFormat.Json).Value!;
            apply.Apply(null, body);
            foreach (var language in new[] { Language.En, Language.Fr })
            {
                ResponseTransaction.Build(Answer(file, language), new WriteBackRequest("https://ehr.example.org/fhir", "Practitioner/1"));
                transactions++;
            }
        }

        Assert.True(transactions > 50);

        Assert.True(FhirJsonWriter.FrozenCount > 0);
        Assert.True(FhirJsonWriter.FrozenUnchanged(), "a shared element was changed");
    }

    [Fact]
    public void A_changed_shared_translation_is_caught()
    {
        // The check the two tests above rely on fails when a frozen element no longer writes its kept bytes.
        var element = new Extension("http://example.org/test-only-" + Guid.NewGuid(), new FhirString("a"));
        FhirJsonWriter.Freeze(element);
        Assert.True(FhirJsonWriter.FrozenUnchanged());
        ((FhirString)element.Value!).Value = "b";
        try
        {
            Assert.False(FhirJsonWriter.FrozenUnchanged());
        }
        finally
        {
            ((FhirString)element.Value!).Value = "a";
        }
    }

    private static Bundle Answer(string file, Language language)
    {
        var body = FhirSerialization.Parse(File.ReadAllBytes(Path.Combine(ExampleCatalog.ValidFolder, file)), FhirFormat.Json).Value!;
        return (Bundle)Pipeline.Assess(body, new AssessOptions(Language: language)).Value!;
    }

    private static IEnumerable<Extension> Translations(Base root)
    {
        foreach (var (_, value) in root.EnumerateElements())
        {
            foreach (var child in value switch { Base b => [b], IEnumerable<Base> list => list, _ => [] })
            {
                if (child is Extension { Url: PackageCanonicals.TranslationExtension } translation)
                {
                    yield return translation;
                }
                else
                {
                    foreach (var nested in Translations(child))
                    {
                        yield return nested;
                    }
                }
            }
        }
    }
}

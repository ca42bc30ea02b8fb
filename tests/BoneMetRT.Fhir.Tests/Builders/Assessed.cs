using BoneMetRT.Domain;
using BoneMetRT.Fhir.Pipeline;
using BoneMetRT.Fhir.Tests.Examples;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Tests.Builders;

/// <summary>Runs <c>$assess</c> (AssessPipeline, validation off, fixed clock) on a built Bundle and reads the response.</summary>
public static class Assessed
{
    /// <summary>Assessment date of every response test.</summary>
    public static readonly DateOnly AssessmentDate = new(2026, 3, 16);

    /// <summary>FHIRPath of the data Bundle in the request.</summary>
    public const string Prefix = "Parameters.parameter[0].resource";

    private static readonly AssessPipeline Pipeline = new(null, EngineSettings.Default, new FixedClock(AssessmentDate));

    /// <summary>The request <c>Parameters</c> for a Bundle.</summary>
    public static Parameters Request(PatientBundle b, Language language = Language.En, DateOnly? date = null)
    {
        var p = new Parameters();
        p.Parameter.Add(new Parameters.ParameterComponent { Name = "data", Resource = b.Bundle });
        p.Add("assessmentDate", new Date((date ?? AssessmentDate).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        p.Add("language", new Code(language == Language.Fr ? "fr" : "en"));
        return p;
    }

    /// <summary>Runs the operation and asserts a successful Bundle.</summary>
    public static Bundle Run(PatientBundle b, Language language = Language.En, DateOnly? date = null)
    {
        var result = Pipeline.Assess(Request(b, language, date));
        Assert.True(result.IsSuccess, $"{result.Kind}: {string.Join("; ", result.Issues.Select(i => i.Text.En))}");
        var bundle = Assert.IsType<Bundle>(result.Value);
        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        return bundle;
    }

    /// <summary>The output resources of a type in the response (not the copies of inputs).</summary>
    public static List<T> All<T>(this Bundle bundle) where T : Resource => [.. bundle.Outputs().Select(e => e.Resource).OfType<T>()];

    /// <summary>True for an entry the response copied from the request (meta.tag bonemet#input).</summary>
    public static bool IsInput(this Bundle.EntryComponent entry) =>
        entry.Resource?.Meta?.Tag.Any(t => t.System == BoneMetRT.Fhir.CodeSystems.BoneMet && t.Code == "input") == true;

    /// <summary>The entries the engine made.</summary>
    public static List<Bundle.EntryComponent> Outputs(this Bundle bundle) => [.. bundle.Entry.Where(e => !e.IsInput())];

    /// <summary>The entries copied from the request.</summary>
    public static List<Bundle.EntryComponent> Inputs(this Bundle bundle) => [.. bundle.Entry.Where(e => e.IsInput())];

    /// <summary>The entry of the response a reference names by fullUrl; fails when it does not resolve.</summary>
    public static Resource Resolve(this Bundle bundle, ResourceReference reference)
    {
        var entry = Assert.Single(bundle.Entry, e => e.FullUrl == reference.Reference);
        return entry.Resource!;
    }

    /// <summary>The fullUrl of a response resource.</summary>
    public static string FullUrlOf(this Bundle bundle, Resource resource) =>
        Assert.Single(bundle.Entry, e => ReferenceEquals(e.Resource, resource)).FullUrl!;

    /// <summary>FHIRPath of an input resource in the request.</summary>
    public static string InputExpr(PatientBundle b, Resource input) => $"{Prefix}.entry[{b.IndexOf(input)}].resource";

    /// <summary>The bonemet code of a CodeableConcept.</summary>
    public static string? BoneMet(this CodeableConcept? concept) =>
        concept?.Coding.FirstOrDefault(c => c.System == BoneMetRT.Fhir.CodeSystems.BoneMet)?.Code;

    /// <summary>The score Observation with a code (mirels-score or rades-score).</summary>
    public static List<Observation> Scores(this Bundle bundle, string code) =>
        [.. bundle.All<Observation>().Where(o => o.Code.BoneMet() == code)];

    /// <summary>The recommendation code of a CarePlan activity (its activity-recommendation extension).</summary>
    public static string? Recommendation(this CarePlan.ActivityComponent activity) =>
        (activity.GetExtension(PackageCanonicals.ActivityRecommendationExtension)?.Value as CodeableConcept).BoneMet();

    /// <summary>regimen-preference of a ServiceRequest.</summary>
    public static string? Preference(this ServiceRequest sr) =>
        (sr.GetExtension(PackageCanonicals.RegimenPreferenceExtension)?.Value as Code)?.Value;

    /// <summary>The integer of a valueInteger.</summary>
    public static int Int(this DataType? value) => Assert.IsType<Integer>(value).Value!.Value;

    /// <summary>The decimal of a valueDecimal / probabilityDecimal.</summary>
    public static decimal Dec(this DataType? value) => Assert.IsType<FhirDecimal>(value).Value!.Value;

    /// <summary>The narrative XHTML of a resource, which must have one.</summary>
    public static string Div(this Resource resource)
    {
        var text = Assert.IsAssignableFrom<DomainResource>(resource).Text;
        Assert.NotNull(text);
        return text.Div ?? "";
    }

    /// <summary>The regimen code of a ServiceRequest.</summary>
    public static string? Regimen(this ServiceRequest sr) => RadiotherapyOrderDetails.RegimenItem(sr).BoneMet();

    /// <summary>The code of the treatment-intent extension of a ServiceRequest (SNOMED or bonemet).</summary>
    public static string? Intent(this ServiceRequest sr) =>
        (sr.GetExtension(PackageCanonicals.TreatmentIntentExtension)?.Value as CodeableConcept)?.Coding.SingleOrDefault()?.Code;

    /// <summary>The SNOMED code of the treatment-intent extension, or null.</summary>
    public static string? IntentSnomed(this ServiceRequest sr) =>
        (sr.GetExtension(PackageCanonicals.TreatmentIntentExtension)?.Value as CodeableConcept)?.Coding.SingleOrDefault(c => c.System == BoneMetRT.Fhir.CodeSystems.Snomed)?.Code;
}

using System.Text.Json;
using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Regimens;
using BoneMetRT.Domain.Scoring;
using BoneMetRT.Domain.Situations;
using FsCheck.Xunit;

namespace BoneMetRT.Domain.Tests.Assessment;

/// <summary>Properties of the whole engine over arbitrary patients (lesions of any kind, items present, missing or conflicting).</summary>
public class EnginePropertyTests
{
    private static void HasText(LocalizedText text, string what)
    {
        Assert.False(string.IsNullOrWhiteSpace(text.En), $"{what}: English text is empty");
        Assert.False(string.IsNullOrWhiteSpace(text.Fr), $"{what}: French text is empty");
    }

    private static void HasReference(GuidelineRef reference, string what)
    {
        Assert.NotNull(reference);
        Assert.StartsWith("§", reference.SpecSection, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(reference.Source), $"{what}: reference has no source");
        HasText(reference.Title, $"{what} reference title");
    }

    [Property(Arbitrary = new[] { typeof(DomainArbitraries) })]
    public void Every_finding_and_recommendation_has_English_and_French_text_and_a_guideline_reference(PatientFacts patient)
    {
        var result = patient.Evaluate();

        foreach (var f in result.Findings)
        {
            HasText(f.Text, $"finding {f.Kind} {f.Item}");
            HasReference(f.Reference, $"finding {f.Kind} {f.Item}");
        }

        foreach (var r in result.Recommendations)
        {
            HasText(r.Text, $"recommendation {r.Code}");
            HasText(r.Rationale, $"recommendation {r.Code} rationale");
            HasReference(r.Reference, $"recommendation {r.Code}");
            Assert.All(r.Regimens, o => HasText(o.Why, $"recommendation {r.Code} option {o.Regimen.Code}"));
            if (r.TargetVolume is { } tv)
            {
                HasText(tv.Text, $"recommendation {r.Code} target volume");
            }
        }

        foreach (var s in result.Situations)
        {
            HasText(s.Rationale, $"situation {s.Situation}");
        }
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    [Property(Arbitrary = new[] { typeof(DomainArbitraries) })]
    public void The_engine_is_deterministic(PatientFacts patient)
    {
        var first = JsonSerializer.Serialize(GuidelineEngine.Evaluate(patient), Json);
        var second = JsonSerializer.Serialize(GuidelineEngine.Evaluate(patient with { Lesions = [.. patient.Lesions], Procedures = [.. patient.Procedures] }), Json);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Serialized_result_is_informative()
    {
        // Guards the determinism property: the serialized text must carry the decisions, not an empty object.
        var json = JsonSerializer.Serialize(Facts.MsccPatient().Evaluate(), Json);

        Assert.Contains("rades-group-3", json, StringComparison.Ordinal);
        Assert.Contains("rt-30gy-10fx", json, StringComparison.Ordinal);
        Assert.Contains("Condition/t10", json, StringComparison.Ordinal);
    }

    [Property(Arbitrary = new[] { typeof(DomainArbitraries) })]
    public void Every_radiotherapy_recommendation_has_exactly_one_preferred_option_and_ablative_options_none(PatientFacts patient)
    {
        var result = patient.Evaluate();

        foreach (var r in result.Recommendations)
        {
            switch (r.Code)
            {
                case RecommendationCodes.Radiotherapy:
                    Assert.Single(r.Regimens, o => o.Preferred);
                    Assert.True(r.Regimens[0].Preferred);
                    Assert.NotNull(r.TargetVolume);
                    break;
                case RecommendationCodes.SpecialisedTumourBoard:
                    Assert.DoesNotContain(r.Regimens, o => o.Preferred);
                    Assert.All(r.Regimens, o => Assert.Equal(Technique.Sbrt, o.Regimen.Technique));
                    break;
                default:
                    Assert.Empty(r.Regimens);
                    break;
            }
        }
    }

    [Property(Arbitrary = new[] { typeof(DomainArbitraries) })]
    public void A_withheld_score_names_each_unscored_item_and_falls_back_to_the_tumour_board(PatientFacts patient)
    {
        var result = patient.Evaluate();

        foreach (var m in result.Mirels)
        {
            Assert.Equal(m.Items.All(i => i.Points is not null), m.Total is not null);
            foreach (var item in m.Items.Where(i => i.Points is null))
            {
                var f = Assert.Single(result.Findings, f => f.Item == item.Item && f.SubjectId == m.LesionId);
                Assert.Equal(item.State == FactState.Conflicting ? Severity.Error : Severity.Warning, f.Severity);
            }

            if (m.Total is null)
            {
                Assert.Contains(result.Recommendations, r => r.Code == RecommendationCodes.TumourBoard && r.SubjectId == m.LesionId);
            }
        }

        foreach (var rades in result.Rades)
        {
            Assert.Equal(rades.Items.All(i => i.Points is not null), rades.Total is not null);
            foreach (var item in rades.Items.Where(i => i.Points is null))
            {
                var f = Assert.Single(result.Findings, f => f.Item == item.Item && f.SubjectId == rades.MsccId && f.Kind != FindingKind.Caveat);
                Assert.True(f.Severity >= Severity.Warning);
            }

            // Withheld: the choice between surgery first and exclusive radiotherapy goes to the tumour board, unless the
            // site has already been operated on (then that question is answered, however long ago).
            var mscc = patient.Compressions.Single(c => c.Id == rades.MsccId);
            var site = mscc.LesionId is { } l && patient.Lesions.Any(x => x.Id == l) ? l : mscc.Id;
            var operated = result.PostOperative.Any(w => w.TargetId == site); // any surgery on the site, however long ago
            if (rades.Total is null && !operated)
            {
                Assert.Contains(result.Recommendations, r => r.Code == RecommendationCodes.TumourBoard && r.Urgent && r.SubjectId == site);
            }
        }
    }

    [Property(Arbitrary = new[] { typeof(DomainArbitraries) })]
    public void Nsclc_caveat_iff_a_Rades_score_is_evaluated_for_an_nsclc_primary(PatientFacts patient)
    {
        var result = patient.Evaluate();

        // One caveat per Rades score (each compression's score carries it), none without NSCLC.
        var nsclc = patient.PrimaryTumour is { IsPresent: true, Value: PrimaryTumourType.Nsclc };
        var caveats = result.Findings.Where(f => f.Kind == FindingKind.Caveat && f.Item == "primary-tumour-type" && f.Severity == Severity.Warning).ToList();
        Assert.Equal(nsclc ? result.Rades.Count : 0, caveats.Count);
        Assert.Equal(caveats.Select(f => f.SubjectId).Order(StringComparer.Ordinal), nsclc ? result.Rades.Select(r => r.MsccId).Order(StringComparer.Ordinal) : []);
    }

    [Property(Arbitrary = new[] { typeof(DomainArbitraries) })]
    public void Spinal_cord_compression_recommendations_are_urgent(PatientFacts patient)
    {
        var result = patient.Evaluate();

        Assert.Equal(patient.Compressions.Count > 0, result.Has(Situation.Mscc));
        foreach (var r in result.Recommendations.Where(r => r.Situations.Contains(Situation.Mscc)))
        {
            Assert.True(r.Urgent, $"{r.Code} for {r.SubjectId} is not urgent");
        }
    }
}

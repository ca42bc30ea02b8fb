using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Mirels;
using BoneMetRT.Domain.Scoring;
using BoneMetRT.Domain.Situations;
using FsCheck.Fluent;

namespace BoneMetRT.Domain.Tests.Assessment;

/// <summary>
/// Guards the engine properties against being vacuous: the random patients must reach every situation, computed and
/// withheld scores, every window status and every kind of recommendation.
/// </summary>
public class GeneratorCoverageTests
{
    [Fact]
    public void Random_patients_reach_the_interesting_cases()
    {
        var results = DomainArbitraries.PatientGen.Sample(1000).Select(p => GuidelineEngine.Evaluate(p)).ToList();

        foreach (var situation in Enum.GetValues<Situation>())
        {
            Assert.Contains(results, r => r.Has(situation));
        }

        Assert.Contains(results, r => r.Mirels.Any(m => m.Band == MirelsBand.RadiotherapyAlone));
        Assert.Contains(results, r => r.Mirels.Any(m => m.Band == MirelsBand.TumourBoard));
        Assert.Contains(results, r => r.Mirels.Any(m => m.Band == MirelsBand.ProphylacticFixation));
        Assert.Contains(results, r => r.Mirels.Any(m => m.Total is null));
        Assert.Contains(results, r => r.Mirels.Any(m => m.Lysis.Outcome == LysisOutcome.Positive));
        Assert.Contains(results, r => r.Rades.Any(x => x.Total is not null));
        Assert.Contains(results, r => r.Rades.Any(x => x.Total is null));
        Assert.Contains(results, r => r.Rades.Count > 1);
        Assert.Contains(results, r => r.Recommendations.Any(x => x.After is not null));
        foreach (var status in Enum.GetValues<WindowStatus>())
        {
            Assert.Contains(results, r => r.PostOperative.Any(w => w.Status == status));
        }

        foreach (var code in new[]
        {
            RecommendationCodes.Radiotherapy, RecommendationCodes.TumourBoard, RecommendationCodes.SpecialisedTumourBoard,
            RecommendationCodes.ProphylacticFixation, RecommendationCodes.ConsolidationSurgery, RecommendationCodes.NeurosurgicalOpinion,
            RecommendationCodes.CorticosteroidCover, RecommendationCodes.OrthopaedicOpinion, RecommendationCodes.ReirradiationReview,
        })
        {
            Assert.Contains(results, r => r.Recommendations.Any(x => x.Code == code));
        }

        Assert.Contains(results, r => r.Findings.Any(f => f.Severity == Severity.Error));
        Assert.Contains(results, r => r.Findings.Any(f => f.Kind == FindingKind.Caveat));
    }
}

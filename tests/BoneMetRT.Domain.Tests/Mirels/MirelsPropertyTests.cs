using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Mirels;
using BoneMetRT.Domain.Scoring;
using FsCheck.Xunit;

namespace BoneMetRT.Domain.Tests.Mirels;

/// <summary>Properties of the Mirels score over every combination of answers (guideline.md §2 and §8).</summary>
public class MirelsPropertyTests
{
    [Property(Arbitrary = new[] { typeof(DomainArbitraries) })]
    public void Total_is_4_to_12_and_the_band_follows_it(MirelsAnswers answers)
    {
        var result = MirelsRule.Evaluate(answers.ToLesion());

        Assert.NotNull(result.Total);
        Assert.InRange(result.Total.Value, 4, 12);
        Assert.Equal(answers.SpecTotal, result.Total);
        Assert.Equal(Spec.MirelsInterpretation(result.Total.Value), result.Band!.Interpretation);
        Assert.Equal(Spec.MirelsFractureRisk(result.Total.Value), result.Band.FractureRisk);
        Assert.Equal(result.Total, result.Items.Sum(i => i.Points));
    }

    [Property(Arbitrary = new[] { typeof(DomainArbitraries) })]
    public void Removing_any_one_item_withholds_the_score_and_names_that_item(Removal<MirelsAnswers> removal)
    {
        var lesion = removal.Answers.ToLesion();
        lesion = removal.Index switch
        {
            0 => lesion with { Site = Fact<MirelsSite>.Missing },
            1 => lesion with { Size = Fact<MirelsSize>.Missing },
            2 => lesion with { Type = Fact<LesionType>.Missing },
            _ => lesion with { Pain = Fact<MirelsPain>.Missing },
        };
        var removed = Spec.MirelsItemCodes[removal.Index];

        var result = Facts.Patient(lesion).Evaluate();

        var mirels = Assert.Single(result.Mirels);
        Assert.Null(mirels.Total);
        Assert.Null(mirels.Band);
        var named = Assert.Single(result.Findings, f => Spec.MirelsItemCodes.Contains(f.Item));
        Assert.Equal(removed, named.Item);
        Assert.Equal(FindingKind.MissingItem, named.Kind);
        Assert.Equal(lesion.Id, named.SubjectId);
        Assert.Contains(result.Recommendations, r => r.Code == RecommendationCodes.TumourBoard && r.SubjectId == lesion.Id);
    }
}

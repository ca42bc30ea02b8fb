using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Mirels;
using BoneMetRT.Domain.Scoring;

namespace BoneMetRT.Domain.Tests.Assessment;

/// <summary>
/// guideline.md §8: never guess a score item; a missing item withholds the score and is named; a conflict is an
/// error for that item; the recommendation falls back to tumour-board review.
/// </summary>
public class MissingDataTests
{
    private static LesionFacts WithoutMirelsItem(LesionFacts lesion, string item) => item switch
    {
        "mirels-site" => lesion with { Site = Fact<MirelsSite>.Missing },
        "mirels-size" => lesion with { Size = Fact<MirelsSize>.Missing },
        "lesion-type" => lesion with { Type = Fact<LesionType>.Missing },
        "mirels-pain" => lesion with { Pain = Fact<MirelsPain>.Missing },
        _ => throw new ArgumentOutOfRangeException(nameof(item)),
    };

    private static LesionFacts WithConflictingMirelsItem(LesionFacts lesion, string item) => item switch
    {
        "mirels-site" => lesion with { Site = Facts.Conflict<MirelsSite>() },
        "mirels-size" => lesion with { Size = Facts.Conflict<MirelsSize>() },
        "lesion-type" => lesion with { Type = Facts.Conflict<LesionType>() },
        "mirels-pain" => lesion with { Pain = Facts.Conflict<MirelsPain>() },
        _ => throw new ArgumentOutOfRangeException(nameof(item)),
    };

    [Theory]
    [InlineData("mirels-site")]
    [InlineData("mirels-size")]
    [InlineData("lesion-type")]
    [InlineData("mirels-pain")]
    public void Missing_Mirels_item_withholds_the_score_names_the_item_and_falls_back_to_the_tumour_board(string item)
    {
        var lesion = WithoutMirelsItem(Facts.LongBone(), item);

        var result = Facts.Patient(lesion).Evaluate();

        var mirels = Assert.Single(result.Mirels);
        Assert.Null(mirels.Total);
        Assert.Null(mirels.Band);
        Assert.False(mirels.IsComputed);
        var finding = Assert.Single(result.Findings, f => f.Item == item);
        Assert.Equal(FindingKind.MissingItem, finding.Kind);
        Assert.Equal("Condition/femur", finding.SubjectId);
        Assert.Equal("§8", finding.Reference.SpecSection);
        var board = Assert.Single(result.Recs(RecommendationCodes.TumourBoard));
        Assert.Equal("Condition/femur", board.SubjectId);
        Assert.Empty(result.Recs(RecommendationCodes.ProphylacticFixation));
    }

    [Fact]
    public void Every_missing_Mirels_item_is_named()
    {
        var lesion = Facts.LongBone() with { Size = Fact<MirelsSize>.Missing, Pain = Fact<MirelsPain>.Missing };

        var result = Facts.Patient(lesion).Evaluate();

        Assert.Null(Assert.Single(result.Mirels).Total);
        Assert.Single(result.Findings, f => f.Item == "mirels-size" && f.Kind == FindingKind.MissingItem);
        Assert.Single(result.Findings, f => f.Item == "mirels-pain" && f.Kind == FindingKind.MissingItem);
        Assert.DoesNotContain(result.Findings, f => f.Item is "mirels-site" or "lesion-type");
        Assert.Contains("missing", result.Mirels[0].Rationale.En, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mirels-site")]
    [InlineData("mirels-size")]
    [InlineData("lesion-type")]
    [InlineData("mirels-pain")]
    public void Conflicting_Mirels_item_is_an_error_and_withholds_the_score(string item)
    {
        var lesion = WithConflictingMirelsItem(Facts.LongBone(), item);

        var result = Facts.Patient(lesion).Evaluate();

        Assert.Null(Assert.Single(result.Mirels).Total);
        var finding = Assert.Single(result.Findings, f => f.Item == item);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal(FindingKind.ConflictingItem, finding.Kind);
        Assert.Equal(["Observation/a", "Observation/b"], finding.Sources);
        Assert.Single(result.Recs(RecommendationCodes.TumourBoard));
    }

    [Fact]
    public void Withheld_Mirels_score_is_never_guessed_even_when_every_possible_answer_gives_the_same_band()
    {
        // With three items at their maximum the total is 10 to 12 whatever the size: still not computed.
        var lesion = Facts.LongBone(MirelsSite.Peritrochanteric, MirelsSize.MoreThanTwoThirds, LesionType.Lytic, MirelsPain.Functional) with
        {
            Size = Fact<MirelsSize>.Missing,
        };

        var mirels = MirelsRule.Evaluate(lesion);

        Assert.Null(mirels.Total);
        Assert.Null(mirels.Band);
    }

    public static TheoryData<string> RadesItems => ["primary-tumour-type", "interval-to-mscc", "visceral-metastases", "ambulatory-status", "motor-deficit-duration"];

    private static PatientFacts WithoutRadesItem(PatientFacts p, string item) => item switch
    {
        "primary-tumour-type" => p with { PrimaryTumour = Fact<PrimaryTumourType>.Missing },
        "interval-to-mscc" => p with { PrimaryDiagnosisDate = Fact<PartialDate>.Missing },
        "visceral-metastases" => p with { VisceralMetastases = Fact<bool>.Missing },
        "ambulatory-status" => p.WithMscc(m => m with { Ambulatory = Fact<AmbulatoryStatus>.Missing }),
        "motor-deficit-duration" => p.WithMscc(m => m with { MotorDeficitDays = Fact<decimal>.Missing }),
        _ => throw new ArgumentOutOfRangeException(nameof(item)),
    };

    private static PatientFacts WithConflictingRadesItem(PatientFacts p, string item) => item switch
    {
        "primary-tumour-type" => p with { PrimaryTumour = Facts.Conflict<PrimaryTumourType>() },
        "interval-to-mscc" => p with { PrimaryDiagnosisDate = Facts.Conflict<PartialDate>() },
        "visceral-metastases" => p with { VisceralMetastases = Facts.Conflict<bool>() },
        "ambulatory-status" => p.WithMscc(m => m with { Ambulatory = Facts.Conflict<AmbulatoryStatus>() }),
        "motor-deficit-duration" => p.WithMscc(m => m with { MotorDeficitDays = Facts.Conflict<decimal>() }),
        _ => throw new ArgumentOutOfRangeException(nameof(item)),
    };

    [Theory]
    [MemberData(nameof(RadesItems))]
    public void Missing_Rades_item_withholds_the_score_names_the_item_and_falls_back_to_the_tumour_board(string item)
    {
        var result = WithoutRadesItem(Facts.MsccPatient(), item).Evaluate();

        Assert.Null(Assert.Single(result.Rades).Total);
        Assert.Null(Assert.Single(result.Rades).Group);
        var finding = Assert.Single(result.Findings, f => f.Item == item && f.SubjectId == "Condition/mscc");
        Assert.Equal(FindingKind.MissingItem, finding.Kind);
        var board = Assert.Single(result.Recs(RecommendationCodes.TumourBoard));
        Assert.True(board.Urgent);
        Assert.True(result.Radiotherapy("Condition/t10").Urgent);
    }

    [Fact]
    public void Missing_compression_onset_withholds_the_interval_item()
    {
        var result = Facts.MsccPatient().WithMscc(m => m with { Onset = Fact<PartialDate>.Missing }).Evaluate();

        Assert.Null(Assert.Single(result.Rades).Total);
        Assert.Contains(result.Findings, f => f.Item == "interval-to-mscc" && f.Kind == FindingKind.MissingItem);
    }

    [Theory]
    [MemberData(nameof(RadesItems))]
    public void Conflicting_Rades_item_is_an_error_and_withholds_the_score(string item)
    {
        var result = WithConflictingRadesItem(Facts.MsccPatient(), item).Evaluate();

        Assert.Null(Assert.Single(result.Rades).Total);
        var finding = Assert.Single(result.Findings, f => f.Item == item && f.SubjectId == "Condition/mscc");
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal(FindingKind.ConflictingItem, finding.Kind);
        Assert.Single(result.Recs(RecommendationCodes.TumourBoard));
    }

    [Fact]
    public void Every_missing_Rades_item_is_named()
    {
        var patient = (Facts.MsccPatient() with { PrimaryTumour = Fact<PrimaryTumourType>.Missing, VisceralMetastases = Fact<bool>.Missing })
            .WithMscc(m => m with { MotorDeficitDays = Fact<decimal>.Missing });

        var result = patient.Evaluate();

        Assert.Null(Assert.Single(result.Rades).Total);
        foreach (var item in new[] { "primary-tumour-type", "visceral-metastases", "motor-deficit-duration" })
        {
            Assert.Contains(result.Findings, f => f.Item == item && f.SubjectId == "Condition/mscc" && f.Kind == FindingKind.MissingItem);
        }

        Assert.DoesNotContain(result.Findings, f => f.Item is "ambulatory-status" or "interval-to-mscc");
    }

    [Fact]
    public void Complete_scores_have_no_missing_item_findings()
    {
        var patient = Facts.MsccPatient() with { Lesions = [Facts.Vertebra(), Facts.LongBone()] };

        var result = patient.Evaluate();

        Assert.NotNull(Assert.Single(result.Rades).Total);
        Assert.NotNull(Assert.Single(result.Mirels).Total);
        Assert.DoesNotContain(result.Findings, f => f.Kind is FindingKind.MissingItem or FindingKind.ConflictingItem
            && (Spec.MirelsItemCodes.Contains(f.Item) || Spec.RadesItemCodes.Contains(f.Item)));
        Assert.Empty(result.Recs(RecommendationCodes.TumourBoard));
    }
}

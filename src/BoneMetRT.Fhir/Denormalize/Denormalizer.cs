using System.Globalization;
using BoneMetRT.Domain;
using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Mirels;
using BoneMetRT.Domain.Rades;
using BoneMetRT.Domain.Regimens;
using BoneMetRT.Domain.Situations;
using BoneMetRT.Fhir.Normalize;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;
using IssueSeverity = Hl7.Fhir.Model.OperationOutcome.IssueSeverity;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace BoneMetRT.Fhir.Denormalize;

/// <summary>
/// Denormalize: domain → FHIR. Builds the response Bundle of <c>$assess</c> exactly as the contract (§3) describes:
/// a CarePlan, one RiskAssessment and one score Observation per computed score, one ServiceRequest per proposed
/// regimen, an OperationOutcome, the engine as a Device, and a Provenance. Ids are deterministic for a given input,
/// assessment date and language; references between outputs resolve inside the Bundle, references to inputs are the
/// caller's own.
/// </summary>
public sealed class Denormalizer
{
    private readonly AssessmentResult _r;
    private readonly NormalizedInput _input;
    private readonly Language _lang;
    private readonly OutputIds _ids;
    private readonly FhirDateTime _when;
    private readonly List<Bundle.EntryComponent> _entries = [];
    private readonly Dictionary<string, string> _riskBySubject = [];

    private Denormalizer(AssessmentResult r, NormalizedInput input, Language lang, string seed)
    {
        _r = r;
        _input = input;
        _lang = lang;
        _ids = new OutputIds(seed);
        _when = new FhirDateTime(r.AssessmentDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    /// <summary>Builds the response Bundle.</summary>
    /// <param name="result">The engine's result.</param>
    /// <param name="input">The normalized input (for references back to the caller's resources).</param>
    /// <param name="language">Language of narratives and texts.</param>
    /// <param name="seed">Seed of deterministic ids (a hash of the request).</param>
    /// <param name="issues">Issues found before the engine ran (ignored resources, validation warnings).</param>
    public static Bundle ToBundle(AssessmentResult result, NormalizedInput input, Language language, string seed, IEnumerable<Issue> issues) =>
        new Denormalizer(result, input, language, seed).Build(issues);

    private string L(LocalizedText t) => t.In(_lang);

    private ResourceReference PatientRef => new(_input.PatientKey);

    private static ResourceReference Ref(string key) => new(key);

    private Bundle Build(IEnumerable<Issue> issues)
    {
        var risks = new List<ResourceReference>();
        var scores = new List<Bundle.EntryComponent>();
        foreach (var m in _r.Mirels.Where(m => m.IsComputed))
        {
            var score = MirelsScore(m);
            scores.Add(score);
            risks.Add(new ResourceReference(MirelsRisk(m, score.FullUrl!).FullUrl));
        }

        foreach (var rades in _r.Rades.Where(r => r.IsComputed))
        {
            var score = RadesScore(rades);
            scores.Add(score);
            risks.Add(new ResourceReference(RadesRisk(rades, score.FullUrl!).FullUrl));
        }

        var riskEntries = _entries.ToList();
        _entries.Clear();
        var carePlan = Plan(risks, out var requests);
        var outcome = Outcome(issues);
        var device = Device();
        var all = new List<Bundle.EntryComponent> { carePlan };
        all.AddRange(riskEntries);
        all.AddRange(scores);
        all.AddRange(requests);
        if (outcome is not null)
        {
            all.Add(outcome);
        }

        all.Add(device);
        all.Add(Provenance(all, device.FullUrl!));

        var bundle = new Bundle
        {
            Id = _ids.Id("bundle"),
            Type = Bundle.BundleType.Collection,
            TimestampElement = new Instant(new DateTimeOffset(_r.AssessmentDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
        };
        bundle.Entry.AddRange(all);
        return bundle;
    }

    private Bundle.EntryComponent Entry(string role, Resource resource, string profile)
    {
        resource.Id = _ids.Id(role);
        if (profile.Length > 0)
        {
            resource.Meta = new Meta { Profile = [profile] };
        }

        resource.Language = _lang == Language.Fr ? "fr" : "en";
        return new Bundle.EntryComponent { FullUrl = "urn:uuid:" + resource.Id, Resource = resource };
    }

    private static CodeableConcept BoneMetCode(string code, string? display = null) => new(BoneMet, code, display);

    // ---- Scores -------------------------------------------------------------------------------------------------

    private Bundle.EntryComponent MirelsScore(MirelsResult m) =>
        Score("mirels-score/" + m.LesionId, "mirels-score", new("Mirels score", "Score de Mirels"), m.Items, m.Total!.Value, 12,
            m.Band!.Interpretation, m.Band.Label, m.LesionId, m.Rationale);

    private Bundle.EntryComponent RadesScore(RadesResult r) =>
        Score("rades-score/" + r.MsccId, "rades-score", new("Rades score", "Score de Rades"), r.Items, r.Total!.Value, 44,
            r.Group!.Interpretation, new($"group {r.Group.Number}", $"groupe {r.Group.Number}"), MsccLesion(r.MsccId), r.Rationale);

    /// <summary>The lesion Condition the compression comes from, when the input says (contract §3: focus the lesion where there is one).</summary>
    private string? MsccLesion(string msccId) =>
        _input.Facts.Compressions.FirstOrDefault(c => c.Id == msccId) is { LesionId: { } lesion } && _input.Index.ByKey(lesion) is Condition ? lesion : null;

    private Bundle.EntryComponent Score(string role, string code, LocalizedText name, IReadOnlyList<ScoreItem> items, int total, int max,
        string interpretation, LocalizedText band, string? focus, LocalizedText rationale)
    {
        var obs = new Observation
        {
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "survey", "Survey")],
            Code = BoneMetCode(code, name.En),
            Subject = PatientRef,
            Effective = _when,
            Value = new Integer(total),
            Interpretation = [BoneMetCode(interpretation)],
            Method = BoneMetCode(code == "mirels-score" ? "mirels" : "rades"),
        };
        obs.Interpretation[0].Text = L(band);
        obs.Code.Text = L(name);
        if (focus is not null)
        {
            obs.Focus.Add(Ref(focus));
        }

        foreach (var item in items)
        {
            obs.Component.Add(new Observation.ComponentComponent
            {
                Code = new CodeableConcept(BoneMet, item.Item, item.Name.En) { Text = $"{L(item.Name)}: {L(item.Answer!)}" },
                Value = new Integer(item.Points),
            });
        }

        foreach (var source in items.SelectMany(i => i.Sources).Distinct().Where(s => _input.Index.ByKey(s) is Observation))
        {
            obs.DerivedFrom.Add(Ref(source));
        }

        obs.Note.Add(Narrative.Note(rationale, _lang));
        obs.Text = Narrative.Of(_lang, $"{L(name)}: {total}/{max} ({L(band)})",
            [.. items.Select(i => $"{L(i.Name)}: {L(i.Answer!)} — {i.Points}"), L(rationale)]);
        return Entry(role, obs, Canonical.ScoreProfile);
    }

    // ---- Risk assessments ---------------------------------------------------------------------------------------

    private Bundle.EntryComponent MirelsRisk(MirelsResult m, string scoreUrl)
    {
        var ra = Risk("mirels", scoreUrl, m.Items.SelectMany(i => i.Sources), m.LesionId,
            new("pathological-fracture", "Pathological fracture", "Fracture pathologique"), m.Band!.FractureRisk, m.Band.QualitativeRisk,
            m.Band.Decision, m.Rationale);
        if (m.Lysis.Outcome is LysisOutcome.Positive or LysisOutcome.Negative)
        {
            ra.Note.Add(Narrative.Note(m.Lysis.Rationale, _lang));
        }

        ra.Text = Narrative.Of(_lang, L(new LocalizedText($"Fracture risk — {m.LesionLabel}", $"Risque fracturaire — {m.LesionLabel}")),
            [L(new LocalizedText($"Mirels {m.Total}/12: about {m.Band.FractureRisk.ToString("P0", CultureInfo.InvariantCulture)} risk of pathological fracture ({m.Band.QualitativeRisk}).",
                $"Mirels {m.Total}/12 : risque de fracture pathologique d'environ {m.Band.FractureRisk.ToString("P0", CultureInfo.InvariantCulture)} ({m.Band.QualitativeRisk}).")),
             L(m.Band.Decision), L(m.Lysis.Rationale), $"{L(Sections.Mirels.Title)} — {Sections.Mirels.Cite}"]);
        var entry = Entry("mirels-risk/" + m.LesionId, ra, Canonical.MirelsRiskProfile);
        _entries.Add(entry);
        _riskBySubject[m.LesionId] = entry.FullUrl!;
        return entry;
    }

    private Bundle.EntryComponent RadesRisk(RadesResult r, string scoreUrl)
    {
        var ra = Risk("rades", scoreUrl, r.Items.SelectMany(i => i.Sources), r.MsccId,
            new("ambulatory-after-radiotherapy", "Ambulatory after radiotherapy", "Maintien ambulatoire après radiothérapie"),
            r.Group!.AmbulatoryRate, r.Group.QualitativeRisk == "intermediate" ? "moderate" : r.Group.QualitativeRisk, r.Group.Meaning, r.Rationale);
        foreach (var caveat in r.Findings.Where(f => f.Kind == FindingKind.Caveat))
        {
            ra.Note.Add(Narrative.Note(caveat.Text, _lang));
        }

        ra.Text = Narrative.Of(_lang, L(new LocalizedText("Ambulatory status after radiotherapy (Rades)", "Statut ambulatoire après radiothérapie (Rades)")),
            [L(r.Rationale), .. r.Findings.Where(f => f.Kind == FindingKind.Caveat).Select(f => L(f.Text)), $"{L(Sections.Rades.Title)} — {Sections.Rades.Cite}"]);
        var entry = Entry("rades-risk/" + r.MsccId, ra, Canonical.RadesRiskProfile);
        _entries.Add(entry);
        _riskBySubject[r.MsccId] = entry.FullUrl!;
        if (MsccLesion(r.MsccId) is { } lesion)
        {
            // The urgent radiotherapy is proposed for the compressing lesion: its requests rest on the Rades risk too.
            _riskBySubject.TryAdd(lesion, entry.FullUrl!);
        }

        return entry;
    }

    private RiskAssessment Risk(string method, string scoreUrl, IEnumerable<string> sources, string condition,
        (string Code, string En, string Fr) outcome, decimal probability, string qualitative, LocalizedText mitigation, LocalizedText rationale)
    {
        var ra = new RiskAssessment
        {
            Status = ObservationStatus.Final,
            Method = BoneMetCode(method),
            Code = BoneMetCode(method == "mirels" ? "mirels-score" : "rades-score"),
            Subject = PatientRef,
            Occurrence = _when,
            Condition = Ref(condition),
            Basis = [new ResourceReference(scoreUrl), .. sources.Distinct().Select(Ref)],
            MitigationElement = Narrative.Text(mitigation, _lang),
        };
        var prediction = new RiskAssessment.PredictionComponent
        {
            Outcome = new CodeableConcept(BoneMet, outcome.Code, outcome.En) { Text = _lang == Language.Fr ? outcome.Fr : outcome.En },
            Probability = new FhirDecimal(probability * 100), // R4 ras-2: a percentage
            QualitativeRisk = new CodeableConcept(Canonical.RiskProbability, qualitative),
            RationaleElement = Narrative.Text(rationale, _lang),
        };
        ra.Prediction.Add(prediction);
        return ra;
    }

    // ---- CarePlan and ServiceRequests ---------------------------------------------------------------------------

    private Bundle.EntryComponent Plan(List<ResourceReference> risks, out List<Bundle.EntryComponent> requests)
    {
        requests = [];
        var plan = new CarePlan
        {
            Status = RequestStatus.Draft,
            Intent = CarePlan.CarePlanIntent.Proposal,
            Subject = PatientRef,
            Created = _when.Value,
            Title = L(new LocalizedText("Radiotherapy of bone metastases — proposal", "Radiothérapie des métastases osseuses — proposition")),
            Author = new ResourceReference(_ids.FullUrl("device")),
            SupportingInfo = risks,
        };
        plan.InstantiatesCanonical = [Canonical.AssessOperation];

        // The situations found, and those a proposal stands on (e.g. the post-operative course planned after surgery).
        foreach (var s in _r.Situations.Select(s => s.Situation).Concat(_r.Recommendations.SelectMany(r => r.Situations)).Distinct().Order())
        {
            plan.Category.Add(new CodeableConcept(BoneMet, s.Code(), s.Name().En) { Text = L(s.Name()) });
        }

        var addressed = _r.Mirels.Select(m => m.LesionId)
            .Concat(_r.Rades.Select(r => r.MsccId))
            .Concat(_r.Recommendations.Select(x => x.SubjectId).OfType<string>())
            .Distinct().Where(k => _input.Index.ByKey(k) is Condition);
        plan.Addresses.AddRange(addressed.Select(Ref));

        var lines = new List<string>();
        foreach (var s in _r.Situations)
        {
            lines.Add($"{L(s.Situation.Name())}: {L(s.Rationale)} ({s.Reference.Cite})");
        }

        foreach (var rec in _r.Recommendations)
        {
            var code = BoneMetCode(rec.Code);
            var activityExt = new Extension(Canonical.ActivityRecommendationExtension, code);
            if (rec.Regimens.Count > 0)
            {
                var i = 0;
                foreach (var option in rec.Regimens)
                {
                    var sr = Request(rec, option, i++);
                    requests.Add(sr);
                    plan.Activity.Add(new CarePlan.ActivityComponent { Extension = [activityExt], Reference = new ResourceReference(sr.FullUrl) });
                }
            }
            else
            {
                var detail = new CarePlan.DetailComponent
                {
                    Kind = CarePlan.CarePlanActivityKind.ServiceRequest,
                    Code = new CodeableConcept(BoneMet, rec.Code) { Text = L(rec.Text) },
                    Status = CarePlan.CarePlanActivityStatus.NotStarted,
                    DescriptionElement = Narrative.Text(LocalizedText.Join([rec.Text, rec.Rationale]), _lang),
                };
                if (rec.SubjectId is { } subject && _input.Index.ByKey(subject) is Condition)
                {
                    detail.ReasonReference.Add(Ref(subject));
                }

                plan.Activity.Add(new CarePlan.ActivityComponent { Extension = [activityExt], Detail = detail });
            }

            lines.Add($"{L(rec.Text)} {L(rec.Rationale)} ({rec.Reference.Cite})");
        }

        plan.Note.Add(Narrative.Note(_r.Oligometastatic.Rationale, _lang));
        lines.Add(L(_r.Oligometastatic.Rationale));
        plan.Description = L(new LocalizedText(
            $"Proposal of the BoneMetRT guideline engine {EngineInfo.Version} for review by the treating team; not an order.",
            $"Proposition du moteur BoneMetRT {EngineInfo.Version}, à valider par l'équipe soignante ; ce n'est pas une prescription."));
        plan.Text = Narrative.Of(_lang, plan.Title, lines);
        return Entry("careplan", plan, Canonical.CarePlanProfile);
    }

    private Bundle.EntryComponent Request(Recommendation rec, RegimenOption option, int n)
    {
        var r = option.Regimen;
        var sr = new ServiceRequest
        {
            Status = rec.OnHold ? RequestStatus.OnHold : RequestStatus.Draft,
            Intent = RequestIntent.Proposal,
            Category = [BoneMetCode(rec.Code)],
            Priority = rec.Urgent ? RequestPriority.Urgent : RequestPriority.Routine,
            Code = new CodeableConcept
            {
                Coding =
                [
                    new Coding(Snomed, RadiotherapyCourseSnomed, "Radiotherapy course of treatment"),
                    new Coding(BoneMet, r.Code, r.Name.En),
                ],
                Text = L(r.Name),
            },
            Subject = PatientRef,
            AuthoredOn = _when.Value,
            Requester = new ResourceReference(_ids.FullUrl("device")),
        };
        sr.Extension.Add(new Extension(Canonical.RegimenPreferenceExtension, new Code(option.Preferred ? "preferred" : "alternative")));
        sr.Extension.Add(new Extension
        {
            Url = Canonical.RegimenDoseExtension,
            Extension =
            [
                new Extension("totalDose", new Quantity(r.TotalDoseGy, "Gy", Ucum) { Unit = "Gy" }),
                new Extension("fractions", new PositiveInt(r.Fractions)),
            ],
        });
        if (rec.SubjectId is { } subject && _input.Index.ByKey(subject) is Condition)
        {
            sr.ReasonReference.Add(Ref(subject));
        }

        if (rec.SubjectId is { } s2 && _riskBySubject.TryGetValue(s2, out var risk))
        {
            sr.SupportingInfo.Add(new ResourceReference(risk));
        }

        if (rec.Window is { Start: { } start, End: { } end })
        {
            sr.Occurrence = new Period(new FhirDateTime(start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), new FhirDateTime(end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        var notes = new List<LocalizedText> { option.Why };
        if (rec.TargetVolume is { } tv)
        {
            notes.Add(new LocalizedText($"Target volume: {tv.Text.En}", $"Volume cible : {tv.Text.Fr}"));
        }

        if (option.Cord is { } cord)
        {
            notes.Add(cord.Text);
        }

        if (rec.OnHold)
        {
            notes.Add(rec.Window?.Status == WindowStatus.HeldDateUnknown
                ? new LocalizedText("On hold: the day of the operation is not known, so the post-operative window cannot be placed (postoperative-radiotherapy-hold).",
                    "Suspendu : le jour de l'intervention n'est pas connu, la fenêtre post-opératoire ne peut être placée (postoperative-radiotherapy-hold).")
                : new LocalizedText("On hold: skin not healed or not documented (postoperative-radiotherapy-hold).", "Suspendu : peau non cicatrisée ou non documentée (postoperative-radiotherapy-hold)."));
        }

        if (rec.After is { } after)
        {
            // Issue 10 turns this sequence into RequestGroup actions; until then the order is stated on the request itself.
            notes.Add(new LocalizedText($"Sequence: {after.AfterCode} first; this course starts {after.Text.En}.",
                $"Séquence : {after.AfterCode} d'abord ; ce traitement débute {after.Text.Fr}."));
        }

        sr.Note.AddRange(notes.Select(t => Narrative.Note(t, _lang)));
                var title = $"{L(r.Name)} — {(option.Preferred ? L(new LocalizedText("preferred", "préféré")) : L(new LocalizedText("alternative", "alternative")))}"
            + (rec.SubjectLabel is { Length: > 0 } label ? $" — {label}" : "");
        sr.Text = Narrative.Of(_lang, title, [L(rec.Text), .. notes.Select(L), L(rec.Rationale), rec.Reference.Cite]);
        return Entry($"request/{rec.Code}/{rec.SubjectId}/{n}/{r.Code}", sr, Canonical.RadiotherapyRequestProfile);
    }

    // ---- OperationOutcome, Device, Provenance -------------------------------------------------------------------

    private Bundle.EntryComponent? Outcome(IEnumerable<Issue> issues)
    {
        var all = issues.Concat(_r.Findings.Select(FromFinding)).ToList();
        if (all.Count == 0)
        {
            return null;
        }

        var oo = OperationOutcomes.From(all, _lang);
        oo.Text = Narrative.Of(_lang, L(new LocalizedText("Notes on the assessment", "Remarques sur l'évaluation")),
            all.Select(i => $"{i.Severity}: {L(i.Text)}"));
        return Entry("outcome", oo, "");
    }

    private Issue FromFinding(Finding f)
    {
        var severity = f.Severity switch
        {
            Severity.Error => IssueSeverity.Error,
            Severity.Warning => IssueSeverity.Warning,
            _ => IssueSeverity.Information,
        };
        var (type, code) = f.Kind switch
        {
            FindingKind.MissingItem => (IssueType.Incomplete, "missing-item"),
            FindingKind.ConflictingItem => (IssueType.Conflict, "conflicting-item"),
            FindingKind.InvalidItem => (IssueType.Value, "conflicting-item"),
            FindingKind.Caveat => (IssueType.BusinessRule, f.Item == "prior-radiotherapy" ? "reirradiation" : "nsclc-caveat"),
            FindingKind.Discrepancy => (IssueType.Informational, "guideline-discrepancy"),
            FindingKind.NotApplicable => (IssueType.NotSupported, "score-not-applicable"),
            _ => (IssueType.Informational, (string?)null),
        };
        if (f.Kind == FindingKind.InvalidItem)
        {
            code = null;
        }

        var expressions = f.Sources.Select(s => _input.Index.Expression(s)).OfType<string>().Distinct().ToList();
        if (expressions.Count == 0 && f.SubjectId is { } subj && _input.Index.Expression(subj) is { } e)
        {
            expressions.Add(e);
        }

        if (expressions.Count == 0 && _input.Index.Expression(_input.PatientKey) is { } patient)
        {
            // A patient-wide item with no input at all: point at the Patient the item is missing for.
            expressions.Add(patient);
        }

        var text = LocalizedText.Join([f.Text, new($"({f.Reference.Cite})", $"({f.Reference.Cite})")]);
        return new Issue(severity, type, text, code, expressions);
    }

    private Bundle.EntryComponent Device()
    {
        var device = new Device
        {
            Status = Hl7.Fhir.Model.Device.FHIRDeviceStatus.Active,
            DeviceName = [new Device.DeviceNameComponent { Name = EngineInfo.Name, Type = DeviceNameType.ManufacturerName }],
            Version = [new Device.VersionComponent { Value = EngineInfo.Version }],
            Type = new CodeableConcept { Text = "Clinical decision support software" },
        };
        device.Text = Narrative.Of(_lang, $"{EngineInfo.Name} {EngineInfo.Version}",
            [L(new LocalizedText($"Cord α/β {_r.Settings.CordAlphaBetaGy} Gy.", $"α/β médullaire {_r.Settings.CordAlphaBetaGy} Gy."))]);
        return Entry("device", device, "");
    }

    private Bundle.EntryComponent Provenance(List<Bundle.EntryComponent> outputs, string deviceUrl)
    {
        var prov = new Provenance
        {
            Target = [.. outputs.Where(e => e.Resource is not Hl7.Fhir.Model.Device).Select(e => new ResourceReference(e.FullUrl))],
            RecordedElement = new Instant(new DateTimeOffset(_r.AssessmentDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
            Policy = [Canonical.AssessOperation],
            Agent =
            [
                new Provenance.AgentComponent
                {
                    Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "assembler", "Assembler"),
                    Who = new ResourceReference(deviceUrl),
                },
            ],
        };
        var used = _input.Index.Resources.Select(x => _input.Index.Key(x.Index)).Distinct();
        foreach (var key in used)
        {
            prov.Entity.Add(new Provenance.EntityComponent { Role = Hl7.Fhir.Model.Provenance.ProvenanceEntityRole.Source, What = Ref(key) });
        }

        prov.Text = Narrative.Of(_lang, L(new LocalizedText("Provenance", "Provenance")),
            [L(new LocalizedText($"Computed by {EngineInfo.Name} {EngineInfo.Version} on {_r.AssessmentDate:yyyy-MM-dd} from {prov.Entity.Count} input resources.",
                $"Calculé par {EngineInfo.Name} {EngineInfo.Version} le {_r.AssessmentDate:yyyy-MM-dd} à partir de {prov.Entity.Count} ressources d'entrée."))]);
        return Entry("provenance", prov, "");
    }
}

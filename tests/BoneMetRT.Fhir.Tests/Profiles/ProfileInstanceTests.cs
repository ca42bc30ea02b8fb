namespace BoneMetRT.Fhir.Tests.Profiles;

/// <summary>
/// Sample instances validated against the profiles of <c>fhir-profiles/</c>: each profile accepts a conforming
/// instance and rejects the mistakes it is there to catch.
/// </summary>
[Collection(ConformancePackageCollection.Name)]
public sealed class ProfileInstanceTests(ConformancePackage package)
{
    private const string Bonemet = ConformancePackage.CodeSystemUrl;
    private const string Sd = ConformancePackage.Canonical + "/StructureDefinition/";
    private const string Ucum = "http://unitsofmeasure.org";

    /// <summary>Valid instances, one or more per profile.</summary>
    public static TheoryData<string, string> ValidInstances => new()
    {
        { "bonemet-mirels-site", Observation("mirels-site", CodedValue("upper-limb"), focus: true) },
        { "bonemet-mirels-size", Observation("mirels-size", CodedValue("gt-two-thirds"), focus: true) },
        { "bonemet-mirels-size", Observation("mirels-size", QuantityValue(45, "%"), focus: true) },
        { "bonemet-lesion-type", Observation("lesion-type", CodedValue("lytic"), focus: true) },
        { "bonemet-mirels-pain", Observation("mirels-pain", CodedValue("functional"), focus: true) },
        { "bonemet-cortical-lysis-axial", Observation("cortical-lysis-axial", QuantityValue(35, "mm"), focus: true) },
        { "bonemet-cortical-lysis-axial", Observation("cortical-lysis-axial", QuantityValue(40, "%"), focus: true) },
        { "bonemet-cortical-lysis-circumferential", Observation("cortical-lysis-circumferential", QuantityValue(60, "%")) },
        { "bonemet-primary-tumour-type", Observation("primary-tumour-type", CodedValue("nsclc")) },
        { "bonemet-ambulatory-status", Observation("ambulatory-status", CodedValue("ambulatory-with-aid")) },
        { "bonemet-motor-deficit-duration", Observation("motor-deficit-duration", QuantityValue(10, "d")) },
        { "bonemet-boolean-finding", Observation("skin-healed", """ "valueBoolean": true """) },
        { "bonemet-boolean-finding", Observation("visceral-metastases", """ "valueBoolean": false """) },
        {
            "bonemet-mirels-pain",
            Observation("mirels-pain", """ "dataAbsentReason": { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason", "code": "asked-unknown" } ] } """)
        },
        { "bonemet-bone-metastasis", BoneMetastasis("94222008") },
        { "bonemet-score", ScoreWith(interpretation: true, points: "2") },
        { "bonemet-mirels-risk", Risk("mirels", "pathological-fracture", "high", 33) },
        { "bonemet-rades-risk", Risk("rades", "not-ambulatory-after-radiotherapy", "moderate", 29) },
        { "bonemet-careplan", CarePlan(withRecommendation: true) },
        { "bonemet-radiotherapy-request", RadiotherapyRequest("rt-30gy-10fx", "Gy", "preferred") },
        { "bonemet-radiotherapy-request", RadiotherapyRequest("rt-8gy-1fx", "Gy", "alternative") },
        { "bonemet-request-group", RequestGroup("exactly-one", "yes", "step") },
        { "bonemet-assess-data", AssessData },
        { "bonemet-assess-parameters", $$"""{ "resourceType": "Parameters", "parameter": [ { "name": "data", "resource": {{AssessData}} }, { "name": "language", "valueCode": "fr" } ] }""" },
        { "bonemet-assess-instance-parameters", """{ "resourceType": "Parameters", "parameter": [ { "name": "assessmentDate", "valueDate": "2026-03-16" } ] }""" },
        { "bonemet-assess-response", GoldenAnswer },
        { "bonemet-assess-output", $$"""{ "resourceType": "Parameters", "parameter": [ { "name": "return", "resource": {{GoldenAnswer}} } ] }""" },
    };

    /// <summary>The smallest data Bundle $assess takes: one Patient.</summary>
    private const string AssessData = """{ "resourceType": "Bundle", "type": "collection", "entry": [ { "fullUrl": "urn:uuid:0b7c1a34-8b5e-4f57-9a51-3c1c2f6d1e01", "resource": { "resourceType": "Patient", "id": "p1" } } ] }""";

    /// <summary>A reviewed answer of the service (a golden file of examples/).</summary>
    private static string GoldenAnswer => File.ReadAllText(Path.Combine(RepoPaths.Root, "examples", "valid", "__snapshots__", "fracture-femur-mirels-8.snap"));

    /// <summary>Invalid instances: what each profile must reject, and a fragment of the error that says why.</summary>
    public static TheoryData<string, string, string, string> InvalidInstances => new()
    {
        { "answer outside the value set", "bonemet-mirels-site", Observation("mirels-site", CodedValue("lytic")), "ValueSet/mirels-site" },
        { "wrong observation code", "bonemet-mirels-site", Observation("lesion-type", CodedValue("upper-limb")), "Observation.code" },
        { "no subject", "bonemet-lesion-type", Observation("lesion-type", CodedValue("lytic"), subject: false), "'subject'" },
        { "neither value nor dataAbsentReason", "bonemet-lesion-type", Observation("lesion-type", null), "bonemet-obs-1" },
        { "size above 100 %", "bonemet-mirels-size", Observation("mirels-size", QuantityValue(140, "%")), "larger than 100" },
        { "size in mm", "bonemet-mirels-size", Observation("mirels-size", QuantityValue(20, "mm")), "fixed value '%'" },
        { "axial lysis in cm", "bonemet-cortical-lysis-axial", Observation("cortical-lysis-axial", QuantityValue(3, "cm")), "bonemet-lysis-1" },
        { "axial lysis above 100 %", "bonemet-cortical-lysis-axial", Observation("cortical-lysis-axial", QuantityValue(130, "%")), "bonemet-lysis-2" },
        { "duration in weeks", "bonemet-motor-deficit-duration", Observation("motor-deficit-duration", QuantityValue(2, "wk")), "fixed value 'd'" },
        { "boolean finding with a coded value", "bonemet-boolean-finding", Observation("skin-healed", CodedValue("mild")), "(boolean)" },
        { "boolean finding with a non-boolean code", "bonemet-boolean-finding", Observation("mirels-site", """ "valueBoolean": true """), "ValueSet/boolean-finding-codes" },
        { "bone metastasis without SNOMED CT 94222008", "bonemet-bone-metastasis", BoneMetastasis("128462008"), "Condition.code" },
        { "score without interpretation", "bonemet-score", ScoreWith(interpretation: false, points: "2"), "'interpretation'" },
        { "score item as a string", "bonemet-score", ScoreWith(interpretation: true, points: "\"2\""), "(integer)" },
        { "risk with another method", "bonemet-mirels-risk", Risk("rades", "pathological-fracture", "high", 33), "RiskAssessment.method" },
        { "risk with another outcome", "bonemet-rades-risk", Risk("rades", "pathological-fracture", "high", 33), "RiskAssessment.prediction[0].outcome" },
        { "qualitative risk outside risk-probability", "bonemet-mirels-risk", Risk("mirels", "pathological-fracture", "very-high", 33), "ValueSet/risk-probability" },
        { "probability above 100", "bonemet-mirels-risk", Risk("mirels", "pathological-fracture", "high", 330), "ras-2" },
        { "care plan activity without recommendation", "bonemet-careplan", CarePlan(withRecommendation: false), "extension:recommendation" },
        { "regimen dose in cGy", "bonemet-radiotherapy-request", RadiotherapyRequest("rt-30gy-10fx", "cGy", "preferred"), "slice totalDose" },
        { "unknown regimen", "bonemet-radiotherapy-request", RadiotherapyRequest("rt-40gy-20fx", "Gy", "preferred"), "bonemet-rt-1" },
        { "regimen as a second coding of code", "bonemet-radiotherapy-request", RadiotherapyRequest("rt-30gy-10fx", "Gy", "preferred", regimenInCode: true), "bonemet-rt-2" },
        { "curative intent", "bonemet-radiotherapy-request", RadiotherapyRequest("rt-30gy-10fx", "Gy", "preferred", intent: "373808002"), "ValueSet/treatment-intents" },
        { "unknown preference", "bonemet-radiotherapy-request", RadiotherapyRequest("rt-30gy-10fx", "Gy", "maybe"), "ValueSet/regimen-preference" },
        { "no regimen extensions", "bonemet-radiotherapy-request", RadiotherapyRequestWithoutExtensions, "extension:regimenDose" },
        { "course that lets several regimens be chosen", "bonemet-request-group", RequestGroup("any", "yes", "step"), "bonemet-rg-1" },
        { "two regimens pre-checked", "bonemet-request-group", RequestGroup("exactly-one", "yes", "step", secondPrecheck: "yes"), "bonemet-rg-2" },
        { "related action to nothing", "bonemet-request-group", RequestGroup("exactly-one", "yes", "surgery"), "bonemet-rg-3" },
    };

    [Fact]
    public void EveryProfileHasAConformingSample()
    {
        var sampled = ValidInstances.Select(row => (string)row[0]).ToHashSet();
        var profiles = package.LoadAll().OfType<Hl7.Fhir.Model.StructureDefinition>()
            .Where(sd => sd.Type != "Extension")
            .Select(sd => sd.Id!)
            .ToList();

        Assert.NotEmpty(profiles);
        Assert.All(profiles, id => Assert.Contains(id, sampled));
    }

    [Theory]
    [MemberData(nameof(ValidInstances))]
    public void ProfileAcceptsConformingInstance(string profile, string json)
    {
        var errors = package.Errors(package.Parse(json), Sd + profile);

        Assert.True(errors.Count == 0, $"{profile}:\n" + string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(InvalidInstances))]
    public void ProfileRejectsNonConformingInstance(string mistake, string profile, string json, string because)
    {
        var errors = package.Errors(package.Parse(json), Sd + profile);

        Assert.True(errors.Count > 0, $"{profile} accepted an instance with {mistake}");
        Assert.True(
            errors.Any(e => e.Contains(because, StringComparison.Ordinal)),
            $"{profile} rejected an instance with {mistake}, but not for the expected reason ({because}):\n" + string.Join("\n", errors));
    }

    private static string CodedValue(string code) =>
        $$""" "valueCodeableConcept": { "coding": [ { "system": "{{Bonemet}}", "code": "{{code}}" } ] } """;

    private static string QuantityValue(decimal value, string unit) =>
        $$""" "valueQuantity": { "value": {{value}}, "unit": "{{unit}}", "system": "{{Ucum}}", "code": "{{unit}}" } """;

    private static string Observation(string code, string? value, bool focus = false, bool subject = true) =>
        $$"""
        {
          "resourceType": "Observation",
          "id": "{{code}}",
          "status": "final",
          "code": { "coding": [ { "system": "{{Bonemet}}", "code": "{{code}}" } ] },
          {{(subject ? "\"subject\": { \"reference\": \"Patient/p1\" }," : "")}}
          {{(focus ? "\"focus\": [ { \"reference\": \"Condition/lesion1\" } ]," : "")}}
          "effectiveDateTime": "2026-11-20"
          {{(value is null ? "" : "," + value)}}
        }
        """;

    private static string BoneMetastasis(string snomed) =>
        $$"""
        {
          "resourceType": "Condition",
          "id": "lesion1",
          "clinicalStatus": { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active" } ] },
          "code": { "coding": [ { "system": "http://snomed.info/sct", "code": "{{snomed}}" } ] },
          "bodySite": [ { "coding": [ { "system": "http://snomed.info/sct", "code": "71341001", "display": "Bone structure of femur" } ] } ],
          "subject": { "reference": "Patient/p1" }
        }
        """;

    private static string ScoreWith(bool interpretation, string points) =>
        $$"""
        {
          "resourceType": "Observation",
          "id": "mirels",
          "status": "final",
          "code": { "coding": [ { "system": "{{Bonemet}}", "code": "mirels-score" } ] },
          "subject": { "reference": "Patient/p1" },
          "focus": [ { "reference": "Condition/lesion1" } ],
          "effectiveDateTime": "2026-11-26",
          "valueInteger": 10,
          {{(interpretation ? Interpretations : "")}}
          "derivedFrom": [ { "reference": "Observation/mirels-site" } ],
          "component": [
            { "code": { "coding": [ { "system": "{{Bonemet}}", "code": "mirels-site" } ] }, {{(points.StartsWith('"') ? "\"valueString\"" : "\"valueInteger\"")}}: {{points}} },
            { "code": { "coding": [ { "system": "{{Bonemet}}", "code": "mirels-size" } ] }, "valueInteger": 3 },
            { "code": { "coding": [ { "system": "{{Bonemet}}", "code": "lesion-type" } ] }, "valueInteger": 3 },
            { "code": { "coding": [ { "system": "{{Bonemet}}", "code": "mirels-pain" } ] }, "valueInteger": 2 }
          ]
        }
        """;

    private static string Interpretations =>
        $$"""
          "interpretation": [
            { "coding": [ { "system": "{{Bonemet}}", "code": "mirels-fixation" } ] },
            { "coding": [ { "system": "{{Bonemet}}", "code": "lysis-rule-positive" } ] }
          ],
        """;

    private static string Risk(string method, string outcome, string qualitative, decimal percent) =>
        $$"""
        {
          "resourceType": "RiskAssessment",
          "id": "{{method}}",
          "status": "final",
          "method": { "coding": [ { "system": "{{Bonemet}}", "code": "{{method}}" } ] },
          "subject": { "reference": "Patient/p1" },
          "basis": [ { "reference": "Observation/score" } ],
          "prediction": [
            {
              "outcome": { "coding": [ { "system": "{{Bonemet}}", "code": "{{outcome}}" } ] },
              "probabilityDecimal": {{percent}},
              "qualitativeRisk": { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/risk-probability", "code": "{{qualitative}}" } ] }
            }
          ]
        }
        """;

    private static string CarePlan(bool withRecommendation) =>
        $$"""
        {
          "resourceType": "CarePlan",
          "id": "plan",
          "status": "draft",
          "intent": "proposal",
          "category": [ { "coding": [ { "system": "{{Bonemet}}", "code": "fracture-prevention" } ] } ],
          "subject": { "reference": "Patient/p1" },
          "addresses": [ { "reference": "Condition/lesion1" } ],
          "supportingInfo": [ { "reference": "RiskAssessment/mirels" } ],
          "activity": [
            {
              {{(withRecommendation ? Recommendation("radiotherapy") + "," : "")}}
              "reference": { "reference": "RequestGroup/rg1" }
            },
            {
              {{Recommendation("prophylactic-fixation")}},
              "detail": {
                "code": { "coding": [ { "system": "{{Bonemet}}", "code": "prophylactic-fixation" } ] },
                "status": "not-started"
              }
            }
          ]
        }
        """;

    private static string RequestGroup(string selection, string precheck, string relatedTo, string secondPrecheck = "no") =>
        $$"""
        {
          "resourceType": "RequestGroup",
          "id": "rg1",
          "status": "draft",
          "intent": "proposal",
          "code": { "coding": [ { "system": "{{Bonemet}}", "code": "radiotherapy" } ] },
          "subject": { "reference": "Patient/p1" },
          "action": [
            {
              "id": "step",
              "code": [ { "coding": [ { "system": "{{Bonemet}}", "code": "prophylactic-fixation" } ] } ],
              "resource": { "reference": "ServiceRequest/fixation" }
            },
            {
              "id": "course",
              "condition": [ { "kind": "applicability", "expression": { "language": "text/plain", "expression": "the skin is healed" } } ],
              "relatedAction": [ {
                "actionId": "{{relatedTo}}",
                "relationship": "after-end",
                "offsetRange": {
                  "low": { "value": 15, "unit": "days", "system": "{{Ucum}}", "code": "d" },
                  "high": { "value": 21, "unit": "days", "system": "{{Ucum}}", "code": "d" }
                }
              } ],
              "selectionBehavior": "{{selection}}",
              "action": [
                { "precheckBehavior": "{{precheck}}", "resource": { "reference": "ServiceRequest/rt1" } },
                { "precheckBehavior": "{{secondPrecheck}}", "resource": { "reference": "ServiceRequest/rt2" } }
              ]
            }
          ]
        }
        """;

    private static string Recommendation(string code) =>
        $$"""
        "extension": [ {
          "url": "{{Sd}}activity-recommendation",
          "valueCodeableConcept": { "coding": [ { "system": "{{Bonemet}}", "code": "{{code}}" } ] }
        } ]
        """;

    private static string RadiotherapyRequest(string regimen, string doseUnit, string preference, string intent = "363676003", bool regimenInCode = false) =>
        $$"""
        {
          "resourceType": "ServiceRequest",
          "id": "rt1",
          "extension": [
            {
              "url": "{{Sd}}regimen-dose",
              "extension": [
                { "url": "totalDose", "valueQuantity": { "value": 30, "unit": "{{doseUnit}}", "system": "{{Ucum}}", "code": "{{doseUnit}}" } },
                { "url": "fractions", "valuePositiveInt": 10 }
              ]
            },
            { "url": "{{Sd}}regimen-preference", "valueCode": "{{preference}}" },
            { "url": "{{Sd}}treatment-intent", "valueCodeableConcept": { "coding": [ { "system": "http://snomed.info/sct", "code": "{{intent}}" } ] } }
          ],
          {{RadiotherapyRequestBody(regimen, regimenInCode)}}
        }
        """;

    private static string RadiotherapyRequestWithoutExtensions =>
        $$"""
        {
          "resourceType": "ServiceRequest",
          "id": "rt1",
          {{RadiotherapyRequestBody("rt-30gy-10fx")}}
        }
        """;

    private static string RadiotherapyRequestBody(string regimen, bool regimenInCode = false) =>
        $$"""
          "status": "draft",
          "intent": "proposal",
          "category": [ { "coding": [ { "system": "http://snomed.info/sct", "code": "1287742003", "display": "Radiotherapy (procedure)" } ] } ],
          "priority": "urgent",
          "code": {
            "coding": [
              { "system": "http://snomed.info/sct", "code": "1217123003", "display": "Radiotherapy course of treatment (regime/therapy)" }
              {{(regimenInCode ? RegimenCoding(regimen) : "")}}
            ]
          },
          "orderDetail": [
            { "coding": [ { "system": "{{Bonemet}}", "code": "{{regimen}}" } ], "text": "30 Gy in 10 fractions" },
            { "coding": [ { "system": "{{Bonemet}}", "code": "target-volume" } ], "text": "Include the whole involved bone and the hardware." }
          ],
          "subject": { "reference": "Patient/p1" },
          "occurrencePeriod": { "start": "2026-12-10", "end": "2026-12-17" },
          "reasonReference": [ { "reference": "Condition/lesion1" } ],
          "bodySite": [ { "coding": [ { "system": "http://snomed.info/sct", "code": "71341001", "display": "Bone structure of femur" } ] } ],
          "note": [ { "text": "The most classic schedule." } ]
        """;

    private static string RegimenCoding(string regimen) =>
        $$""", { "system": "{{Bonemet}}", "code": "{{regimen}}" }""";
}

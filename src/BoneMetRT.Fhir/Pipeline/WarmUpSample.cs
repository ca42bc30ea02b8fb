using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Pipeline;

/// <summary>
/// A made-up $assess request that touches what real requests touch (a Patient, Conditions, a Procedure, LOINC and
/// bonemet Observations): run once at start-up so that the first real request finds the validation schemas compiled
/// and the code paths compiled. Not clinical data.
/// </summary>
internal static class WarmUpSample
{
    private const string Json = """
        {"resourceType":"Parameters","parameter":[
         {"name":"data","resource":{"resourceType":"Bundle","type":"collection","entry":[
          {"fullUrl":"urn:uuid:5a7e0000-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","name":[{"family":"Warm-up"}],"gender":"unknown","birthDate":"1960-01-01"}},
          {"fullUrl":"urn:uuid:5a7e0000-0000-4000-8000-000000000002","resource":{"resourceType":"Condition",
            "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
            "verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"confirmed"}]},
            "code":{"coding":[{"system":"http://snomed.info/sct","code":"254837009","display":"Malignant neoplasm of breast"}]},
            "subject":{"reference":"urn:uuid:5a7e0000-0000-4000-8000-000000000001"},"onsetDateTime":"2020-01-01"}},
          {"fullUrl":"urn:uuid:5a7e0000-0000-4000-8000-000000000003","resource":{"resourceType":"Condition",
            "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
            "verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"confirmed"}]},
            "code":{"coding":[{"system":"http://snomed.info/sct","code":"94222008","display":"Secondary malignant neoplasm of bone"}]},
            "bodySite":[{"coding":[{"system":"http://snomed.info/sct","code":"71341001","display":"Bone structure of femur"}]}],
            "subject":{"reference":"urn:uuid:5a7e0000-0000-4000-8000-000000000001"},"onsetDateTime":"2026-01-01"}},
          {"fullUrl":"urn:uuid:5a7e0000-0000-4000-8000-000000000004","resource":{"resourceType":"Procedure","status":"completed",
            "code":{"coding":[{"system":"http://snomed.info/sct","code":"257836008","display":"Internal fixation using intramedullary nail"}]},
            "subject":{"reference":"urn:uuid:5a7e0000-0000-4000-8000-000000000001"},"performedDateTime":"2026-01-20",
            "reasonReference":[{"reference":"urn:uuid:5a7e0000-0000-4000-8000-000000000003"}]}},
          {"fullUrl":"urn:uuid:5a7e0000-0000-4000-8000-000000000005","resource":{"resourceType":"Observation","status":"final",
            "code":{"coding":[{"system":"https://bonemetrt.org/fhir/CodeSystem/bonemet","code":"skin-healed"}]},
            "subject":{"reference":"urn:uuid:5a7e0000-0000-4000-8000-000000000001"},
            "focus":[{"reference":"urn:uuid:5a7e0000-0000-4000-8000-000000000004"}],"effectiveDateTime":"2026-02-01","valueBoolean":true}},
          {"fullUrl":"urn:uuid:5a7e0000-0000-4000-8000-000000000006","resource":{"resourceType":"Observation","status":"final",
            "code":{"coding":[{"system":"https://bonemetrt.org/fhir/CodeSystem/bonemet","code":"mirels-size"}]},
            "subject":{"reference":"urn:uuid:5a7e0000-0000-4000-8000-000000000001"},
            "focus":[{"reference":"urn:uuid:5a7e0000-0000-4000-8000-000000000003"}],"effectiveDateTime":"2026-02-01",
            "valueQuantity":{"value":50,"unit":"%","system":"http://unitsofmeasure.org","code":"%"}}},
          {"fullUrl":"urn:uuid:5a7e0000-0000-4000-8000-000000000007","resource":{"resourceType":"Observation","status":"final",
            "code":{"coding":[{"system":"http://loinc.org","code":"72514-3"}]},
            "subject":{"reference":"urn:uuid:5a7e0000-0000-4000-8000-000000000001"},"effectiveDateTime":"2026-02-01","valueInteger":5}},
          {"fullUrl":"urn:uuid:5a7e0000-0000-4000-8000-000000000008","resource":{"resourceType":"Observation","status":"final",
            "code":{"coding":[{"system":"http://loinc.org","code":"89247-1"}]},
            "subject":{"reference":"urn:uuid:5a7e0000-0000-4000-8000-000000000001"},"effectiveDateTime":"2026-02-01","valueInteger":1}}
         ]}},
         {"name":"assessmentDate","valueDateTime":"2026-02-10"}]}
        """;

    /// <summary>The request, parsed afresh (the pipeline must not share instances across calls).</summary>
    public static Resource Request() =>
        FhirSerialization.Parse(System.Text.Encoding.UTF8.GetBytes(Json), FhirFormat.Json).Value
            ?? throw new InvalidOperationException("The warm-up sample does not parse.");
}

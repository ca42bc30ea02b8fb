using System.Security.Cryptography;
using System.Text;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;

namespace BoneMetRT.Fhir.Tests.Builders;

/// <summary>How entries are addressed: the three ways the contract resolves a reference.</summary>
public enum RefStyle
{
    /// <summary>fullUrl <c>http://example.org/fhir/Type/id</c>, references <c>Type/id</c>.</summary>
    Relative,
    /// <summary>fullUrl <c>urn:uuid:…</c>, resources without id, references the urn.</summary>
    UrnUuid,
    /// <summary>fullUrl <c>http://example.org/fhir/Type/id</c>, references the same absolute URL.</summary>
    Absolute,
}

/// <summary>
/// A small in-code builder of a patient's input Bundle (fhir-contract.md §2). Every method adds one entry and returns
/// the resource so a test can point other resources at it. The first Patient added is the default subject.
/// </summary>
public sealed class PatientBundle
{
    /// <summary>Base of the example fullUrls.</summary>
    public const string Server = "http://example.org/fhir/";

    private readonly RefStyle _style;
    private Patient? _subject;

    /// <summary>A new Bundle of the given type.</summary>
    public PatientBundle(Bundle.BundleType? type = Bundle.BundleType.Collection, RefStyle style = RefStyle.Relative)
    {
        _style = style;
        Bundle = new Bundle { Type = type };
    }

    /// <summary>The Bundle being built.</summary>
    public Bundle Bundle { get; }

    /// <summary>A Bundle with one Patient <c>p1</c>.</summary>
    public static PatientBundle WithPatient(RefStyle style = RefStyle.Relative, Bundle.BundleType type = Bundle.BundleType.Collection)
    {
        var b = new PatientBundle(type, style);
        b.Patient("p1");
        return b;
    }

    // ---- Addressing --------------------------------------------------------------------------------------------

    /// <summary>Adds a resource as an entry, with a fullUrl in the builder's style.</summary>
    public T Add<T>(T resource, string id) where T : Resource
    {
        string fullUrl;
        if (_style == RefStyle.UrnUuid)
        {
            resource.Id = null;
            fullUrl = "urn:uuid:" + Uuid(resource.TypeName + "/" + id);
        }
        else
        {
            resource.Id = id;
            fullUrl = Server + resource.TypeName + "/" + id;
        }

        Bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = fullUrl, Resource = resource });
        return resource;
    }

    /// <summary>Index of a resource's entry.</summary>
    public int IndexOf(Resource resource) => Bundle.Entry.FindIndex(e => ReferenceEquals(e.Resource, resource));

    /// <summary>FHIRPath of a resource's entry, as the Normalizer writes it with prefix <c>Bundle</c>.</summary>
    public string Expr(Resource resource, string? element = null) =>
        $"Bundle.entry[{IndexOf(resource)}].resource" + (element is null ? "" : "." + element);

    /// <summary>The fullUrl of a resource's entry.</summary>
    public string FullUrl(Resource resource) => Bundle.Entry[IndexOf(resource)].FullUrl ?? throw new InvalidOperationException("no fullUrl");

    /// <summary>The reference string another resource uses for this one, in the builder's style.</summary>
    public string RefTo(Resource resource) => _style switch
    {
        RefStyle.Relative => $"{resource.TypeName}/{resource.Id}",
        _ => FullUrl(resource),
    };

    /// <summary>A reference to a resource of the Bundle.</summary>
    public ResourceReference R(Resource resource) => new(RefTo(resource));

    /// <summary>The source key the Normalizer gives a resource (<c>Type/id</c>, or the fullUrl when it has no id).</summary>
    public string Key(Resource resource) => resource.Id is { Length: > 0 } id ? $"{resource.TypeName}/{id}" : FullUrl(resource);

    private static string Uuid(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    // ---- Resources ---------------------------------------------------------------------------------------------

    /// <summary>Adds a Patient; the first one becomes the default subject.</summary>
    public Patient Patient(string id = "p1")
    {
        var p = Add(new Patient { Gender = AdministrativeGender.Female, BirthDate = "1955-04-02" }, id);
        _subject ??= p;
        return p;
    }

    private ResourceReference Subject(Patient? subject) =>
        R(subject ?? _subject ?? throw new InvalidOperationException("Add a Patient first."));

    /// <summary>A bone metastasis (SNOMED 94222008) with a SNOMED body site, or none.</summary>
    public Condition Lesion(string id, string? bodySite, string? siteText = null, Patient? subject = null)
    {
        var c = Condition(id, CodeSystems.Snomed, BoneMetastasisSnomed, subject: subject);
        if (bodySite is not null)
        {
            c.BodySite.Add(new CodeableConcept(CodeSystems.Snomed, bodySite) { Text = siteText });
        }

        return c;
    }

    /// <summary>A Condition with one coding, clinical status active.</summary>
    public Condition Condition(string id, string system, string code, string? onset = null, Patient? subject = null, string clinicalStatus = "active")
    {
        var c = new Condition
        {
            ClinicalStatus = new CodeableConcept(CodeSystems.ConditionClinical, clinicalStatus),
            VerificationStatus = new CodeableConcept(CodeSystems.ConditionVerification, "confirmed"),
            Code = new CodeableConcept(system, code),
            Subject = Subject(subject),
        };
        if (onset is not null)
        {
            c.Onset = new FhirDateTime(onset);
        }

        return Add(c, id);
    }

    /// <summary>A spinal cord compression (SNOMED 71286001) at a vertebral level, optionally linked to its lesion.</summary>
    public Condition Mscc(string id, string? onset, Condition? lesion = null, string? bodySite = null, string? siteText = null, string system = CodeSystems.Snomed, string code = "71286001")
    {
        var c = Condition(id, system, code, onset);
        if (bodySite is not null)
        {
            c.BodySite.Add(new CodeableConcept(CodeSystems.Snomed, bodySite) { Text = siteText });
        }

        if (lesion is not null)
        {
            c.Evidence.Add(new Condition.EvidenceComponent { Detail = [R(lesion)] });
        }

        return c;
    }

    /// <summary>An explicit bonemet Observation.</summary>
    public Observation Item(string id, string code, DataType? value, Resource? focus = null, string? effective = null,
        ObservationStatus status = ObservationStatus.Final, Patient? subject = null) =>
        Observation(id, new CodeableConcept(CodeSystems.BoneMet, code), value, focus, effective, status, subject);

    /// <summary>A LOINC Observation (pain 72514-3, ECOG 89247-1, Karnofsky 89243-0).</summary>
    public Observation LoincObservation(string id, string code, DataType? value, Resource? focus = null, string? effective = null,
        ObservationStatus status = ObservationStatus.Final) =>
        Observation(id, new CodeableConcept(CodeSystems.Loinc, code), value, focus, effective, status, null);

    /// <summary>An Observation with any code.</summary>
    public Observation Observation(string id, CodeableConcept code, DataType? value, Resource? focus = null, string? effective = null,
        ObservationStatus status = ObservationStatus.Final, Patient? subject = null)
    {
        var o = new Observation { Status = status, Code = code, Subject = Subject(subject), Value = value };
        if (focus is not null)
        {
            o.Focus.Add(R(focus));
        }

        if (effective is not null)
        {
            o.Effective = new FhirDateTime(effective);
        }

        return Add(o, id);
    }

    /// <summary>
    /// A surgery (completed by default) performed on a date, for a reason. The default code 257836008 is the one the
    /// project's examples display as "Internal fixation using intramedullary nail" (a fixation).
    /// </summary>
    public Procedure Surgery(string id, Resource? reason, string? performed, EventStatus status = EventStatus.Completed, string code = "257836008") =>
        Procedure(id, code, reason, performed, status: status);

    /// <summary>A Procedure with a SNOMED code (or none), an optional text, reason, date and SNOMED body site.</summary>
    public Procedure Procedure(string id, string? code, Resource? reason, string? performed, string? text = null,
        string? bodySite = null, string? siteText = null, EventStatus status = EventStatus.Completed)
    {
        var p = new Procedure
        {
            Status = status,
            Code = new CodeableConcept { Text = text },
            Subject = Subject(null),
        };
        if (code is not null)
        {
            p.Code.Coding.Add(new Coding(CodeSystems.Snomed, code));
        }

        if (performed is not null)
        {
            p.Performed = new FhirDateTime(performed);
        }

        if (reason is not null)
        {
            p.ReasonReference.Add(R(reason));
        }

        if (bodySite is not null)
        {
            p.BodySite.Add(new CodeableConcept(CodeSystems.Snomed, bodySite) { Text = siteText });
        }

        return Add(p, id);
    }

    /// <summary>A pathological fracture Condition (SNOMED 268029009 by default) on a SNOMED body site, optionally linked to its lesion.</summary>
    public Condition Fracture(string id, string? bodySite, Condition? lesion = null, string? siteText = null, string system = CodeSystems.Snomed, string code = "268029009", string? onset = null)
    {
        var c = Condition(id, system, code, onset);
        if (bodySite is not null)
        {
            c.BodySite.Add(new CodeableConcept(CodeSystems.Snomed, bodySite) { Text = siteText });
        }

        if (lesion is not null)
        {
            c.Evidence.Add(new Condition.EvidenceComponent { Detail = [R(lesion)] });
        }

        return c;
    }

    // ---- Values ------------------------------------------------------------------------------------------------

    /// <summary>A bonemet answer code.</summary>
    public static CodeableConcept Answer(string code) => new(CodeSystems.BoneMet, code);

    /// <summary>A UCUM quantity.</summary>
    public static Quantity Qty(decimal value, string unit) => new(value, unit, CodeSystems.Ucum) { Unit = unit };

    /// <summary>A percentage (UCUM %).</summary>
    public static Quantity Pct(decimal value) => Qty(value, "%");
}

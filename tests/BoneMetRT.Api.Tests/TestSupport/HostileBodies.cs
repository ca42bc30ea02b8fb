using System.Globalization;
using System.Text;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Tests.TestSupport;

/// <summary>Request bodies a careless or hostile client may send.</summary>
public static class HostileBodies
{
    /// <summary>A valid example that the service must still answer after a hostile request.</summary>
    public const string Probe = "fracture-femur-mirels-8.json";

    /// <summary>A valid example whose Bundle uses <c>http://example.org/fhir/Type/id</c> fullUrls and ids.</summary>
    public const string WithIds = "status-filtering.json";

    /// <summary>The data Bundle of a valid example.</summary>
    public static Bundle DataOf(string file) =>
        Assert.IsType<Bundle>(Assert.IsType<Parameters>(Wire.ParseValidExample(file)).Parameter.Single(p => p.Name == "data").Resource);

    /// <summary>A Parameters body around a Bundle, dated like the examples.</summary>
    public static byte[] Assess(Bundle data, FhirFormat format = FhirFormat.Json)
    {
        var parameters = new Parameters();
        parameters.Add("data", data);
        parameters.Add("assessmentDate", new FhirDateTime("2026-03-16"));
        return FhirSerialization.Serialize(parameters, format);
    }

    /// <summary>JSON nested <paramref name="depth"/> levels deep inside a Parameters.</summary>
    public static byte[] DeepJson(int depth) => Encoding.UTF8.GetBytes(
        "{\"resourceType\":\"Parameters\",\"parameter\":" + new string('[', depth) + new string(']', depth) + "}");

    /// <summary>XML nested <paramref name="depth"/> levels deep inside a Parameters.</summary>
    public static byte[] DeepXml(int depth)
    {
        var sb = new StringBuilder("<Parameters xmlns=\"http://hl7.org/fhir\">");
        for (var i = 0; i < depth; i++)
        {
            sb.Append("<parameter>");
        }

        for (var i = 0; i < depth; i++)
        {
            sb.Append("</parameter>");
        }

        return Encoding.UTF8.GetBytes(sb.Append("</Parameters>").ToString());
    }

    /// <summary>XML with an external entity reading a local file (XXE).</summary>
    public static byte[] ExternalEntity => Encoding.UTF8.GetBytes("""
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
        <Parameters xmlns="http://hl7.org/fhir"><parameter><name value="&e;"/><valueString value="&e;"/></parameter></Parameters>
        """);

    /// <summary>XML entity expansion bomb ("billion laughs").</summary>
    public static byte[] BillionLaughs
    {
        get
        {
            var sb = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
            sb.Append(" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
            for (var i = 2; i <= 9; i++)
            {
                sb.Append(CultureInfo.InvariantCulture, $" <!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">\n");
            }

            sb.Append("]>\n<Parameters xmlns=\"http://hl7.org/fhir\"><parameter><name value=\"&lol9;\"/></parameter></Parameters>");
            return Encoding.UTF8.GetBytes(sb.ToString());
        }
    }

    /// <summary>A Bundle with a Patient and <paramref name="observations"/> LOINC pain scores.</summary>
    public static Bundle ManyEntries(int observations)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Collection };
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = "urn:uuid:00000000-0000-4000-8000-000000000000",
            Resource = new Patient { Gender = AdministrativeGender.Female, BirthDate = "1960-01-01" },
        });
        for (var i = 1; i <= observations; i++)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"urn:uuid:00000000-0000-4000-8000-{i:D12}",
                Resource = new Observation
                {
                    Status = ObservationStatus.Final,
                    Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "survey")],
                    Code = new CodeableConcept("http://loinc.org", "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
                    Subject = new ResourceReference("urn:uuid:00000000-0000-4000-8000-000000000000"),
                    Effective = new FhirDateTime(2026, 3, 1 + (i % 15)),
                    Value = new Integer(i % 11),
                },
            });
        }

        return bundle;
    }

    /// <summary>Random bytes (fixed seed).</summary>
    public static byte[] Garbage(int length)
    {
        var bytes = new byte[length];
        new Random(20260316).NextBytes(bytes);
        bytes[0] = 0xFF; // never a BOM or a '<' that would look like text
        return bytes;
    }
}

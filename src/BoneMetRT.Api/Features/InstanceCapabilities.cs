using BoneMetRT.Domain;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Features;

/// <summary>
/// The CapabilityStatement <c>GET [base]/metadata</c> answers: of kind <c>instance</c>, instantiating the package's
/// requirements statement (<c>CapabilityStatement/bonemetrt</c>, kind <c>requirements</c>), naming the software and
/// this deployment's base URL.
/// </summary>
public static class InstanceCapabilities
{
    /// <summary>
    /// The instance statement of a server serving <paramref name="package"/>, without <c>implementation</c> (which
    /// depends on the address the caller used). The types read and searched are the package's own: a conformance type
    /// the package has no resource of is not served, and one it has is, whatever the requirements listed.
    /// </summary>
    public static CapabilityStatement FromRequirements(CapabilityStatement requirements, IReadOnlyList<Resource> package)
    {
        var statement = (CapabilityStatement)requirements.DeepCopy();
        statement.Id = null;
        statement.Url = null;
        statement.Name = "BoneMetRTServer";
        statement.TitleElement = Translated("BoneMetRT server", "Serveur BoneMetRT");
        var description = new LocalizedText(
            $"This BoneMetRT server (version {EngineInfo.Version}): what it offers, as the requirements statement {requirements.Url} asks.",
            $"Ce serveur BoneMetRT (version {EngineInfo.Version}) : ce qu'il offre, comme l'exige le CapabilityStatement {requirements.Url}.");
        statement.Description = null;
        statement.DescriptionElement = new Markdown(description.En);
        statement.DescriptionElement.Extension.Add(Translation(description.Fr));
        statement.Text = new Narrative
        {
            Status = Narrative.NarrativeStatus.Generated,
            Div = $"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p><b>BoneMetRT server</b></p><p>{System.Security.SecurityElement.Escape(description.En)}</p></div>",
        };
        statement.Kind = CapabilityStatementKind.Instance;
        statement.Instantiates = [$"{requirements.Url}|{requirements.Version}"];
        statement.Software = new CapabilityStatement.SoftwareComponent { Name = "BoneMetRT", Version = EngineInfo.Version };

        var rest = statement.Rest[0];
        var served = package.Select(r => r.TypeName).ToHashSet(StringComparer.Ordinal);
        var template = rest.Resource.FirstOrDefault(r => r.Interaction.Any(i => i.Code == CapabilityStatement.TypeRestfulInteraction.SearchType));
        foreach (var resource in rest.Resource)
        {
            if (resource.Type is null || !served.Contains(resource.Type))
            {
                resource.Interaction.RemoveAll(i => i.Code is CapabilityStatement.TypeRestfulInteraction.Read or CapabilityStatement.TypeRestfulInteraction.SearchType);
                resource.SearchParam.Clear();
            }
        }

        rest.Resource.RemoveAll(r => r.Interaction.Count == 0 && r.Operation.Count == 0);
        foreach (var type in served.Where(t => rest.Resource.All(r => r.Type != t)).Order(StringComparer.Ordinal))
        {
            var added = template is null
                ? new CapabilityStatement.ResourceComponent()
                : (CapabilityStatement.ResourceComponent)template.DeepCopy();
            added.Type = type;
            rest.Resource.Add(added);
        }

        rest.Resource.Sort((a, b) => string.CompareOrdinal(a.Type, b.Type));
        return statement;
    }

    /// <summary>A copy of <paramref name="statement"/> whose <c>implementation</c> is the server at <paramref name="serviceBase"/>.</summary>
    public static CapabilityStatement At(CapabilityStatement statement, string serviceBase)
    {
        var copy = (CapabilityStatement)statement.DeepCopy();
        copy.Implementation = new CapabilityStatement.ImplementationComponent
        {
            DescriptionElement = Translated("BoneMetRT decision support for radiotherapy of bone metastases",
                "BoneMetRT, aide à la décision pour la radiothérapie des métastases osseuses"),
            Url = serviceBase,
        };
        return copy;
    }

    private static FhirString Translated(string en, string fr)
    {
        var text = new FhirString(en);
        text.Extension.Add(Translation(fr));
        return text;
    }

    private static Extension Translation(string fr) => new()
    {
        Url = BoneMetRT.Fhir.PackageCanonicals.TranslationExtension,
        Extension = [new Extension("lang", new Code("fr")), new Extension("content", new FhirString(fr))],
    };
}

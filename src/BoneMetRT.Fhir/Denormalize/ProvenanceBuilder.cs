using BoneMetRT.Domain;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Denormalize;

/// <summary>The engine as a Device (its version) and the Provenance of the outputs, with the engine as assembler.</summary>
internal sealed class ProvenanceBuilder(DenormalizeContext c)
{
    public Bundle.EntryComponent EngineDevice()
    {
        var device = new Device
        {
            Status = Device.FHIRDeviceStatus.Active,
            DeviceName = [new Device.DeviceNameComponent { Name = EngineInfo.Name, Type = DeviceNameType.ManufacturerName }],
            Version = [new Device.VersionComponent { Value = EngineInfo.Version }],
            Type = new CodeableConcept { Text = "Clinical decision support software" },
        };
        device.Text = Narrative.Of(c.Lang, $"{EngineInfo.Name} {EngineInfo.Version}",
            [c.L(new LocalizedText($"Cord α/β {c.Result.Settings.CordAlphaBetaGy} Gy.", $"α/β médullaire {c.Result.Settings.CordAlphaBetaGy} Gy."))]);
        return c.Entry("device", device, "");
    }

    public Bundle.EntryComponent OutputProvenance(IEnumerable<Bundle.EntryComponent> outputs)
    {
        var prov = new Provenance
        {
            Target = [.. outputs.Where(e => e.Resource is not Device).Select(e => new ResourceReference(e.FullUrl))],
            // occurred: the date the assessment is made for; recorded: when the answer was made.
            Occurred = c.When,
            RecordedElement = c.Now,
            Policy = [PackageCanonicals.AssessOperation],
            Agent =
            [
                new Provenance.AgentComponent
                {
                    Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "assembler", "Assembler"),
                    Who = new ResourceReference(c.DeviceUrl),
                },
            ],
        };
        // The sources are the inputs the engine used (the patient always), not those it reported as ignored.
        var index = c.Input.Index;
        var used = index.Resources.Where(x => c.Input.Used.Contains(x.Index)).Select(x => index.Key(x.Index)).Prepend(c.Input.PatientKey);
        foreach (var key in used.Distinct())
        {
            prov.Entity.Add(new Provenance.EntityComponent { Role = Provenance.ProvenanceEntityRole.Source, What = c.Ref(key) });
        }

        prov.Text = Narrative.Of(c.Lang, c.L(new LocalizedText("Provenance", "Provenance")),
            [c.L(new LocalizedText($"Computed by {EngineInfo.Name} {EngineInfo.Version} on {c.Result.AssessmentDate:yyyy-MM-dd} from {prov.Entity.Count} input resources.",
                $"Calculé par {EngineInfo.Name} {EngineInfo.Version} le {c.Result.AssessmentDate:yyyy-MM-dd} à partir de {prov.Entity.Count} ressources d'entrée."))]);
        return c.Entry("provenance", prov, "");
    }
}

using BoneMetRT.Fhir.Normalize;
using BoneMetRT.Fhir.Tests.Examples;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Tests.Profiles;

/// <summary>
/// The package agrees with its valid examples (issue 10): every resource of every valid example's Bundle validates
/// against the profiles it claims and the BoneMetRT profiles that apply to it (explicit Observations by their code,
/// lesion Conditions by ValueSet bone-metastasis-codes), with the Bundle validated whole so that references resolve
/// to the other entries and are checked against their target profiles.
/// </summary>
[Collection(ConformancePackageCollection.Name)]
public sealed class ExampleConformanceTests(ConformancePackage package)
{
    private static readonly string LesionProfile = PackageCanonicals.Profile("bonemet-bone-metastasis");

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public void Valid_example_conforms_to_the_package(string file)
    {
        var bundle = DataOf(package.Parse(File.ReadAllText(Path.Combine(ExampleCatalog.ValidFolder, file))));
        var profiled = ClaimApplicableProfiles(bundle);

        var errors = package.Errors(bundle);

        Assert.True(profiled > 0, $"{file}: no resource a BoneMetRT profile applies to");
        Assert.True(errors.Count == 0, $"{file}:\n" + string.Join("\n", errors));
    }

    [Fact]
    public void A_skin_healed_finding_may_point_at_the_operation()
    {
        var bundle = DataOf(package.Parse(File.ReadAllText(Path.Combine(ExampleCatalog.ValidFolder, "postoperative-femur-day-18-healed.json"))));
        var skin = bundle.Entry.Select(e => e.Resource).OfType<Observation>().Single(o => o.Code.Coding.Any(c => c.Code == "skin-healed"));
        var procedure = bundle.Entry.Single(e => e.Resource is Procedure);
        Assert.Equal(procedure.FullUrl, skin.Focus.Single().Reference);
        ClaimApplicableProfiles(bundle);

        Assert.Empty(package.Errors(bundle));

        // The check is real: the same focus on a resource that is neither a Condition nor a Procedure is refused.
        skin.Focus[0].Reference = bundle.Entry.Single(e => e.Resource is Patient).FullUrl;
        Assert.NotEmpty(package.Errors(bundle));
    }

    [Fact]
    public void A_lesion_coded_outside_the_value_set_breaks_the_lesion_profile()
    {
        var bundle = DataOf(package.Parse(File.ReadAllText(Path.Combine(ExampleCatalog.ValidFolder, "icd10cm-coded.json"))));
        ClaimApplicableProfiles(bundle);
        var lesion = bundle.Entry.Select(e => e.Resource).OfType<Condition>().First(c => c.Meta?.Profile.Contains(LesionProfile) == true);
        Assert.Empty(package.Errors(bundle));

        lesion.Code!.Coding[0].Code = "C79.49"; // a secondary of the nervous system

        Assert.NotEmpty(package.Errors(bundle));
    }

    /// <summary>Adds to each entry's meta.profile the BoneMetRT profiles that apply to it; returns how many entries got one.</summary>
    private static int ClaimApplicableProfiles(Bundle bundle)
    {
        var count = 0;
        foreach (var resource in bundle.Entry.Select(e => e.Resource).OfType<Resource>())
        {
            var profile = resource switch
            {
                Observation o => FhirValidation.InputProfile(o),
                Condition c when c.Code?.Coding.Any(x => Terminology.IsBoneMetastasis(x.System, x.Code)) == true => LesionProfile,
                _ => null,
            };
            if (profile is not null)
            {
                resource.Meta ??= new Meta();
                resource.Meta.Profile = resource.Meta.Profile.Append(profile).Distinct();
                count++;
            }
        }

        return count;
    }

    private static Bundle DataOf(Resource request) => request switch
    {
        Bundle b => b,
        Parameters p => p.Parameter.Single(x => x.Name == "data").Resource as Bundle ?? throw new InvalidOperationException("data is not a Bundle"),
        _ => throw new InvalidOperationException($"{request.TypeName} is not an $assess body"),
    };
}

namespace BoneMetRT.TestSupport;

/// <summary>The example inputs of <c>examples/</c>: valid requests and invalid ones, with where their golden files go.</summary>
public static class ExampleCatalog
{
    /// <summary>Assessment date used when a bare Bundle example carries none (keeps outputs deterministic).</summary>
    public static readonly DateOnly DefaultDate = new(2026, 3, 16);

    /// <summary>Absolute path of the repository root (the folder holding BoneMetRT.sln).</summary>
    public static string Root => RepoPaths.Root;

    /// <summary>Absolute path of <c>examples/valid</c>.</summary>
    public static string ValidFolder => Path.Combine(Root, "examples", "valid");

    /// <summary>Absolute path of <c>examples/invalid</c>.</summary>
    public static string InvalidFolder => Path.Combine(Root, "examples", "invalid");

    /// <summary>File names of the valid examples, sorted.</summary>
    public static IReadOnlyList<string> Valid => List(ValidFolder);

    /// <summary>File names of the invalid examples, sorted.</summary>
    public static IReadOnlyList<string> Invalid => List(InvalidFolder);

    /// <summary>Valid examples as xUnit data.</summary>
    public static TheoryData<string> ValidData => [.. Valid];

    /// <summary>Invalid examples as xUnit data.</summary>
    public static TheoryData<string> InvalidData => [.. Invalid];

    /// <summary>
    /// HTTP status each invalid example must get (fhir-contract.md §3): 400 unparseable, 422 parseable but inconsistent
    /// or violating the input profiles.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, int> ExpectedStatus = new Dictionary<string, int>
    {
        ["not-json.json"] = 400,
        ["unknown-element.json"] = 400,
        ["wrong-resource-type.json"] = 422,
        ["bundle-without-patient.json"] = 422,
        ["two-patients-no-subject.json"] = 422,
        ["reference-to-nothing.json"] = 422,
        ["invalid-observation-value.json"] = 422,
        ["parameters-without-data.json"] = 422,
    };

    private static List<string> List(string folder) =>
        Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder, "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];
}

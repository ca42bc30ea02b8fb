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

    /// <summary>Absolute path of the tester's kit, <c>examples/manifest.json</c>.</summary>
    public static string ManifestPath => Path.Combine(Root, "examples", "manifest.json");

    /// <summary>
    /// HTTP status each invalid example must get (fhir-contract.md §3): 400 unparseable, 422 parseable but inconsistent
    /// or violating the input profiles. Read from the kit's manifest, the one place it is written, so that the tests
    /// and the testers' runner cannot disagree: the status of the example's own case (id <c>invalid/&lt;name&gt;</c>,
    /// posting the file to <c>$assess</c>; other cases may send the same file another way).
    /// </summary>
    public static IReadOnlyDictionary<string, int> ExpectedStatus => LazyStatus.Value;

    private static readonly Lazy<IReadOnlyDictionary<string, int>> LazyStatus = new(ReadStatuses);

    private static IReadOnlyDictionary<string, int> ReadStatuses()
    {
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(ManifestPath));
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in manifest.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (c.TryGetProperty("body", out var body) && body.GetString() is { } file && file.StartsWith("invalid/", StringComparison.Ordinal)
                && c.GetProperty("id").GetString() + ".json" == file && c.GetProperty("request").GetProperty("path").GetString() == "$assess")
            {
                statuses.Add(file["invalid/".Length..], c.GetProperty("expect").GetProperty("status").GetInt32());
            }
        }

        return statuses;
    }

    private static List<string> List(string folder) =>
        Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder, "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];
}

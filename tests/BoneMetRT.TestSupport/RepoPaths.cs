namespace BoneMetRT.TestSupport;

/// <summary>Where the repository is, for tests that read its folders (fhir-profiles/, examples/).</summary>
public static class RepoPaths
{
    /// <summary>Absolute path of the repository root (the folder holding BoneMetRT.sln), found walking up from the tests.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BoneMetRT.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"BoneMetRT.sln not found above {AppContext.BaseDirectory}.");
    }
}

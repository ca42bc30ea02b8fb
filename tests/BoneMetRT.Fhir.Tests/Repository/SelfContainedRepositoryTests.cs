using System.Diagnostics;
using System.Text.RegularExpressions;
using BoneMetRT.Domain;

namespace BoneMetRT.Fhir.Tests.Repository;

/// <summary>
/// A clone of the repository must stand on its own: the clinical specification (docs/guideline.md) and the FHIR
/// contract (docs/fhir-contract.md) are the project's own documents, and nothing refers to material kept outside it.
/// </summary>
public sealed partial class SelfContainedRepositoryTests
{
    // Built from parts so that this file does not match itself.
    private static readonly string[] OutsidePaths = ["shared" + "/spec", "shared" + "/seed"];

    private static readonly HashSet<string> SkippedFolders = ["bin", "obj", "node_modules", ".git", "TestResults", "BenchmarkDotNet.Artifacts"];

    [Theory]
    [InlineData("docs/guideline.md")]
    [InlineData("docs/fhir-contract.md")]
    [InlineData("docs/architecture.md")]
    [InlineData("LICENSE")]
    [InlineData("README.md")]
    public void The_project_documents_exist(string path)
    {
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, path)), $"{path} is missing.");
    }

    [Fact]
    public void No_tracked_file_refers_to_the_specification_outside_the_repository()
    {
        var offenders = new List<string>();
        foreach (var file in TrackedFiles())
        {
            var full = Path.Combine(RepoPaths.Root, file);
            if (!File.Exists(full))
            {
                continue;
            }

            var lines = File.ReadAllLines(full);
            for (var i = 0; i < lines.Length; i++)
            {
                if (OutsidePaths.Any(p => lines[i].Contains(p, StringComparison.OrdinalIgnoreCase)))
                {
                    offenders.Add($"{file}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(offenders.Count == 0,
            "These lines point at a specification outside the repository; cite docs/guideline.md or docs/fhir-contract.md instead:\n"
            + string.Join('\n', offenders));
    }

    [Fact]
    public void Examples_golden_files_and_the_package_have_no_byte_order_mark()
    {
        // Standard JSON parsers refuse a leading BOM; testers read these files with their own tools.
        var offenders = TrackedFiles()
            .Where(f => (f.StartsWith("examples/", StringComparison.Ordinal) || f.StartsWith("fhir-profiles/", StringComparison.Ordinal))
                && (f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".snap", StringComparison.Ordinal)))
            .Where(f => File.Exists(Path.Combine(RepoPaths.Root, f)) && File.ReadAllBytes(Path.Combine(RepoPaths.Root, f)).AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            .ToList();

        Assert.True(offenders.Count == 0, "These files start with a byte-order mark:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void Every_section_the_engine_cites_is_a_section_of_the_guideline_document()
    {
        var headings = GuidelineDocument.Sections();
        var cited = typeof(Sections).GetFields()
            .Select(f => (Name: f.Name, Ref: (GuidelineRef)f.GetValue(null)!))
            .ToList();

        Assert.NotEmpty(cited);
        foreach (var (name, reference) in cited)
        {
            Assert.True(int.TryParse(reference.SpecAnchor, out var number) && headings.ContainsKey(number),
                $"Sections.{name} cites {reference.SpecSection}, which is not a numbered section of docs/guideline.md.");
        }
    }

    [Fact]
    public void The_contract_sections_the_code_cites_exist()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "fhir-contract.md"));
        foreach (var n in new[] { 1, 2, 3 })
        {
            Assert.Contains($"<a id=\"c{n}\"></a>", text, StringComparison.Ordinal);
            Assert.Matches(new Regex($"^## {n}\\. ", RegexOptions.Multiline), text);
        }
    }

    /// <summary>The files git tracks (relative paths); without git, the files on disk outside build folders.</summary>
    private static IReadOnlyList<string> TrackedFiles()
    {
        try
        {
            var info = new ProcessStartInfo("git", "ls-files -z")
            {
                WorkingDirectory = RepoPaths.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var git = Process.Start(info)!;
            var output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            if (git.ExitCode == 0 && output.Length > 0)
            {
                return output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // git is not installed: fall back to the files on disk.
        }

        return Directory.EnumerateFiles(RepoPaths.Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(SkippedFolders.Contains))
            .ToList();
    }
}

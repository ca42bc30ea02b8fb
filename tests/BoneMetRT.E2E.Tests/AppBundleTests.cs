using System.Diagnostics;
using Xunit.Abstractions;

namespace BoneMetRT.E2E.Tests;

/// <summary>
/// The SMART app's JavaScript is committed (src/BoneMetRT.Api/wwwroot/app/*.js) so that a clone builds and runs
/// without Node.js. This test rebuilds it from ClientApp/ (npm ci with the lock file, then esbuild) in a temporary
/// folder and requires the committed files to be byte for byte that build.
/// </summary>
public sealed class AppBundleTests(ITestOutputHelper output)
{
    private static readonly string ClientApp = Path.Combine(E2E.RepoRoot, "src", "BoneMetRT.Api", "ClientApp");
    private static readonly string WebApp = Path.Combine(E2E.RepoRoot, "src", "BoneMetRT.Api", "wwwroot", "app");

    [SkippableFact(E2E.SkipBundleVariable)]
    public async Task The_committed_app_bundle_is_the_build_of_ClientApp()
    {
        var watch = Stopwatch.StartNew();
        var work = Directory.CreateTempSubdirectory("bonemetrt-clientapp-");
        try
        {
            foreach (var file in new[] { "package.json", "package-lock.json", "build.mjs" })
            {
                File.Copy(Path.Combine(ClientApp, file), Path.Combine(work.FullName, file));
            }

            // src/ and the local stand-in packages the lock points at (stubs/: see package.json "overrides").
            foreach (var file in new[] { "src", "stubs" }.SelectMany(d => Directory.GetFiles(Path.Combine(ClientApp, d), "*", SearchOption.AllDirectories)))
            {
                var target = Path.Combine(work.FullName, Path.GetRelativePath(ClientApp, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            await RunAsync("npm", "ci --no-audit --no-fund --ignore-scripts", work.FullName);
            var outDir = Path.Combine(work.FullName, "out");
            await RunAsync("node", $"build.mjs \"{outDir}\"", work.FullName);

            foreach (var name in new[] { "launch.js", "app.js" })
            {
                var built = await File.ReadAllBytesAsync(Path.Combine(outDir, name));
                var committed = await File.ReadAllBytesAsync(Path.Combine(WebApp, name));
                Assert.True(built.AsSpan().SequenceEqual(committed),
                    $"wwwroot/app/{name} is not the build of ClientApp/ ({committed.Length} bytes committed, {built.Length} built): " +
                    "run `cd src/BoneMetRT.Api/ClientApp && npm ci --ignore-scripts && npm run build` and commit the result.");
            }

            output.WriteLine($"timing: npm ci + build + compare {watch.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private async Task RunAsync(string program, string arguments, string directory)
    {
        var info = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{program}' could not be started ({e.Message}): rebuilding the SMART app needs Node.js 20+ and npm. " +
                $"To skip this check on purpose, set {E2E.SkipBundleVariable}=1.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(timeout.Token);
            output.WriteLine($"{program} {arguments}: exit {process.ExitCode}\n{await stdout}\n{await stderr}");
            Assert.True(process.ExitCode == 0, $"{program} {arguments} failed with exit code {process.ExitCode}: {await stderr}");
        }
    }
}

using YamlDotNet.RepresentationModel;

namespace BoneMetRT.Api.Tests.Deployment;

/// <summary>
/// deploy/k8s/bonemetrt.yaml checked offline, in place of <c>kubectl apply --dry-run=client</c> (no kubectl and no
/// cluster here): every document is a known kind with the fields Kubernetes requires, and the parts refer to one
/// another consistently (selectors, ports, probe paths the service really serves, the scale target), with the
/// hardening the image is built for (non-root user 10001, read-only root file system, a writable /tmp).
/// </summary>
public sealed class ManifestTests
{
    private static readonly Lazy<Dictionary<string, YamlMappingNode>> Documents = new(Load);

    [Fact]
    public void Every_document_has_api_version_kind_and_name()
    {
        Assert.Equal(["Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Service"], Documents.Value.Keys.Order(StringComparer.Ordinal));
        foreach (var (kind, doc) in Documents.Value)
        {
            Assert.False(string.IsNullOrEmpty(Scalar(doc, "apiVersion")), kind);
            Assert.Equal("bonemetrt", Scalar(doc, "metadata", "name"));
        }
    }

    [Fact]
    public void Deployment_selects_its_pods_and_runs_hardened()
    {
        var deployment = Documents.Value["Deployment"];
        Assert.Equal("apps/v1", Scalar(deployment, "apiVersion"));
        var labels = Map(deployment, "spec", "template", "metadata", "labels");
        AssertSelects(Map(deployment, "spec", "selector", "matchLabels"), labels);

        var pod = Map(deployment, "spec", "template", "spec");
        Assert.Equal("true", Scalar(pod, "securityContext", "runAsNonRoot"));
        Assert.Equal("10001", Scalar(pod, "securityContext", "runAsUser"));
        var container = Assert.IsType<YamlMappingNode>(Assert.Single(Seq(pod, "containers")));
        Assert.Equal("true", Scalar(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", Scalar(container, "securityContext", "allowPrivilegeEscalation"));
        Assert.Equal("8080", Scalar((YamlMappingNode)Seq(container, "ports").Single(), "containerPort"));

        // /tmp is the one writable place (FhirValidation extracts core definitions there if it needs them).
        var mount = Seq(container, "volumeMounts").Cast<YamlMappingNode>().Single(m => Scalar(m, "mountPath") == "/tmp");
        var volume = Seq(pod, "volumes").Cast<YamlMappingNode>().Single(v => Scalar(v, "name") == Scalar(mount, "name"));
        Assert.True(volume.Children.ContainsKey("emptyDir"));

        // Memory request at least the measured peak RSS under load (227 MB, bench/BENCHMARKS.md), limit above it.
        Assert.True(Mebibytes(Scalar(container, "resources", "requests", "memory")) >= 227);
        Assert.True(Mebibytes(Scalar(container, "resources", "limits", "memory")) > Mebibytes(Scalar(container, "resources", "requests", "memory")));
        Assert.False(string.IsNullOrEmpty(Scalar(container, "resources", "requests", "cpu")));
    }

    [Fact]
    public void Probes_use_the_paths_the_service_serves()
    {
        var container = (YamlMappingNode)Seq(Map(Documents.Value["Deployment"], "spec", "template", "spec"), "containers").Single();
        Assert.Equal("/ready", Scalar(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/health", Scalar(container, "livenessProbe", "httpGet", "path"));
        var portName = Scalar((YamlMappingNode)Seq(container, "ports").Single(), "name");
        Assert.Equal(portName, Scalar(container, "readinessProbe", "httpGet", "port"));
        Assert.Equal(portName, Scalar(container, "livenessProbe", "httpGet", "port"));

        // The paths exist in Program.cs (ProgramTests calls them on the running service).
        var program = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "BoneMetRT.Api", "Program.cs"));
        Assert.Contains("app.MapGet(\"/ready\"", program, StringComparison.Ordinal);
        Assert.Contains("app.MapGet(\"/health\"", program, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_autoscaler_and_disruption_budget_point_at_the_deployment()
    {
        var podLabels = Map(Documents.Value["Deployment"], "spec", "template", "metadata", "labels");
        var service = Documents.Value["Service"];
        AssertSelects(Map(service, "spec", "selector"), podLabels);
        Assert.Equal("http", Scalar((YamlMappingNode)Seq(Map(service, "spec"), "ports").Single(), "targetPort"));

        var hpa = Documents.Value["HorizontalPodAutoscaler"];
        Assert.Equal("autoscaling/v2", Scalar(hpa, "apiVersion"));
        Assert.Equal("Deployment", Scalar(hpa, "spec", "scaleTargetRef", "kind"));
        Assert.Equal("bonemetrt", Scalar(hpa, "spec", "scaleTargetRef", "name"));
        var metric = (YamlMappingNode)Seq(Map(hpa, "spec"), "metrics").Single();
        Assert.Equal("cpu", Scalar(metric, "resource", "name"));
        Assert.True(int.Parse(Scalar(hpa, "spec", "minReplicas"), System.Globalization.CultureInfo.InvariantCulture) >= 2);

        var pdb = Documents.Value["PodDisruptionBudget"];
        Assert.Equal("policy/v1", Scalar(pdb, "apiVersion"));
        AssertSelects(Map(pdb, "spec", "selector", "matchLabels"), podLabels);
    }

    private static void AssertSelects(YamlMappingNode selector, YamlMappingNode labels)
    {
        Assert.NotEmpty(selector.Children);
        foreach (var (key, value) in selector.Children)
        {
            Assert.True(labels.Children.TryGetValue(key, out var label) && label.ToString() == value.ToString(), $"selector {key}={value} does not match the pod labels");
        }
    }

    private static Dictionary<string, YamlMappingNode> Load()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(RepoPaths.Root, "deploy", "k8s", "bonemetrt.yaml")))
        {
            stream.Load(reader);
        }

        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToDictionary(d => Scalar(d, "kind"));
    }

    private static YamlMappingNode Map(YamlMappingNode node, params string[] path) =>
        path.Aggregate(node, (n, key) => Assert.IsType<YamlMappingNode>(n.Children[new YamlScalarNode(key)]));

    private static IEnumerable<YamlNode> Seq(YamlMappingNode node, string key) =>
        Assert.IsType<YamlSequenceNode>(node.Children[new YamlScalarNode(key)]).Children;

    private static string Scalar(YamlMappingNode node, params string[] path)
    {
        var parent = Map(node, path[..^1]);
        return Assert.IsType<YamlScalarNode>(parent.Children[new YamlScalarNode(path[^1])]).Value ?? "";
    }

    private static int Mebibytes(string quantity) =>
        quantity.EndsWith("Mi", StringComparison.Ordinal) ? int.Parse(quantity[..^2], System.Globalization.CultureInfo.InvariantCulture)
        : quantity.EndsWith("Gi", StringComparison.Ordinal) ? 1024 * int.Parse(quantity[..^2], System.Globalization.CultureInfo.InvariantCulture)
        : throw new FormatException($"memory quantity {quantity}: use Mi or Gi");
}

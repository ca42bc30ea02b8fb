using System.Text.RegularExpressions;

namespace BoneMetRT.TestSupport;

/// <summary>
/// Which namespace of a project imports which, read from its source files, and the cycles between them: the rule that
/// every arrow between the folders of a library points one way.
/// </summary>
/// <remarks>
/// A file in namespace <c>A</c> depends on <c>B</c> when it has <c>using B;</c>, when it spells a name of <c>B</c> in
/// full (<c>Domain.Scoring.PointsRow</c>), or, for an enclosing namespace <c>B</c> of <c>A</c> (which C# makes visible
/// without a <c>using</c>), when it names a type declared in <c>B</c>. Text is read, not compiled: comments are left
/// out, string literals are not, so a type name in a message may count as a use; such a false alarm names the file.
/// </remarks>
public sealed partial class NamespaceGraph
{
    private readonly Dictionary<string, Dictionary<string, SortedSet<string>>> _edges = new(StringComparer.Ordinal);

    private NamespaceGraph(string root) => Root = root;

    /// <summary>The project's root namespace (e.g. <c>BoneMetRT.Domain</c>); only namespaces under it are nodes.</summary>
    public string Root { get; }

    /// <summary>Every namespace declared in the project.</summary>
    public IReadOnlyCollection<string> Namespaces => _edges.Keys;

    /// <summary>The namespaces <paramref name="from"/> depends on, each with the files that make it so.</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> DependenciesOf(string from) => _edges[from];

    /// <summary>Reads every <c>.cs</c> file under <paramref name="projectFolder"/> (build output excluded).</summary>
    public static NamespaceGraph Read(string projectFolder, string rootNamespace)
    {
        var files = Directory.EnumerateFiles(projectFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(projectFolder, f)))
            .Select(f => (Path: Path.GetRelativePath(projectFolder, f).Replace('\\', '/'), Code: StripComments(File.ReadAllText(f))))
            .Select(f => (f.Path, f.Code, Namespace: NamespaceOf(f.Code)))
            .Where(f => f.Namespace is not null && (f.Namespace == rootNamespace || f.Namespace.StartsWith(rootNamespace + ".", StringComparison.Ordinal)))
            .ToList();

        var graph = new NamespaceGraph(rootNamespace);
        var typesByNamespace = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (_, code, ns) in files)
        {
            graph._edges.TryAdd(ns!, new(StringComparer.Ordinal));
            if (!typesByNamespace.TryGetValue(ns!, out var types))
            {
                typesByNamespace[ns!] = types = new(StringComparer.Ordinal);
            }

            types.UnionWith(TypeDeclaration().Matches(code).Select(m => m.Groups["name"].Value));
        }

        foreach (var (path, code, ns) in files)
        {
            foreach (var target in graph._edges.Keys.Where(t => t != ns && Uses(code, ns!, t, typesByNamespace[t])))
            {
                if (!graph._edges[ns!].TryGetValue(target, out var why))
                {
                    graph._edges[ns!][target] = why = new(StringComparer.Ordinal);
                }

                why.Add(path);
            }
        }

        return graph;
    }

    /// <summary>
    /// Every cycle, as the namespaces of one strongly connected group, each arrow within it with the files that make
    /// it; empty when every arrow points one way.
    /// </summary>
    public IReadOnlyList<string> Cycles()
    {
        var cycles = new List<string>();
        foreach (var group in StronglyConnected().Where(g => g.Count > 1))
        {
            var arrows = group.SelectMany(from => _edges[from].Where(e => group.Contains(e.Key))
                .Select(e => $"  {from} -> {e.Key} ({string.Join(", ", e.Value)})"));
            cycles.Add($"{string.Join(" <-> ", group.Order(StringComparer.Ordinal))}:\n{string.Join("\n", arrows)}");
        }

        return cycles;
    }

    private static bool Uses(string code, string from, string target, HashSet<string> targetTypes)
    {
        if (Regex.IsMatch(code, $@"^\s*(global\s+)?using\s+{Regex.Escape(target)}\s*;", RegexOptions.Multiline))
        {
            return true;
        }

        // Spelt in full, or from a segment the file can see without a using: Domain.Scoring.X anywhere under BoneMetRT,
        // Denormalize.X from BoneMetRT.Fhir or below (also a "using static" of one of its types).
        var segments = target.Split('.');
        for (var i = 0; i < segments.Length; i++)
        {
            var visible = i == 0 || IsSelfOrEnclosing(string.Join('.', segments[..i]), from);
            if (visible && Regex.IsMatch(code, $@"(?<![\w.]){Regex.Escape(string.Join('.', segments[i..]))}\.[A-Za-z_]"))
            {
                return true;
            }
        }

        return IsSelfOrEnclosing(target, from) && targetTypes.Any(t => Regex.IsMatch(code, $@"(?<![\w.]){Regex.Escape(t)}\b"));
    }

    private List<HashSet<string>> StronglyConnected()
    {
        // Tarjan's algorithm; the graphs are a dozen nodes, recursion is fine.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var groups = new List<HashSet<string>>();

        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in _edges[v].Keys)
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var group = new HashSet<string>(StringComparer.Ordinal);
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    group.Add(w);
                }
                while (w != v);
                groups.Add(group);
            }
        }

        foreach (var v in _edges.Keys.Order(StringComparer.Ordinal).Where(v => !index.ContainsKey(v)))
        {
            Visit(v);
        }

        return groups;
    }

    private static bool IsSelfOrEnclosing(string outer, string ns) =>
        ns == outer || ns.StartsWith(outer + ".", StringComparison.Ordinal);

    private static bool IsBuildOutput(string relative) =>
        relative.Split('/', '\\').Any(s => s is "obj" or "bin");

    private static string? NamespaceOf(string code) =>
        FileScopedNamespace().Match(code) is { Success: true } m ? m.Groups["ns"].Value : null;

    private static string StripComments(string code) =>
        LineComment().Replace(BlockComment().Replace(code, " "), "");

    [GeneratedRegex(@"^\s*namespace\s+(?<ns>[\w.]+)\s*[;{]", RegexOptions.Multiline)]
    private static partial Regex FileScopedNamespace();

    [GeneratedRegex(@"\b(?:record\s+(?:struct\s+|class\s+)?|class\s+|struct\s+|enum\s+|interface\s+)(?<name>[A-Za-z_]\w*)")]
    private static partial Regex TypeDeclaration();

    // A "//" inside a string (a URL) also cuts the line: that can only hide a use, and URLs name no type.
    [GeneratedRegex(@"//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();
}

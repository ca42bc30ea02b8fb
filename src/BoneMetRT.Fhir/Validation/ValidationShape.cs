using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Validation;

/// <summary>
/// The shape of a resource for validation: a SHA-256 over everything in the resource except (1) which identifiers it
/// uses, and (2) the values of a few free-valued elements (<see cref="ValidationShapeRules.Leaves"/>), each of which
/// must pass its own type's checks to be left out. Two resources with the same shape get the same errors from Firely
/// whenever one gets none, which is what lets <see cref="FhirValidation"/> answer "no error" for a Bundle never seen
/// before whose shape was validated before without error.
/// </summary>
/// <remarks>
/// <para>Identifiers: every <c>Resource.id</c>, <c>Bundle.entry.fullUrl</c> and <c>Reference.reference</c> must be
/// one of the forms <c>urn:uuid:U</c>, <c>Type/T</c> (reference), <c>http(s)://host/segments/Type/T</c> (fullUrl and
/// reference, the base in unreserved characters, without <c>_history</c>) or <c>T</c> (id), where a token U is a
/// lower-case UUID and T a FHIR id of at least one letter or digit; otherwise the resource has no shape
/// (<see cref="ValidationShapeRules.SplitIdentity"/>: in these forms Firely's reference parsing reads the type and id
/// where the shape does, never an id from the kept prefix, as it would before a query or fragment or a
/// <c>_history</c> segment).
/// Each distinct token is replaced by its order of first appearance and its class (UUID or id), the rest of the string
/// (prefix, type, base) is kept. The replacement is one-to-one and keeps every prefix, so two identifier strings are
/// equal, or resolve to each other (a reference to an entry's fullUrl, relative or absolute), after it exactly when
/// they did before; and every token of a class passes the same format checks (id, uri and string regexes, FHIR URI
/// and reference parsing) wherever it stands.</para>
/// <para>Free values: a date, dateTime, instant, integer, decimal, string or markdown at one of the leaves listed is
/// replaced by its type alone when it has a value and no element id or extension, stands outside any extension, and
/// that value passes what Firely checks of a primitive of its type (the type's regular expression from the core
/// StructureDefinition, which Firely anchors the same way, the SDK's own value check, and a length of 1 to
/// <see cref="ValidationShapeRules.MaxStringLength"/>). No invariant, binding, fixed value, pattern, slice or bound
/// reads those leaves except for their presence, which the shape keeps:
/// tests/BoneMetRT.Fhir.Tests/Validation/ValidationShapeTests.cs checks this on the compiled schemas of the base
/// resources and of every input profile.</para>
/// <para>The free texts and numbers of a record (<see cref="ValidationShapeRules.InScannedResourcesOnly"/>:
/// <c>CodeableConcept.text</c>, <c>Annotation.text</c>, <c>Coding.display</c>, <c>Quantity.value</c>) are data
/// types' leaves that their parents can read, so they are left out only in the resource types those tests scan at
/// every place (<see cref="ValidationShapeRules.ScannedResources"/>), and displays and quantities only at the places
/// listed (<see cref="ValidationShapeRules.OnlyAt"/>): where a required binding checks a display (Firely's
/// terminology check compares it with the code system's), an invariant compares whole Codings (obs-7) or Quantities
/// (rng-2), or a profile bounds a quantity, the value is kept. A CodeableConcept's text is read by Firely's binding
/// check only for being empty or not (an extensible binding wants a code or a text), which a left-out text never is,
/// and in the message of an error, a run whose outcome a shape never stands for.</para>
/// <para>Codes and systems (<c>Coding.code</c>, <c>Coding.system</c>) are left out the same way only where the base
/// resources bind the concept with example strength, which Firely does not check (<see cref="ValidationShapeRules.OnlyAt"/>:
/// the primary cancer, bone sites and procedure), in base runs only; a left-out system that is a URN or ends with a
/// token of the shape gives no shape, as a canonical does.</para>
/// <para>Everything else (other codes and systems, the other texts, extensions, structure, element order, types of choice elements,
/// canonicals) is hashed as it is; a canonical that ends with a token of the shape, or is a URN,
/// could resolve to an entry in one record and not in another, so such a resource has no shape. A resource with contained resources or elements the SDK could not map
/// (overflow) has no shape; nor has one with an element id that equals a token of the record or holds ':' or '/'
/// (Firely resolves a reference to the nearest ancestor whose id is the reference's id: other element ids are kept as
/// they are), or a declared profile the validator knows (meta.profile: Firely validates against it too,
/// and a profile outside the scanned ones may read a left-out leaf, as the core vital-signs profiles read
/// Observation.effective). Declared profiles it does not know (US Core, mCODE: <see cref="FhirValidation.IsKnownProfile(string)"/>)
/// are left out of validation, so they are kept in the shape as they are, like any canonical.</para>
/// </remarks>
public static class ValidationShape
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The shape's hash, or null when the resource holds something a shape cannot stand for.</summary>
    /// <param name="resource">The resource to validate.</param>
    /// <param name="rules">What may be left out, and the checks a left-out value must pass.</param>
    /// <param name="profiled">Whether it is validated against a BoneMetRT profile, which constrains some leaves further
    /// (<see cref="ValidationShapeRules.NotFreeInProfiles"/>).</param>
    public static byte[]? Of(Resource resource, ValidationShapeRules rules, bool profiled = false)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        var writer = new Writer(buffer, rules, profiled);
        if (!writer.Node(resource) || writer.Ambiguous || writer.CanonicalMayResolve || writer.ElementIdMayResolve)
        {
            return null;
        }

        return SHA256.HashData(buffer.WrittenSpan);
    }

    private struct Writer(ArrayBufferWriter<byte> buffer, ValidationShapeRules rules, bool profiled)
    {
        private Dictionary<string, int>? _tokens;

        // Where the walk stands: the element names from the current resource (its type first), which the rules read
        // for the leaves that are free only in some places; and how many extensions it is inside (a leaf inside an
        // extension is never free: the extension's definition, found by its url, is not one the shape tests scan).
        private List<string>? _path;
        private int _resourceStart;
        private int _extensions;
        private bool _versionId;
        private bool _idFullUrl;

        /// <summary>
        /// A meta.versionId beside a fullUrl ending in an id token: bdl-7 compares fullUrl &amp; versionId, a
        /// concatenation that a variable-length token could make equal in one record and not in another of the shape.
        /// </summary>
        public readonly bool Ambiguous => _versionId && _idFullUrl;

        private List<string>? _canonicals;

        /// <summary>
        /// A canonical that could resolve to an entry: Firely resolves canonicals in the Bundle as it does references,
        /// but a canonical is kept as it is, so it must not name any token of the shape (nor a <c>urn:uuid:</c>).
        /// </summary>
        public readonly bool CanonicalMayResolve
        {
            get
            {
                var tokens = _tokens;
                return _canonicals is { } canonicals && canonicals.Exists(c =>
                {
                    var url = c.Split('|')[0];
                    return url.StartsWith("urn:", StringComparison.Ordinal) || (tokens?.ContainsKey(url[(url.LastIndexOf('/') + 1)..]) ?? false);
                });
            }
        }

        private List<string>? _elementIds;

        /// <summary>
        /// An element id that could stop Firely's resolution of a reference in one record of the shape and not in
        /// another: one equal to a token of the record, or holding ':' or '/', as a whole identifier string does.
        /// </summary>
        public readonly bool ElementIdMayResolve
        {
            get
            {
                var tokens = _tokens;
                return _elementIds is { } ids && ids.Exists(id => id.Contains(':', StringComparison.Ordinal) || id.Contains('/', StringComparison.Ordinal) || (tokens?.ContainsKey(id) ?? false));
            }
        }

        public bool Node(Base node)
        {
            // An element id is kept as it is. Firely resolves a reference by walking up from it and taking the first
            // ancestor whose id equals the reference's id (for urn:uuid: references, of any type), so an element id
            // that names a token of the record, or could name part of an identifier string (a ':' or '/' in it), gives
            // no shape (ElementIdMayResolve): in one record of the shape it could stop a resolution, in another not.
            // A declared profile (meta.profile) that the validator knows is validated too, and may read a left-out
            // leaf (the core vital-signs profiles' vs-1 reads Observation.effective), while the shape tests only scan
            // the base resources and the input profiles; one it does not know is left out of validation
            // (FhirValidation.IsKnownProfile) and is kept in the shape as it is, as every canonical.
            if (node is Element { ElementId: { } elementId })
            {
                (_elementIds ??= []).Add(elementId);
            }

            if (node.HasOverflow || node is DomainResource { Contained.Count: > 0 } || (node is Meta { ProfileElement.Count: > 0 } meta && !rules.DeclaresUnknownProfilesOnly(meta)))
            {
                return false;
            }

            _versionId |= node is Meta { VersionIdElement: not null };
            var path = _path ??= new List<string>(16);
            var resourceStart = _resourceStart;
            if (node is Resource)
            {
                _resourceStart = path.Count;
                path.Add(node.TypeName);
            }

            var extension = node is Extension;
            _extensions += extension ? 1 : 0;
            Tag('{');
            Text(node.TypeName);
            var ok = true;
            foreach (var (name, value) in node.EnumerateElements())
            {
                Text(name);
                switch (value)
                {
                    case Base child:
                        ok = Child(node, name, child);
                        break;
                    case IReadOnlyList<Base> list:
                        Tag('[');
                        Int(list.Count);
                        foreach (var item in list)
                        {
                            if (!(ok = Child(node, name, item)))
                            {
                                break;
                            }
                        }

                        break;
                    default:
                        Raw(value);
                        break;
                }

                if (!ok)
                {
                    break;
                }
            }

            _extensions -= extension ? 1 : 0;
            if (node is Resource)
            {
                path.RemoveAt(path.Count - 1);
                _resourceStart = resourceStart;
            }

            Tag('}');
            return ok;
        }

        private bool Child(Base owner, string name, Base child)
        {
            if (child is PrimitiveType primitive)
            {
                if (ValidationShapeRules.IdentityOf(owner, name) is { } identity)
                {
                    return Identity(identity, primitive);
                }

                if (_extensions == 0 && rules.IsFreeLeaf(owner, name, primitive, profiled, CollectionsMarshal.AsSpan(_path)[_resourceStart..]))
                {
                    // A left-out system is no canonical and Firely resolves none at these places, but it is held to the
                    // same rule all the same: one that is a URN or ends with a token of the shape gives no shape.
                    if (primitive is FhirUri { Value: { } system })
                    {
                        (_canonicals ??= []).Add(system);
                    }

                    Tag('~');
                    Text(primitive.TypeName);
                    return true;
                }

                if (primitive is Hl7.Fhir.Model.Canonical { Value: { } canonical })
                {
                    (_canonicals ??= []).Add(canonical);
                }

                Tag('=');
                Raw(primitive.JsonValue);
            }

            // The path of the child, for the leaves below it (a resource below, in Bundle.entry.resource, starts its own).
            _path!.Add(name);
            var ok = Node(child);
            _path.RemoveAt(_path.Count - 1);
            return ok;
        }

        private bool Identity(ValidationShapeRules.IdentityKind kind, PrimitiveType primitive)
        {
            if (primitive.JsonValue is not string value || primitive is Element { ElementId: not null } || primitive is Element { Extension.Count: > 0 }
                || rules.SplitIdentity(kind, value) is not var (prefix, token))
            {
                return false;
            }

            var isUuid = ValidationShapeRules.IsUuid(token);
            _idFullUrl |= kind == ValidationShapeRules.IdentityKind.FullUrl && prefix != "urn:uuid:";

            _tokens ??= new Dictionary<string, int>(StringComparer.Ordinal);
            if (!_tokens.TryGetValue(token, out var index))
            {
                index = _tokens.Count;
                _tokens.Add(token, index);
            }

            Tag('#');
            Text(prefix);
            Tag(isUuid ? 'u' : 'i');
            Int(index);
            return true;
        }

        private readonly void Raw(object? value)
        {
            switch (value)
            {
                case null:
                    Tag('0');
                    break;
                case string s:
                    Tag('s');
                    Text(s);
                    break;
                case IFormattable f:
                    Text(value.GetType().Name);
                    Text(f.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    Text(value.GetType().Name);
                    Text(value.ToString() ?? "");
                    break;
            }
        }

        private readonly void Tag(char c)
        {
            buffer.GetSpan(1)[0] = (byte)c;
            buffer.Advance(1);
        }

        private readonly void Int(int value)
        {
            MemoryMarshal.Write(buffer.GetSpan(4), in value);
            buffer.Advance(4);
        }

        // Length-prefixed UTF-16: no two sequences of texts write the same bytes.
        private readonly void Text(string text)
        {
            Int(text.Length);
            var bytes = MemoryMarshal.AsBytes(text.AsSpan());
            bytes.CopyTo(buffer.GetSpan(bytes.Length));
            buffer.Advance(bytes.Length);
        }
    }
}

/// <summary>
/// What <see cref="ValidationShape"/> may leave out of a shape, and the checks a left-out value must pass: the regular
/// expressions of the FHIR primitive types, read from the core StructureDefinitions the validator uses.
/// </summary>
public sealed class ValidationShapeRules
{
    /// <summary>Where an identifier string stands.</summary>
    public enum IdentityKind
    {
        /// <summary><c>Resource.id</c>.</summary>
        ResourceId,

        /// <summary><c>Bundle.entry.fullUrl</c>.</summary>
        FullUrl,

        /// <summary><c>Reference.reference</c>.</summary>
        Reference,
    }

    /// <summary>
    /// The resource types whose compiled schemas the shape tests scan for every place a leaf of a data type can stand
    /// (<see cref="InScannedResourcesOnly"/>): a resource of another type keeps those leaves in its shape.
    /// </summary>
    public static readonly IReadOnlyList<string> ScannedResources = ["Bundle", "Patient", "Condition", "Observation", "Procedure"];

    /// <summary>
    /// The leaves added for free texts and numbers, free only in a resource of <see cref="ScannedResources"/> (and only
    /// at <see cref="OnlyAt"/> places when they are listed there). The texts a record carries beside its codes
    /// (<c>CodeableConcept.text</c>, notes) are read by no binding except for being empty or not, which a left-out
    /// value never is; a display is read by the terminology check of a required binding, and a number by bounds and
    /// comparisons (<c>Range</c>'s rng-2), so those two are free only where the shape tests find nothing that reads them.
    /// </summary>
    public static readonly IReadOnlyList<(Type Owner, string Element, Type Primitive)> InScannedResourcesOnly =
    [
        (typeof(CodeableConcept), "text", typeof(FhirString)),
        (typeof(Annotation), "text", typeof(Markdown)),
        (typeof(Coding), "display", typeof(FhirString)),
        (typeof(Quantity), "value", typeof(FhirDecimal)),
        (typeof(Coding), "code", typeof(Code)),
        (typeof(Coding), "system", typeof(FhirUri)),
    ];

    /// <summary>
    /// The free-valued leaves: (owner type, element name, primitive type). Each is checked by the shape tests against
    /// the compiled schemas; add one only with that test. The last ones are <see cref="InScannedResourcesOnly"/>,
    /// declared first: static fields are initialised in textual order.
    /// </summary>
    public static readonly IReadOnlyList<(Type Owner, string Element, Type Primitive)> Leaves =
    [
        (typeof(Patient), "birthDate", typeof(Date)),
        (typeof(Condition), "onset", typeof(FhirDateTime)),
        (typeof(Condition), "recordedDate", typeof(FhirDateTime)),
        (typeof(Observation), "effective", typeof(FhirDateTime)),
        (typeof(Observation), "issued", typeof(Instant)),
        (typeof(Observation), "value", typeof(Integer)),
        (typeof(Procedure), "performed", typeof(FhirDateTime)),
        (typeof(Identifier), "value", typeof(FhirString)),
        (typeof(HumanName), "family", typeof(FhirString)),
        (typeof(HumanName), "given", typeof(FhirString)),
        .. InScannedResourcesOnly,
    ];

    /// <summary>
    /// Leaves that the input profiles constrain (the value of a bonemet Observation: bindings, bounds, fixed values),
    /// and so are kept in the shape of a profile run.
    /// </summary>
    public static readonly IReadOnlyList<(Type Owner, string Element, Type Primitive)> NotFreeInProfiles =
    [
        (typeof(Observation), "value", typeof(Integer)),
        (typeof(Quantity), "value", typeof(FhirDecimal)),
        (typeof(Coding), "code", typeof(Code)),
        (typeof(Coding), "system", typeof(FhirUri)),
    ];

    // The places of free codes and systems (OnlyAt), declared first: static fields are initialised in textual order.
    private static readonly string[] CodePlaces = ["Condition.code.coding", "Condition.bodySite.coding", "Procedure.code.coding", "Procedure.bodySite.coding"];

    /// <summary>
    /// Leaves free only at the places listed: the path, from the resource, of the element that holds the leaf (a
    /// choice element by its name without type, <c>Observation.value</c>). Elsewhere the value is kept: a display
    /// under a required binding (<c>Condition.clinicalStatus.coding</c>: Firely's terminology check reads it), the
    /// displays of <c>Observation.code</c> (obs-7 compares whole Codings of the code and the components' codes), a
    /// Quantity that is a Range's low or high (rng-2 compares them). Each place is checked by the shape tests in the
    /// base schema of its resource.
    /// </summary>
    public static readonly IReadOnlyDictionary<(Type Owner, string Element, Type Primitive), IReadOnlyList<string>> OnlyAt =
        new Dictionary<(Type, string, Type), IReadOnlyList<string>>
        {
            [(typeof(Coding), "display", typeof(FhirString))] =
            [
                "Condition.code.coding", "Condition.bodySite.coding", "Condition.category.coding",
                "Observation.category.coding", "Observation.value.coding",
                "Procedure.code.coding", "Procedure.bodySite.coding", "Procedure.category.coding",
            ],
            [(typeof(Quantity), "value", typeof(FhirDecimal))] = ["Observation.value"],

            // Codes and systems where the base resources bind the concept with example strength, which Firely checks
            // for nothing (BindingValidator: no NonRequiredBindings check), and no invariant, pattern or slice reads
            // them; not Observation.code (obs-7 compares whole Codings), nor any required or extensible binding.
            [(typeof(Coding), "code", typeof(Code))] = CodePlaces,
            [(typeof(Coding), "system", typeof(FhirUri))] = CodePlaces,
        };

    /// <summary>
    /// <see cref="OnlyAt"/> in a profile run: the places where a leaf is free in every input profile too (the
    /// profiles bind <c>Observation.code</c> and <c>Observation.value</c> to required value sets, whose check reads
    /// the displays; <c>Quantity.value</c> is bounded there, see <see cref="NotFreeInProfiles"/>). Each place is
    /// checked by the shape tests in every input profile.
    /// </summary>
    public static readonly IReadOnlyDictionary<(Type Owner, string Element, Type Primitive), IReadOnlyList<string>> OnlyAtInProfiles =
        new Dictionary<(Type, string, Type), IReadOnlyList<string>>
        {
            [(typeof(Coding), "display", typeof(FhirString))] = ["Observation.category.coding"],
        };

    private static readonly HashSet<(Type, string, Type)> LeafSet = [.. Leaves];
    private static readonly HashSet<(Type, string, Type)> ProfiledLeafSet = [.. Leaves.Except(NotFreeInProfiles)];
    private static readonly HashSet<(Type, string, Type)> ScannedOnlySet = [.. InScannedResourcesOnly];
    private static readonly FrozenSet<string> ScannedResourceSet = ScannedResources.ToFrozenSet(StringComparer.Ordinal);
    private static readonly Dictionary<(Type, string, Type), string[][]> Places = OnlyAt.ToDictionary(p => p.Key, p => p.Value.Select(v => v.Split('.')).ToArray());
    private static readonly Dictionary<(Type, string, Type), string[][]> ProfiledPlaces = OnlyAtInProfiles.ToDictionary(p => p.Key, p => p.Value.Select(v => v.Split('.')).ToArray());

    /// <summary>
    /// The longest value a left-out leaf may have: the length Firely's schemas allow a FHIR string (1 MiB of characters)
    /// when the element sets no maxLength of its own, which the shape tests check none of the leaves does.
    /// </summary>
    public const int MaxStringLength = 1_048_576;

    private readonly Dictionary<Type, Regex> _regexes;
    private readonly Regex _id;
    private readonly Dictionary<string, string> _patterns = [];

    private readonly Func<string, bool>? _knownProfile;

    /// <summary>
    /// Reads the primitive types' regular expressions with <paramref name="regexOf"/> (type name → pattern), which must
    /// answer the patterns Firely compiles (after its corrections: see FhirValidation), since a left-out value is one
    /// that passes them.
    /// </summary>
    /// <param name="regexOf">The regex of a FHIR primitive type, by type name.</param>
    /// <param name="knownProfile">Whether a declared profile (<c>meta.profile</c>) is one the validator knows and so
    /// validates against (<see cref="FhirValidation.IsKnownProfile(string)"/>); a resource declaring one has no shape.
    /// Null: every declared profile counts as known.</param>
    public ValidationShapeRules(Func<string, string?> regexOf, Func<string, bool>? knownProfile = null)
    {
        _knownProfile = knownProfile;
        Regex Anchored(string type)
        {
            var pattern = regexOf(type) ?? throw new InvalidOperationException($"No regex for the FHIR type {type}.");
            _patterns[type] = pattern;
            return InterpretedRegex.Anchored(pattern); // the very regex Firely's validators of the type match with
        }

        _regexes = new()
        {
            [typeof(Date)] = Anchored("date"),
            [typeof(FhirDateTime)] = Anchored("dateTime"),
            [typeof(Instant)] = Anchored("instant"),
            [typeof(Integer)] = Anchored("integer"),
            [typeof(FhirString)] = Anchored("string"),
            [typeof(Markdown)] = Anchored("markdown"),
            [typeof(FhirDecimal)] = Anchored("decimal"),
            [typeof(Code)] = Anchored("code"),
            [typeof(FhirUri)] = Anchored("uri"),
        };
        _id = Anchored("id");
    }

    /// <summary>
    /// The regular expression (unanchored) a value of the FHIR primitive type <paramref name="type"/> (date, dateTime,
    /// instant, integer, string, id) must match to be left out or taken as a token.
    /// </summary>
    public string PatternOf(string type) => _patterns[type];

    /// <summary>Where <paramref name="name"/> of <paramref name="owner"/> is an identifier string, its kind.</summary>
    public static IdentityKind? IdentityOf(Base owner, string name) => owner switch
    {
        Resource when name == "id" => IdentityKind.ResourceId,
        Bundle.EntryComponent when name == "fullUrl" => IdentityKind.FullUrl,
        ResourceReference when name == "reference" => IdentityKind.Reference,
        _ => null,
    };

    /// <summary>
    /// The longest identifier string a shape stands for: far below the length Firely allows a string (1 MiB of
    /// characters), so that no token, whatever its length, can take an identifier over it.
    /// </summary>
    public const int MaxIdentityLength = 4096;

    /// <summary>
    /// Splits an identifier string into what a shape keeps (its prefix) and its token, or null when it is in none of
    /// the forms a shape stands for: a FHIR id or lower-case UUID (<c>Resource.id</c>); <c>urn:uuid:U</c>;
    /// <c>Type/T</c> (a reference); <c>http(s)://host[:port]/segments/Type/T</c> with the base's restricted characters
    /// (host name, port up to 65535, path segments of unreserved characters, none <c>_history</c> or of dots only). In each form Firely reads the resource type and id where the shape does: the
    /// id is the token, never a part of the prefix (as it would be with a query, a fragment, or a <c>_history</c>
    /// segment before the type), and nothing else of the string depends on the token.
    /// </summary>
    public (string Prefix, string Token)? SplitIdentity(IdentityKind kind, string value)
    {
        if (value.Length is 0 or > MaxIdentityLength)
        {
            return null;
        }

        string prefix;
        string token;
        if (kind == IdentityKind.ResourceId)
        {
            (prefix, token) = ("", value);
        }
        else if (value.StartsWith("urn:uuid:", StringComparison.Ordinal))
        {
            (prefix, token) = ("urn:uuid:", value["urn:uuid:".Length..]);
            if (!IsUuid(token))
            {
                return null;
            }
        }
        else
        {
            var slash = value.LastIndexOf('/');
            (prefix, token) = (value[..(slash + 1)], value[(slash + 1)..]);
            if (slash > 0 && value.IndexOf('/') == slash)
            {
                // Type/T: a relative reference (a relative fullUrl is not one of the forms).
                if (kind != IdentityKind.Reference || !IsResourceType(value.AsSpan(0, slash)))
                {
                    return null;
                }
            }
            else if (!IsAbsoluteBase(prefix))
            {
                return null;
            }
        }

        return IsUuid(token) || IsIdToken(token) ? (prefix, token) : null;
    }

    // Whether the base of an absolute identifier is "http(s)://host[:port]/segments/Type/" with Type a resource type: a
    // host name of letters, digits, hyphens and dots, a port up to 65535, path segments of unreserved characters only,
    // none "_history" nor of dots only. Nothing in such a base is escaped, unescaped, dropped (query, fragment) or
    // rewritten (backslashes, dot segments) by System.Uri, so Firely's ResourceIdentity, which splits Uri.LocalPath,
    // reads the same segments as the shape.
    private static bool IsAbsoluteBase(string prefix)
    {
        var rest = prefix.AsSpan();
        if (rest.StartsWith("https://", StringComparison.Ordinal))
        {
            rest = rest["https://".Length..];
        }
        else if (rest.StartsWith("http://", StringComparison.Ordinal))
        {
            rest = rest["http://".Length..];
        }
        else
        {
            return false;
        }

        var authorityEnd = rest.IndexOf('/');
        if (authorityEnd <= 0 || rest[^1] != '/')
        {
            return false;
        }

        var authority = rest[..authorityEnd];
        var colon = authority.IndexOf(':');
        if (colon >= 0 && !(colon < authority.Length - 1 && authority.Length - colon - 1 <= 5 && !authority[(colon + 1)..].ContainsAnyExceptInRange('0', '9')
            && int.Parse(authority[(colon + 1)..], CultureInfo.InvariantCulture) <= 65535))
        {
            return false;
        }

        foreach (var range in (colon >= 0 ? authority[..colon] : authority).Split('.'))
        {
            var label = authority[range];
            if (label.IsEmpty || !char.IsAsciiLetterOrDigit(label[0]) || !char.IsAsciiLetterOrDigit(label[^1]) || label.ContainsAnyExcept(HostCharacters))
            {
                return false;
            }
        }

        // "/segments/Type/" without its last slash: every segment non-empty, the last one the type.
        var path = rest[(authorityEnd + 1)..^1];
        var type = ReadOnlySpan<char>.Empty;
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (segment.IsEmpty || segment.ContainsAnyExcept(PathCharacters) || segment.SequenceEqual("_history") || !segment.ContainsAnyExcept('.'))
            {
                return false;
            }

            type = segment;
        }

        return IsResourceType(type);
    }

    private static readonly SearchValues<char> HostCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");
    private static readonly SearchValues<char> PathCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");

    // The resource type names as spelled (ModelInfo.IsKnownResource ignores case; Firely reads no type from "patient/1").
    private static readonly FrozenSet<string> ResourceTypes = ModelInfo.SupportedResources.ToFrozenSet(StringComparer.Ordinal);

    private static bool IsResourceType(ReadOnlySpan<char> name) => ResourceTypes.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name);

    /// <summary>A lower-case UUID (8-4-4-4-12 hexadecimal digits).</summary>
    public static bool IsUuid(string token)
    {
        if (token.Length != 36)
        {
            return false;
        }

        for (var i = 0; i < 36; i++)
        {
            var c = token[i];
            var ok = i is 8 or 13 or 18 or 23 ? c == '-' : c is (>= '0' and <= '9') or (>= 'a' and <= 'f');
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether every profile <paramref name="meta"/> declares is one the validator does not know, and so leaves out of
    /// validation: then the declared profiles change nothing Firely checks beyond their own format, and the shape keeps
    /// them as they are. False without the validator's answer (rules built without it).
    /// </summary>
    public bool DeclaresUnknownProfilesOnly(Meta meta) =>
        _knownProfile is { } known && meta.ProfileElement.TrueForAll(p => p.JsonValue is string profile && !known(profile));

    /// <summary>A FHIR id (the id type's regular expression) with at least one letter or digit, so never "." or "..".</summary>
    public bool IsIdToken(string token) => token.Any(char.IsAsciiLetterOrDigit) && _id.IsMatch(token);

    /// <summary>
    /// Whether this leaf's value may be left out: a listed leaf, at a place where it is free, with a value that passes
    /// its type's checks, and nothing else on it.
    /// </summary>
    /// <param name="owner">The element (or resource) that holds the leaf.</param>
    /// <param name="name">The leaf's element name.</param>
    /// <param name="primitive">The leaf.</param>
    /// <param name="profiled">Whether the run is against an input profile.</param>
    /// <param name="place">The path of <paramref name="owner"/> from its resource, the resource type first
    /// (<c>Condition</c>, <c>code</c>, <c>coding</c>); ignored for the leaves free everywhere.</param>
    public bool IsFreeLeaf(Base owner, string name, PrimitiveType primitive, bool profiled, ReadOnlySpan<string> place)
    {
        var leaf = (owner.GetType(), name, primitive.GetType());
        if (!(profiled ? ProfiledLeafSet : LeafSet).Contains(leaf) || primitive.ElementId is not null || primitive.Extension.Count > 0)
        {
            return false;
        }

        if (ScannedOnlySet.Contains(leaf) && (place.IsEmpty || !ScannedResourceSet.Contains(place[0])))
        {
            return false;
        }

        if ((profiled ? ProfiledPlaces : Places).TryGetValue(leaf, out var places) && !IsOneOf(place, places))
        {
            return false;
        }

        return primitive.JsonValue switch
        {
            string s => s.Length is > 0 and <= MaxStringLength && primitive.HasValidValue() && _regexes[primitive.GetType()].IsMatch(s),
            int i => primitive is Integer && primitive.HasValidValue() && _regexes[typeof(Integer)].IsMatch(i.ToString(CultureInfo.InvariantCulture)),
            decimal d => primitive is FhirDecimal && primitive.HasValidValue() && _regexes[typeof(FhirDecimal)].IsMatch(d.ToString(CultureInfo.InvariantCulture)),
            _ => false,
        };
    }

    private static bool IsOneOf(ReadOnlySpan<string> place, string[][] places)
    {
        foreach (var candidate in places)
        {
            if (place.SequenceEqual(candidate))
            {
                return true;
            }
        }

        return false;
    }
}

#pragma warning disable ExperimentalApi // Firely marks its schema resolvers experimental; they are what Validator uses inside.
using Firely.Fhir.Validation;

namespace BoneMetRT.Fhir.Validation;

/// <summary>
/// Lets one thread at a time ask Firely's cached schema resolver for a schema. Converting a StructureDefinition into
/// a schema is not safe when two threads convert the same definition at once: under parallel test runs one of them
/// failed now and then ("Failed to convert ElementDefinition at code in profile …/code: Index was out of range"), and
/// that validation answered a 422 for a valid request. Once converted, a schema is cached, so the lock costs a
/// dictionary lookup per call; conversions happen during warm-up.
/// </summary>
internal sealed class SerializedSchemaResolver(IElementSchemaResolver inner) : IElementSchemaResolver
{
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public ElementSchema? GetSchema(Canonical schemaUri)
    {
        lock (_lock)
        {
            return inner.GetSchema(schemaUri);
        }
    }
}

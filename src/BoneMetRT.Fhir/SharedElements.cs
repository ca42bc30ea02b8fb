using System.Collections.Concurrent;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir;

/// <summary>
/// Elements of the answer that say the same thing in every answer that holds them (a text's translation, a note, a
/// coded concept with its bilingual text, an output's meta with its profile), made once per key and shared: answers are
/// never changed once made (what changes one, <c>$apply</c>, the write-back and the CDS order check, copies it deeply
/// first), so one instance serves them all, and <see cref="FhirJsonWriter"/> writes its JSON from the bytes kept when it
/// was made (<see cref="FhirJsonWriter.Freeze"/>; <see cref="FhirJsonWriter.FrozenUnchanged"/> checks that none was
/// changed).
/// </summary>
/// <remarks>
/// A fill-once memo, as <see cref="DeserializerChecks"/> keeps primitives: keys made of a request's own values (dates,
/// numbers in a text) would otherwise keep coming and stay for good; past the bound, or for a long text, each answer gets
/// an element of its own, as before. The guideline's texts come to a few hundred per language; the bound keeps a kind
/// to a few MB (elements, keys and kept JSON, 2 to 3 KB each at worst) whatever the requests say.
/// </remarks>
internal sealed class SharedElements<TKey, T>
    where TKey : notnull
    where T : Base
{
    private const int MaxElements = 2048;
    private const int MaxTextLength = 1024;
    private readonly ConcurrentDictionary<TKey, T> _made = new();
    private int _count;

    /// <summary>The element for <paramref name="key"/>: the shared one, or one made by <paramref name="make"/> (shared from then on when it may be).</summary>
    /// <param name="key">What the element says, all of it.</param>
    /// <param name="textLength">The length of the longest text in the key (long texts are not kept).</param>
    /// <param name="make">Makes the element from the key alone.</param>
    public T Get(TKey key, int textLength, Func<TKey, T> make)
    {
        if (_made.TryGetValue(key, out var shared))
        {
            return shared;
        }

        var made = make(key);
        // ConcurrentDictionary.Count takes every lock: a count of our own, which may pass the bound by a few under races.
        if (textLength <= MaxTextLength && Volatile.Read(ref _count) < MaxElements && _made.TryAdd(key, made))
        {
            Interlocked.Increment(ref _count);
            FhirJsonWriter.Freeze(made);
        }

        return made;
    }
}

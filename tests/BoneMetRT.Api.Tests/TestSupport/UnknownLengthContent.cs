using System.Net;

namespace BoneMetRT.Api.Tests.TestSupport;

/// <summary>A body sent without Content-Length (chunked), so that the service must stop reading at its limit.</summary>
public sealed class UnknownLengthContent(byte[] bytes) : HttpContent
{
    /// <summary>The body.</summary>
    public byte[] Bytes { get; } = bytes;

    /// <inheritdoc/>
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        // Several writes, as a client streaming a large body would.
        for (var offset = 0; offset < Bytes.Length; offset += 8192)
        {
            await stream.WriteAsync(Bytes.AsMemory(offset, Math.Min(8192, Bytes.Length - offset)));
        }
    }

    /// <inheritdoc/>
    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }

    /// <summary>Creates the content with its media type.</summary>
    public static UnknownLengthContent Of(byte[] bytes, string contentType)
    {
        var content = new UnknownLengthContent(bytes);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return content;
    }
}

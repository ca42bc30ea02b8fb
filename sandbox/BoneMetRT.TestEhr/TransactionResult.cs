using System.Text.Json.Nodes;

namespace BoneMetRT.TestEhr;

/// <summary>What a transaction answers: a <c>transaction-response</c> Bundle, or an OperationOutcome with a 4xx status.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Body">The Bundle or the OperationOutcome.</param>
public sealed record TransactionResult(int Status, JsonObject Body)
{
    /// <summary>A refusal: an OperationOutcome with one error issue, in English with the French text after it.</summary>
    public static TransactionResult Refused(int status, string code, string en, string fr) => new(status, Outcome(code, en, fr));

    /// <summary>An OperationOutcome with one error issue, in English with the French text after it.</summary>
    public static JsonObject Outcome(string code, string en, string fr) => new()
    {
        ["resourceType"] = "OperationOutcome",
        ["issue"] = new JsonArray(new JsonObject
        {
            ["severity"] = "error",
            ["code"] = code,
            ["details"] = new JsonObject { ["text"] = $"{en} / {fr}" },
        }),
    };
}

using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using ImagingValue.Cds.Fhir;
using ImagingValue.Cds.Tests.Support;
using ImagingValue.Cds.Wire;
using ImagingValue.Tests.Shared;

namespace ImagingValue.Cds.Tests.Fuzz;

/// <summary>
/// Generated and mangled JSON for the hook request reader and the feedback reader: each answers a parsed request or
/// an error value, never an exception, within the per-case bounds of <see cref="PropertyFuzz"/>.
/// </summary>
public sealed class CdsInputFuzzTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private const string ValidFeedback =
        """{"feedback": [{"card": "c1", "outcome": "overridden", "overrideReason": {"reason": {"system": "s", "code": "tumor"}, "userComment": "x"}, "outcomeTimestamp": "2026-01-02T03:04:05Z"},"""
        + """ {"card": "c2", "outcome": "accepted", "acceptedSuggestions": [{"id": "s1"}], "outcomeTimestamp": "2026-01-02T03:04:05+14:00"}]}""";

    private static readonly Gen<string> Leaf = Gen.OneOf(
        Gen.Const("null"), Gen.Const("true"), Gen.Const("0"), Gen.Const("-1e400"), Gen.Const("1.5"), Gen.Const("\"\""),
        Gen.Const("\"\\ud800\""), Gen.Const("\"\\udc00x\\ud800\""), Gen.Const("\"0001-01-01T00:00:00+14:00\""), Gen.Const("\"9999-12-31T23:59:59-14:00\""),
        Gen.Const("\"accepted\""), Gen.Const("\"overridden\""), Gen.Const("\"Bundle\""), Gen.Const("\"ServiceRequest\""), Gen.Const("\"order-select\""),
        Gen.String[0, 30].Select(s => JsonSerializer.Serialize(s)),
        Gen.Int[1, 300_000].Select(n => "\"" + new string('a', n) + "\""),
        Gen.Int[1, 80].Select(depth => new string('[', depth) + new string(']', depth)),
        Gen.Int[1, 80].Select(depth => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)));

    private static readonly string[] Keys = ["hook", "hookInstance", "context", "draftOrders", "entry", "resource", "resourceType", "id", "code",
        "prefetch", "conditions", "patient", "fhirServer", "fhirAuthorization", "selections", "feedback", "card", "outcome",
        "acceptedSuggestions", "overrideReason", "reason", "userComment", "outcomeTimestamp", "system"];

    /// <summary>JSON values of a few levels, with the readers' own keys (so values land where they are read) and duplicates.</summary>
    private static readonly Gen<string> Json = Value(3);

    private static Gen<string> Element(string[] items) => Gen.Int[0, items.Length - 1].Select(i => items[i]);

    private static Gen<string> Value(int depth)
    {
        if (depth == 0)
        {
            return Leaf;
        }

        var inner = Value(depth - 1);
        var member = Gen.Select(Gen.OneOf(Element(Keys), Gen.String[0, 8]), inner, (k, v) => JsonSerializer.Serialize(k) + ":" + v);
        return Gen.OneOf(
            Leaf,
            inner.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]"),
            member.Array[0, 5].Select(members => "{" + string.Join(",", members) + "}"));
    }

    /// <summary>A valid document with one value (found by walking it) replaced by generated JSON, or its text edited.</summary>
    private static Gen<string> Mutated(string valid) => Gen.OneOf(
        Gen.Select(Gen.Int[0, int.MaxValue], Json, (pick, replacement) => Replace(valid, pick, replacement)),
        PropertyFuzz.Mutated(valid, Gen.OneOf(Json, PropertyFuzz.Snippet("{}[]:,\"\\ "))));

    private static string Replace(string valid, int pick, string replacement)
    {
        var root = JsonNode.Parse(valid)!;
        var nodes = new List<JsonNode>();
        Walk(root, nodes);
        var target = nodes[pick % nodes.Count];
        const string Marker = "\u0001replace-me\u0001";
        target.ReplaceWith(Marker);
        return root.ToJsonString().Replace(JsonSerializer.Serialize(Marker), replacement, StringComparison.Ordinal);
    }

    private static void Walk(JsonNode node, List<JsonNode> nodes)
    {
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            nodes.Add(child);
            Walk(child, nodes);
        }
    }

    private static readonly Gen<(string Body, string Hook)> Requests = Gen.OneOf(
        Element([TestFiles.CardCase, TestFiles.BreastCancerHistory, TestFiles.LumbarSelected, TestFiles.SignTwoDrafts, TestFiles.Sandbox])
            .SelectMany(name => Mutated(TestFiles.Read(name)).Select(body => (body, name == TestFiles.SignTwoDrafts ? Hooks.OrderSign : Hooks.OrderSelect))),
        Json.Select(body => (body, Hooks.OrderSelect)));

    [Fact]
    public void HookRequestReaderRead_AnyBody_RequestOrErrorNeverException()
    {
        // The first read loads Firely's model (about a second): warm-up, not a case.
        Assert.NotNull(HookRequestReader.Read(TestFiles.Read(TestFiles.CardCase), Hooks.OrderSelect).Request);
        PropertyFuzz.Check("cds-request", Requests, input =>
        {
            var read = HookRequestReader.Read(input.Body, input.Hook);

            Assert.True(read.Request is null != read.Error is null, "exactly one of a request and an error");
            if (read.Request is { } request)
            {
                Assert.InRange(request.Orders.Count, 0, HookRequestReader.MaxDraftOrders);
                Assert.InRange(request.Conditions.Count, 0, HookRequestReader.MaxConditions);
            }
        });
    }

    [Fact]
    public void FeedbackReaderRead_AnyBody_RecordsOrErrorNeverException()
    {
        PropertyFuzz.Check("cds-feedback", Gen.OneOf(Mutated(ValidFeedback), Json), body =>
        {
            var read = FeedbackReader.Read(body, "sacrum-mri-lbp-select", ReceivedAt);

            Assert.True(read.Records is null != read.Error is null, "exactly one of records and an error");
            Assert.All(read.Records ?? [], r =>
            {
                Assert.False(string.IsNullOrWhiteSpace(r.CardUuid));
                Assert.Contains(r.Outcome, new[] { "accepted", "overridden" });
                Assert.Equal(TimeSpan.Zero, r.OutcomeTimestamp.Offset);
            });
        });
    }
}

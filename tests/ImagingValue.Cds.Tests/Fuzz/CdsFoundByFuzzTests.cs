using ImagingValue.Cds.Fhir;
using ImagingValue.Cds.Tests.Support;
using ImagingValue.Cds.Wire;

namespace ImagingValue.Cds.Tests.Fuzz;

/// <summary>Bodies the fuzz suite found that made a reader throw, kept as plain regression tests.</summary>
public sealed class CdsFoundByFuzzTests
{
    // A raw (not escaped) unpaired surrogate in the body text: System.Text.Json threw ArgumentException.
    [Fact]
    public void HookRequestReaderRead_RawUnpairedSurrogate_ErrorValue()
    {
        var body = TestFiles.Read(TestFiles.CardCase).Replace("\"hookInstance\": \"", "\"hookInstance\": \"\ud800", StringComparison.Ordinal);
        Assert.Contains('\ud800', body);

        var read = HookRequestReader.Read(body, Hooks.OrderSelect);

        Assert.Equal(HookRequestReader.NotUnicode, read.Error);
    }

    [Fact]
    public void FeedbackReaderRead_RawUnpairedSurrogate_ErrorValue()
    {
        var read = FeedbackReader.Read("{\"feedback\": [{\"card\": \"c\ud800\"}]}", "svc", DateTimeOffset.UnixEpoch);

        Assert.Equal(HookRequestReader.NotUnicode, read.Error);
    }

    // An empty property name inside a draft ServiceRequest: Firely threw IndexOutOfRangeException out of the reader.
    [Fact]
    public void HookRequestReaderRead_EmptyPropertyNameInServiceRequest_NoOrderFromIt()
    {
        var json = TestFiles.ReadJson(TestFiles.CardCase);
        json["context"]!["draftOrders"]!["entry"]![0]!["resource"]!.AsObject()[""] = 1;

        var read = HookRequestReader.Read(json.ToJsonString(), Hooks.OrderSelect);

        Assert.Null(read.Request);
        Assert.Equal("A ServiceRequest in 'context.draftOrders' could not be read.", read.Error);
    }
}

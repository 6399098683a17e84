using System.Text;
using ImagingValue.Import.Hl7;

namespace ImagingValue.Import.Tests.Hl7;

public class Hl7FramingTests
{
    [Fact]
    public void PlainFile_SplitsAtEachMsh_WithTheStartLine()
    {
        var file = Encoding.ASCII.GetBytes("MSH|^~\\&|A\r\nPID|1\r\nMSH|^~\\&|B\nPID|2\n\nMSH|^~\\&|C\rPID|3");

        var messages = Hl7Framing.Split(file).ToList();

        Assert.Equal([1, 3, 6], messages.Select(m => m.Line));
        Assert.Equal("MSH|^~\\&|B\nPID|2\n\n", Encoding.ASCII.GetString(messages[1].Bytes.Span));
    }

    [Fact]
    public void MllpFramedFile_TakesWhatIsBetweenTheBlocks()
    {
        var file = Encoding.ASCII.GetBytes("\vMSH|^~\\&|A\rPID|1\r\u001c\r\n\vMSH|^~\\&|B\rPID|2\r\u001c\r");

        var messages = Hl7Framing.Split(file).Select(m => Encoding.ASCII.GetString(m.Bytes.Span)).ToList();

        Assert.Equal(["MSH|^~\\&|A\rPID|1\r", "MSH|^~\\&|B\rPID|2\r"], messages);
    }

    [Fact]
    public void TextThatIsNoMessage_IsHandedOnWhole_SoTheParserNamesIt()
    {
        var raw = Assert.Single(Hl7Framing.Split(Encoding.ASCII.GetBytes("hello\nworld\n")));

        Assert.False(Hl7Message.TryParse(raw.Bytes.Span, out _, out var problem));
        Assert.Equal("MSH", problem!.Segment);
    }
}

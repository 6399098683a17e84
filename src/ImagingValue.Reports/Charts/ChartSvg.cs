using System.Globalization;
using System.Xml.Linq;
using ScottPlot;

namespace ImagingValue.Reports.Charts;

/// <summary>
/// Turns ScottPlot's SVG into one a printed page can hold. ScottPlot (through Skia's SVG canvas) writes a fixed pixel
/// width and height and no viewBox, so a browser that narrows it to the page crops the drawing instead of shrinking
/// it; and Skia drops hatch shaders, so a hatched fill arrives as a flat colour. This adds the viewBox, lets the width
/// follow the container, and redraws chosen flat colours as SVG pattern fills.
/// </summary>
internal sealed class ChartSvg
{
    private static readonly XNamespace _svg = "http://www.w3.org/2000/svg";

    private readonly XDocument _document;

    private ChartSvg(XDocument document) => _document = document;

    /// <summary>The plot drawn at width × height user units, scaled to its container's width (height follows).</summary>
    public static ChartSvg Render(Plot plot, int width, int height)
    {
        var document = XDocument.Parse(plot.GetSvgXml(width, height));
        var root = document.Root!;
        root.SetAttributeValue("viewBox", string.Create(CultureInfo.InvariantCulture, $"0 0 {width} {height}"));
        root.SetAttributeValue("width", "100%");
        root.SetAttributeValue("height", null);
        return new ChartSvg(document);
    }

    /// <summary>Marks the chart's title (the text that reads exactly <paramref name="title"/>) with class <c>chart-title</c>.</summary>
    public ChartSvg MarkTitle(string title)
    {
        foreach (var text in Elements("text").Where(t => t.Value.Trim() == title))
        {
            text.SetAttributeValue("class", "chart-title");
        }

        return this;
    }

    /// <summary>
    /// Fills every shape painted in <paramref name="flat"/> with diagonal stripes of <paramref name="stripe"/> over
    /// that colour (legend swatches included), so the hatch survives in SVG and in print.
    /// </summary>
    public ChartSvg Hatch(Color flat, Color stripe, string patternId)
    {
        var hex = flat.ToHex()[..7];
        var shapes = Elements().Where(e => string.Equals((string?)e.Attribute("fill"), hex, StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var shape in shapes)
        {
            shape.SetAttributeValue("fill", $"url(#{patternId})");
        }

        var pattern = new XElement(
            _svg + "pattern",
            new XAttribute("id", patternId),
            new XAttribute("patternUnits", "userSpaceOnUse"),
            new XAttribute("width", "7"),
            new XAttribute("height", "7"),
            new XAttribute("patternTransform", "rotate(45)"),
            new XElement(_svg + "rect", new XAttribute("width", "7"), new XAttribute("height", "7"), new XAttribute("fill", hex)),
            new XElement(_svg + "rect", new XAttribute("width", "3"), new XAttribute("height", "7"), new XAttribute("fill", stripe.ToHex()[..7])));
        _document.Root!.AddFirst(new XElement(_svg + "defs", pattern));
        return this;
    }

    /// <summary>Adds <paramref name="cssClass"/> to the shapes stroked in <paramref name="stroke"/> (a colour kept for those marks alone).</summary>
    public ChartSvg MarkStroked(Color stroke, string cssClass)
    {
        var hex = stroke.ToHex()[..7];
        foreach (var shape in Elements().Where(e => string.Equals((string?)e.Attribute("stroke"), hex, StringComparison.OrdinalIgnoreCase)))
        {
            shape.SetAttributeValue("class", cssClass);
        }

        return this;
    }

    public override string ToString() => _document.Root!.ToString(SaveOptions.DisableFormatting);

    private IEnumerable<XElement> Elements(string? name = null) =>
        name is null ? _document.Descendants() : _document.Descendants(_svg + name);
}

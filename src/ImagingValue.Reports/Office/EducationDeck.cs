using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using ImagingValue.Core.Analytics;
using ImagingValue.Core.Text;
using ImagingValue.Reports.Charts;
using static ImagingValue.Reports.Office.Figures;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;

namespace ImagingValue.Reports.Office;

/// <summary>
/// The education deck for ordering clinicians (16:9 .pptx): the question, what the local audit found, its cost,
/// what the guidelines say, when the exam is the right call, what to do instead, and the exams-per-year chart.
/// Every figure comes from the <see cref="AuditResult"/>, every clinical sentence from the protocol (<see cref="ProtocolTexts"/>); the deck names no site.
/// </summary>
public static class EducationDeck
{
    /// <summary>16:9 at 13.333 x 7.5 inches, in EMU.</summary>
    public const long SlideWidth = 12192000;

    public const long SlideHeight = 6858000;

    private const long Margin = 609600;
    private const long TitleTop = 380000;
    private const long TitleHeight = 900000;
    private const long BodyTop = 1400000;

    public static void Write(string path, AuditResult audit, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(audit);
        OutputFolder.EnsureFor(path);

        var slides = Slides(audit, generatedAt);
        using var document = PresentationDocument.Create(path, PresentationDocumentType.Presentation);
        var presentationPart = document.AddPresentationPart();
        var (masterPart, layoutPart) = AddMasterAndLayout(presentationPart);

        var slideIds = new P.SlideIdList();
        uint slideId = 256;
        foreach (var content in slides)
        {
            var slidePart = presentationPart.AddNewPart<SlidePart>();
            slidePart.AddPart(layoutPart);
            slidePart.Slide = BuildSlide(slidePart, content, audit.Summary.Synthetic == true);
            slideIds.Append(new P.SlideId { Id = slideId++, RelationshipId = presentationPart.GetIdOfPart(slidePart) });
        }

        presentationPart.Presentation = new P.Presentation(
            new P.SlideMasterIdList(new P.SlideMasterId { Id = 2147483648U, RelationshipId = presentationPart.GetIdOfPart(masterPart) }),
            slideIds,
            new P.SlideSize { Cx = (int)SlideWidth, Cy = (int)SlideHeight },
            new P.NotesSize { Cx = 6858000, Cy = 9144000 },
            new P.DefaultTextStyle());

        document.PackageProperties.Title = audit.Protocol.Title + ": what the audit found";
        document.PackageProperties.Created = generatedAt.UtcDateTime;
    }

    private static List<SlideContent> Slides(AuditResult audit, DateTimeOffset generatedAt)
    {
        var s = audit.Summary;
        var p = audit.Protocol;
        var r = s.Review;
        var coverage = new ReviewCoverage(r.Reviewed, s.Cohort.Included);
        var period = $"{s.Period.From} to {s.Period.To} ({Plural.Count(s.Period.Months, "month")})";

        var title = new SlideContent(
            p.Title,
            [
                new($"Local audit of {p.TargetExam.Label} ordered for {p.Indication.Label}", Bullet: false),
                new($"Review period: {period}", Bullet: false),
                new($"For ordering clinicians · generated {Date(generatedAt)}", Bullet: false),
                .. s.Input is { } input ? [new Line(input.Describe(), Bullet: false)] : Array.Empty<Line>(),
            ],
            IsTitle: true);

        var question = new SlideContent(
            "The question",
            [
                .. ProtocolTexts.Question(p).Select(line => new Line(line)),
                new(p.Description),
                new($"We review every such exam performed from {s.Period.From} to {s.Period.To}: images, reports and charts, for major, minor and incidental findings and for changes in management ({coverage.Status})."),
            ]);

        var found = new List<Line>
        {
            new($"{Plural.Count(s.Cohort.Included, "exam")} included ({Plural.Count(s.Cohort.TargetExams, p.TargetExam.Label + " exam")} in the period; {s.Cohort.Excluded} excluded for a red flag or another indication)."),
        };
        if (coverage.None)
        {
            found.Add(new($"Findings and changes in management: {coverage.Status}."));
        }
        else
        {
            var yield = s.Yield.MajorRate is { } rate && s.Yield.MajorCi95 is { } ci ? $" ({Pct(rate)}, {Interval(ci[0], ci[1])})" : string.Empty;
            var ofReviewed = coverage.Complete ? $"of {Plural.Count(r.Reviewed, "reviewed exam")}" : $"of the {r.Reviewed} reviewed so far";
            found.Add(new($"Major finding (a likely, actionable cause of the pain): {r.MajorFindings} {ofReviewed}{yield}."));
            found.Add(new($"Change in management: {r.ManagementMajor} major and {r.ManagementMinor} minor, {(coverage.Complete ? $"of {r.Reviewed}" : ofReviewed)}."));
            found.Add(new($"Minor findings (unlikely cause, degenerative): {OfWithPct(r.MinorFindings, r.Reviewed)}."));
            found.Add(new($"Incidental findings (unrelated, or better seen on another exam): {OfWithPct(r.IncidentalFindings, r.Reviewed)}."));
            found.Add(new($"Reviewed: {coverage.Status}" + (coverage.Complete ? "." : $"; the figures cover the {r.Reviewed} reviewed so far.")));
        }

        var findings = new SlideContent("What the local audit found", found);

        var cost = new List<Line>
        {
            new($"Charge per exam: {Money(s.Cost.ChargePerExam)}"),
            new($"Total charges for the {Plural.Count(s.Cohort.Included, "included exam")}: {Money(s.Cost.TotalCharges)}"),
            new(!coverage.Complete
                ? $"Charges per major finding: not known until every included exam is reviewed ({r.Reviewed} of {s.Cohort.Included} so far)."
                : s.Cost.ChargesPerMajorFinding is { } perMajor
                    ? $"Charges per major finding: {Money(perMajor)}"
                    : $"No major finding in the {Plural.Count(r.Reviewed, "reviewed exam")} (all included): none of these charges bought an actionable diagnosis."),
        };
        if (s.FollowUp is { Covered: false } uncovered)
        {
            // The data does not cover the window: no count, no change, nothing claimed as saved.
            var end = uncovered.CoveredThrough is { } through ? $"the data ends on {through}" : "no order in the data on or after its start";
            cost.Add(new($"After the intervention, {uncovered.From} to {uncovered.To}: no data for this window ({end})."));
        }
        else if (s.FollowUp is { Observed: { } observed, Savings: { } savings } f)
        {
            var change = f.ChangePct is { } c ? $" ({Signed(c)}%)" : string.Empty;
            cost.Add(new($"After the intervention: {Plural.Count(observed, "such exam")} in {Plural.Count(f.Months, "month")} against {Num(f.Expected)} expected at the review period's {Num(f.BaselinePerMonth)} a month{change}, about {Money(savings)} in charges avoided."));
        }

        cost.Add(new("Charges, not costs: follow-up of incidental findings, time off work and patients' worry come on top."));
        var costSlide = new SlideContent("What it cost", cost);

        var guidelines = new SlideContent("What the guidelines say", [.. ProtocolTexts.Guidelines(p).Select(line => new Line(line))]);

        var redFlags = new List<Line> { new($"{p.TargetExam.Label} can be the right first test when the patient has a red flag:") };
        redFlags.AddRange(p.RedFlags.Select(flag => new Line(flag.Label, Level: 1)));
        var excludedForFlags = p.RedFlags.Sum(flag => s.Cohort.ExcludedByReason.GetValueOrDefault(flag.Id));
        redFlags.Add(new($"A red flag excluded {excludedForFlags} of the {Plural.Count(s.Cohort.TargetExams, "exam")} in this audit: they were not counted as low value."));
        var rightCall = new SlideContent(ProtocolTexts.RightCall(p), redFlags);

        var instead = new SlideContent("What to do instead", [.. ProtocolTexts.Instead(p).Select(line => new Line(line))]);

        var chartAlt = "Bar chart of included exams per year: "
            + string.Join("; ", s.ExamsPerYear.Select(y => $"{y.Label}: {y.Included?.ToString(CultureInfo.InvariantCulture) ?? "no data"}"))
            + (s.FollowUp is { Covered: false } ? ". The last, marked no data, is the post-intervention window, which the data does not cover."
                : s.ExamsPerYear.Any(y => y.IsFollowUp) ? ". The last, hatched bar is the post-intervention window." : ".");
        var chartNote = s.FollowUp switch
        {
            null => "Counts are printed on the bars.",
            { Covered: false } => "Counts are printed on the bars; the post-intervention window is marked no data: the data does not cover it.",
            _ => "Counts are printed on the bars; the hatched bar is the post-intervention window.",
        };
        var chart = new SlideContent(
            "Included exams per year",
            [new(chartNote, Bullet: false)],
            Chart: new ChartPicture(ExamsPerYearChart.Png(s.ExamsPerYear, 800, 400), chartAlt));

        return [title, question, findings, costSlide, guidelines, rightCall, instead, chart];
    }

    private static (SlideMasterPart Master, SlideLayoutPart Layout) AddMasterAndLayout(PresentationPart presentationPart)
    {
        var masterPart = presentationPart.AddNewPart<SlideMasterPart>();
        var layoutPart = masterPart.AddNewPart<SlideLayoutPart>();
        layoutPart.SlideLayout = new P.SlideLayout(
            new P.CommonSlideData(EmptyShapeTree()) { Name = "Blank" },
            new P.ColorMapOverride(new A.MasterColorMapping()))
        { Type = P.SlideLayoutValues.Blank, Preserve = true };
        layoutPart.AddPart(masterPart);

        var themePart = masterPart.AddNewPart<ThemePart>();
        using (var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(DeckTheme.Xml)))
        {
            themePart.FeedData(stream);
        }

        presentationPart.AddPart(themePart);
        masterPart.SlideMaster = new P.SlideMaster(
            new P.CommonSlideData(
                new P.Background(new P.BackgroundStyleReference(new A.SchemeColor { Val = A.SchemeColorValues.Background1 }) { Index = 1001U }),
                EmptyShapeTree()),
            new P.ColorMap
            {
                Background1 = A.ColorSchemeIndexValues.Light1,
                Text1 = A.ColorSchemeIndexValues.Dark1,
                Background2 = A.ColorSchemeIndexValues.Light2,
                Text2 = A.ColorSchemeIndexValues.Dark2,
                Accent1 = A.ColorSchemeIndexValues.Accent1,
                Accent2 = A.ColorSchemeIndexValues.Accent2,
                Accent3 = A.ColorSchemeIndexValues.Accent3,
                Accent4 = A.ColorSchemeIndexValues.Accent4,
                Accent5 = A.ColorSchemeIndexValues.Accent5,
                Accent6 = A.ColorSchemeIndexValues.Accent6,
                Hyperlink = A.ColorSchemeIndexValues.Hyperlink,
                FollowedHyperlink = A.ColorSchemeIndexValues.FollowedHyperlink,
            },
            new P.SlideLayoutIdList(new P.SlideLayoutId { Id = 2147483649U, RelationshipId = masterPart.GetIdOfPart(layoutPart) }),
            new P.TextStyles(new P.TitleStyle(), new P.BodyStyle(), new P.OtherStyle()));
        return (masterPart, layoutPart);
    }

    private static P.ShapeTree EmptyShapeTree() => new(
        new P.NonVisualGroupShapeProperties(
            new P.NonVisualDrawingProperties { Id = 1U, Name = string.Empty },
            new P.NonVisualGroupShapeDrawingProperties(),
            new P.ApplicationNonVisualDrawingProperties()),
        new P.GroupShapeProperties(new A.TransformGroup(
            new A.Offset { X = 0, Y = 0 },
            new A.Extents { Cx = 0, Cy = 0 },
            new A.ChildOffset { X = 0, Y = 0 },
            new A.ChildExtents { Cx = 0, Cy = 0 })));

    private static P.Slide BuildSlide(SlidePart slidePart, SlideContent content, bool synthetic)
    {
        var tree = EmptyShapeTree();
        uint id = 2;
        var width = SlideWidth - (2 * Margin);
        if (content.IsTitle)
        {
            tree.Append(TextBox(id++, "Title", Margin, 1900000, width, 1300000, [new Line(content.Title, Bullet: false)], 4000, bold: true));
            tree.Append(TextBox(id++, "Subtitle", Margin, 3400000, width, 1800000, content.Lines, 2200, bold: false));
        }
        else
        {
            tree.Append(TextBox(id++, "Title", Margin, TitleTop, width, TitleHeight, [new Line(content.Title, Bullet: false)], 3400, bold: true));
            if (content.Chart is { } chart)
            {
                const long pictureWidth = 9144000;
                const long pictureHeight = 4572000;
                tree.Append(Picture(slidePart, id++, chart, (SlideWidth - pictureWidth) / 2, BodyTop - 100000, pictureWidth, pictureHeight));
                tree.Append(TextBox(id++, "Caption", Margin, BodyTop + pictureHeight, width, 600000, content.Lines, 1600, bold: false));
            }
            else
            {
                // A long protocol (many red flags) still fits the slide.
                var size = content.Lines.Count > 8 ? 1800 : 2200;
                tree.Append(TextBox(id++, "Body", Margin, BodyTop, width, SlideHeight - BodyTop - 400000, content.Lines, size, bold: false));
            }
        }

        if (synthetic)
        {
            // Every slide, so a slide shown or copied on its own still says so.
            tree.Append(TextBox(id, "Synthetic data", Margin, SlideHeight - 380000, width, 340000, [new Line(Html.AuditReport.SyntheticNotice, Bullet: false)], 1400, bold: true));
        }

        return new P.Slide(new P.CommonSlideData(tree), new P.ColorMapOverride(new A.MasterColorMapping()));
    }

    private static P.Shape TextBox(uint id, string name, long x, long y, long cx, long cy, IReadOnlyList<Line> lines, int size, bool bold)
    {
        var body = new P.TextBody(
            new A.BodyProperties { Wrap = A.TextWrappingValues.Square, LeftInset = 91440, RightInset = 91440, TopInset = 45720, BottomInset = 45720 },
            new A.ListStyle());
        foreach (var line in lines)
        {
            var properties = new A.ParagraphProperties { Level = line.Level };
            if (line.Bullet)
            {
                properties.LeftMargin = 342900 + (line.Level * 457200);
                properties.Indent = -342900;
                properties.Append(new A.SpaceBefore(new A.SpacingPoints { Val = 900 }));
                properties.Append(new A.BulletFont { Typeface = "Arial" });
                properties.Append(new A.CharacterBullet { Char = line.Level == 0 ? "•" : "–" });
            }
            else
            {
                properties.Append(new A.SpaceBefore(new A.SpacingPoints { Val = 600 }));
                properties.Append(new A.NoBullet());
            }

            body.Append(new A.Paragraph(
                properties,
                new A.Run(
                    new A.RunProperties(new A.SolidFill(new A.SchemeColor { Val = A.SchemeColorValues.Text1 })) { Language = "en-US", FontSize = line.Level == 0 ? size : size - 200, Bold = bold, Dirty = false },
                    new A.Text(line.Text))));
        }

        return new P.Shape(
            new P.NonVisualShapeProperties(
                new P.NonVisualDrawingProperties { Id = id, Name = name },
                new P.NonVisualShapeDrawingProperties { TextBox = true },
                new P.ApplicationNonVisualDrawingProperties()),
            new P.ShapeProperties(
                new A.Transform2D(new A.Offset { X = x, Y = y }, new A.Extents { Cx = cx, Cy = cy }),
                new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle },
                new A.NoFill()),
            body);
    }

    private static P.Picture Picture(SlidePart slidePart, uint id, ChartPicture chart, long x, long y, long cx, long cy)
    {
        var imagePart = slidePart.AddImagePart(ImagePartType.Png);
        using (var stream = new MemoryStream(chart.Png))
        {
            imagePart.FeedData(stream);
        }

        return new P.Picture(
            new P.NonVisualPictureProperties(
                new P.NonVisualDrawingProperties { Id = id, Name = "Exams per year chart", Description = chart.AltText },
                new P.NonVisualPictureDrawingProperties(new A.PictureLocks { NoChangeAspect = true }),
                new P.ApplicationNonVisualDrawingProperties()),
            new P.BlipFill(
                new A.Blip { Embed = slidePart.GetIdOfPart(imagePart) },
                new A.Stretch(new A.FillRectangle())),
            new P.ShapeProperties(
                new A.Transform2D(new A.Offset { X = x, Y = y }, new A.Extents { Cx = cx, Cy = cy }),
                new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle }));
    }

    private sealed record Line(string Text, int Level = 0, bool Bullet = true);

    private sealed record ChartPicture(byte[] Png, string AltText);

    private sealed record SlideContent(string Title, IReadOnlyList<Line> Lines, bool IsTitle = false, ChartPicture? Chart = null);
}

using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using ImagingValue.Core.Analytics;
using ImagingValue.Core.Text;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Statistics;
using static ImagingValue.Reports.Office.Figures;

namespace ImagingValue.Reports.Office;

/// <summary>
/// Feedback for ordering departments (.docx): one page per department, busiest first (included exams in the period),
/// each with the department's figures beside the institution's and one sentence of plain guidance.
/// Orders with no department are grouped under <see cref="UnknownDepartment"/>.
/// </summary>
public static class DepartmentFeedback
{
    public const string UnknownDepartment = "Unknown department";

    // Letter, 1-inch margins, in twentieths of a point.
    private const int TextWidth = 9360;
    private const int MeasureWidth = 4320;
    private const int FigureWidth = 2520;

    public static void Write(string path, AuditResult audit, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(audit);
        OutputFolder.EnsureFor(path);

        var institution = Measure(audit, audit.Exams.Where(e => e.Window != AuditAnalyzer.OutsideWindow));
        var departments = audit.Exams
            .Where(e => e.Window != AuditAnalyzer.OutsideWindow)
            .GroupBy(e => DepartmentOf(e), StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Figures: Measure(audit, g)))
            .OrderByDescending(d => d.Figures.Included)
            .ThenBy(d => d.Name == UnknownDepartment)
            .ThenBy(d => d.Name, StringComparer.Ordinal)
            .ToList();

        using var document = WordprocessingDocument.Create(path, WordprocessingDocumentType.Document);
        var main = document.AddMainDocumentPart();
        main.AddNewPart<StyleDefinitionsPart>().Styles = Styles();
        var body = new Body();
        if (departments.Count == 0)
        {
            body.Append(Heading(audit.Protocol.Title));
            body.Append(Plain($"No {audit.Protocol.TargetExam.Label} exam was ordered in the period ({audit.Summary.Period.From} to {audit.Summary.Period.To})."));
            if (audit.Summary.Input is { } input)
            {
                body.Append(Plain(input.Describe()));
            }
        }

        for (var i = 0; i < departments.Count; i++)
        {
            if (i > 0)
            {
                body.Append(new Paragraph(new Run(new Break { Type = BreakValues.Page })));
            }

            var (name, figures) = departments[i];
            AppendDepartment(body, audit, name, figures, institution, generatedAt);
        }

        var section = new SectionProperties(
            new PageSize { Width = 12240U, Height = 15840U },
            new PageMargin { Top = 1440, Right = 1440U, Bottom = 1440, Left = 1440U, Header = 720U, Footer = 720U, Gutter = 0U });
        if (audit.Summary.Synthetic == true)
        {
            // The default header of the one section repeats on every page.
            var header = main.AddNewPart<HeaderPart>();
            header.Header = new Header(new Paragraph(new Run(new RunProperties(new Bold()), new Text(Html.AuditReport.SyntheticNotice))));
            section.PrependChild(new HeaderReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(header) });
        }

        body.Append(section);
        main.Document = new Document(body);
        document.PackageProperties.Title = audit.Protocol.Title + ": feedback by ordering department";
        document.PackageProperties.Created = generatedAt.UtcDateTime;
    }

    /// <summary>The department an exam is counted under: its ordering department, trimmed, or <see cref="UnknownDepartment"/>.</summary>
    public static string DepartmentOf(CohortExam exam)
    {
        ArgumentNullException.ThrowIfNull(exam);
        return OrderingPareto.NameOf(exam.Order.OrderingDepartment, UnknownDepartment);
    }

    private static void AppendDepartment(Body body, AuditResult audit, string name, GroupFigures department, GroupFigures institution, DateTimeOffset generatedAt)
    {
        var p = audit.Protocol;
        var s = audit.Summary;
        body.Append(Heading(name));
        body.Append(Plain($"{p.Title}: {p.TargetExam.Label} ordered for {p.Indication.Label}, {s.Period.From} to {s.Period.To}. Generated {Date(generatedAt)}."));
        if (s.Input is { } input)
        {
            body.Append(Plain(input.Describe()));
        }

        var rows = new List<(string Measure, string Department, string Institution)>
        {
            ("Included exams in the period", Count(department.Included), Count(institution.Included)),
        };
        foreach (var reason in p.ExclusionReasons)
        {
            rows.Add(($"Excluded: {ReasonLabel(p, reason)}", Count(department.ExcludedByReason[reason]), Count(institution.ExcludedByReason[reason])));
        }

        rows.Add(("Reviewed (of the included)", Count(department.Reviewed), Count(institution.Reviewed)));
        rows.Add(("Major findings (likely, actionable cause)", Major(department), Major(institution)));
        rows.Add(("Charges for the included exams", Money(department.Charges), Money(institution.Charges)));
        for (var i = 0; i < s.ExamsPerYear.Count; i++)
        {
            rows.Add(s.ExamsPerYear[i].Included is null
                ? ($"Included exams, {s.ExamsPerYear[i].Label}", "no data for this window", "no data for this window")
                : ($"Included exams, {s.ExamsPerYear[i].Label}", Count(department.PerYear[i]), Count(institution.PerYear[i])));
        }

        body.Append(Table(name, rows));
        body.Append(Note("Major findings are among reviewed included exams, with Wilson 95% confidence intervals. Charges are the charge per exam times the included exams."));
        body.Append(Plain(Guidance(audit, department)));
    }

    private static string Guidance(AuditResult audit, GroupFigures department)
    {
        var exam = audit.Protocol.TargetExam.Label;
        var advice = ProtocolTexts.FeedbackAdvice(audit.Protocol);
        if (department.Included == 0)
        {
            return $"None of this department's {exam} orders in the period were for {audit.Protocol.Indication.Label} without a red flag; keep it that way: {advice}";
        }

        var coverage = new ReviewCoverage(department.Reviewed, department.Included);
        if (coverage.None)
        {
            return $"This department ordered {Plural.Count(department.Included, exam + " exam")} for {audit.Protocol.Indication.Label} without a red flag; their findings are {coverage.Status}; {advice}";
        }

        if (!coverage.Complete)
        {
            return $"{coverage.Of(department.MajorFindings)} ({coverage.Status}) of this department's {exam} exams found a likely, actionable cause of the pain; {advice}";
        }

        return $"{department.MajorFindings} of {Plural.Count(department.Reviewed, "reviewed " + exam + " exam")} from this department found a likely, actionable cause of the pain; {advice}";
    }

    private static GroupFigures Measure(AuditResult audit, IEnumerable<CohortExam> exams)
    {
        var list = exams.ToList();
        var inPeriod = list.Where(e => e.Window == AuditAnalyzer.PeriodWindow).ToList();
        var included = inPeriod.Where(e => e.Decision.Decision == Decision.Included).ToList();
        var excluded = inPeriod.Where(e => e.Decision.Decision == Decision.Excluded).ToList();
        var byReason = audit.Protocol.ExclusionReasons.ToDictionary(r => r, r => excluded.Count(e => e.Decision.Reason == r), StringComparer.Ordinal);
        var reviewed = included.Where(e => e.FinalReview is not null).ToList();

        var perYear = new List<int>();
        for (var i = 0; i < audit.Summary.ExamsPerYear.Count; i++)
        {
            if (audit.Summary.ExamsPerYear[i].IsFollowUp)
            {
                perYear.Add(list.Count(e => e.Window == AuditAnalyzer.FollowUpWindow && e.Decision.Decision == Decision.Included));
            }
            else
            {
                // The analyzer lists every calendar year of the period in order, then the follow-up window.
                var year = audit.Options.Period.From.Year + i;
                perYear.Add(included.Count(e => e.Order.ExamDate.Year == year));
            }
        }

        return new GroupFigures(
            included.Count,
            byReason,
            reviewed.Count,
            reviewed.Count(e => e.FinalReview!.MajorFinding),
            audit.Summary.Cost.ChargePerExam * included.Count,
            perYear);
    }

    private static string Count(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Major(GroupFigures figures)
    {
        if (figures.Reviewed == 0)
        {
            return "not reviewed yet";
        }

        var (low, high) = BinomialInterval.Wilson(figures.MajorFindings, figures.Reviewed);
        return $"{figures.MajorFindings} of {figures.Reviewed} ({Pct((double)figures.MajorFindings / figures.Reviewed)}, {Interval(low, high)})";
    }

    private static Table Table(string department, IReadOnlyList<(string Measure, string Department, string Institution)> rows)
    {
        var table = new Table(
            new TableProperties(
                new TableWidth { Width = TextWidth.ToString(System.Globalization.CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
                new TableBorders(
                    Border<TopBorder>(),
                    Border<LeftBorder>(),
                    Border<BottomBorder>(),
                    Border<RightBorder>(),
                    Border<InsideHorizontalBorder>(),
                    Border<InsideVerticalBorder>()),
                new TableLayout { Type = TableLayoutValues.Fixed },
                new TableCellMarginDefault(
                    new TopMargin { Width = "40", Type = TableWidthUnitValues.Dxa },
                    new TableCellLeftMargin { Width = 100, Type = TableWidthValues.Dxa },
                    new BottomMargin { Width = "40", Type = TableWidthUnitValues.Dxa },
                    new TableCellRightMargin { Width = 100, Type = TableWidthValues.Dxa }),
                new TableCaption { Val = $"{department} compared with the institution" },
                new TableDescription { Val = $"Audit figures for {department} beside the whole institution's." }),
            new TableGrid(
                new GridColumn { Width = Count(MeasureWidth) },
                new GridColumn { Width = Count(FigureWidth) },
                new GridColumn { Width = Count(FigureWidth) }));

        table.Append(new TableRow(
            new TableRowProperties(new CantSplit(), new TableHeader()),
            Cell("Measure", MeasureWidth, header: true),
            Cell(department, FigureWidth, header: true),
            Cell("Institution", FigureWidth, header: true)));
        foreach (var (measure, mine, theirs) in rows)
        {
            table.Append(new TableRow(
                new TableRowProperties(new CantSplit()),
                Cell(measure, MeasureWidth, header: false),
                Cell(mine, FigureWidth, header: false),
                Cell(theirs, FigureWidth, header: false)));
        }

        return table;
    }

    private static T Border<T>()
        where T : BorderType, new() => new() { Val = BorderValues.Single, Size = 4U, Color = "808080" };

    private static TableCell Cell(string text, int width, bool header)
    {
        var properties = new TableCellProperties(new TableCellWidth { Width = Count(width), Type = TableWidthUnitValues.Dxa });
        if (header)
        {
            properties.Append(new Shading { Val = ShadingPatternValues.Clear, Color = "auto", Fill = "DCE6F0" });
        }

        var run = new Run(new Text(text));
        if (header)
        {
            run.PrependChild(new RunProperties(new Bold()));
        }

        return new TableCell(properties, new Paragraph(new ParagraphProperties(new SpacingBetweenLines { After = "0" }), run));
    }

    private static Paragraph Heading(string text) => new(
        new ParagraphProperties(new ParagraphStyleId { Val = "Heading1" }),
        new Run(new Text(text)));

    private static Paragraph Plain(string text) => new(new Run(new Text(text)));

    private static Paragraph Note(string text) => new(
        new ParagraphProperties(new SpacingBetweenLines { Before = "120" }),
        new Run(new RunProperties(new Italic(), new FontSize { Val = "18" }, new FontSizeComplexScript { Val = "18" }), new Text(text)));

    private static Styles Styles() => new(
        new DocDefaults(
            new RunPropertiesDefault(new RunPropertiesBaseStyle(
                new RunFonts { Ascii = "Arial", HighAnsi = "Arial", ComplexScript = "Arial", EastAsia = "Arial" },
                new FontSize { Val = "22" },
                new FontSizeComplexScript { Val = "22" },
                new Languages { Val = "en-US" })),
            new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                new SpacingBetweenLines { After = "160", Line = "264", LineRule = LineSpacingRuleValues.Auto }))),
        new Style(new StyleName { Val = "Normal" }, new PrimaryStyle()) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
        new Style(
            new StyleName { Val = "heading 1" },
            new BasedOn { Val = "Normal" },
            new NextParagraphStyle { Val = "Normal" },
            new PrimaryStyle(),
            new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "0", After = "160" }, new OutlineLevel { Val = 0 }),
            new StyleRunProperties(new Bold(), new Color { Val = "1F3A5F" }, new FontSize { Val = "36" }, new FontSizeComplexScript { Val = "36" }))
        { Type = StyleValues.Paragraph, StyleId = "Heading1" });

    private sealed record GroupFigures(
        int Included,
        IReadOnlyDictionary<string, int> ExcludedByReason,
        int Reviewed,
        int MajorFindings,
        double Charges,
        IReadOnlyList<int> PerYear);
}

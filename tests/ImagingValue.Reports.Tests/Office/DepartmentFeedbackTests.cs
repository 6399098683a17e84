using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using ImagingValue.Core.Analytics;
using ImagingValue.Core.Data;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Statistics;
using ImagingValue.Reports.Office;
using ImagingValue.Reports.Tests.Support;

namespace ImagingValue.Reports.Tests.Office;

public sealed class DepartmentFeedbackTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Write_ThreeDepartments_PassesOffice2019Validation()
    {
        var path = Write(ThreeDepartments());

        using var document = WordprocessingDocument.Open(path, false);
        OpenXmlAssert.Valid(document);
    }

    [Fact]
    public void Write_PartialInput_EveryDepartmentPageStatesTheRejectedRows()
    {
        var audit = ThreeDepartments();
        var path = Write(audit with { Summary = audit.Summary with { Input = new InputSummary(2, [], Partial: true) } });

        using var document = WordprocessingDocument.Open(path, false);
        var sections = Sections(document.MainDocumentPart!.Document.Body!);
        Assert.Equal(3, sections.Count);
        Assert.All(sections, s => Assert.Contains("Partial input: 2 rows rejected; the figures leave them out.", s.Paragraphs));
        OpenXmlAssert.Valid(document);
    }

    [Fact]
    public void Write_PaperAudit_PassesOffice2019Validation()
    {
        var path = Write(Some.PaperAudit());

        using var document = WordprocessingDocument.Open(path, false);
        OpenXmlAssert.Valid(document);
    }

    [Fact]
    public void Write_ThreeDepartments_OneSectionEachByIncludedDescendingWithPageBreaksBetween()
    {
        var path = Write(ThreeDepartments());

        using var document = WordprocessingDocument.Open(path, false);
        var body = document.MainDocumentPart!.Document.Body!;
        Assert.Equal(2, body.Descendants<Break>().Count(b => b.Type?.Value == BreakValues.Page));
        var sections = Sections(body);
        Assert.Equal(["Orthopedics", "Family Medicine", DepartmentFeedback.UnknownDepartment], sections.Select(s => s.Heading));
        Assert.All(sections, s => Assert.Single(s.Tables));
    }

    [Fact]
    public void Write_ThreeDepartments_EveryTableHasAHeaderRowOnly()
    {
        var path = Write(ThreeDepartments());

        using var document = WordprocessingDocument.Open(path, false);
        var tables = document.MainDocumentPart!.Document.Body!.Elements<Table>().ToList();
        Assert.Equal(3, tables.Count);
        foreach (var table in tables)
        {
            var rows = table.Elements<TableRow>().ToList();
            Assert.NotNull(rows[0].TableRowProperties?.GetFirstChild<TableHeader>());
            Assert.All(rows.Skip(1), r => Assert.Null(r.TableRowProperties?.GetFirstChild<TableHeader>()));
            Assert.Equal(["Measure", "Institution"], new[] { CellTexts(rows[0])[0], CellTexts(rows[0])[2] });
            Assert.NotNull(table.GetFirstChild<TableGrid>());
        }
    }

    [Fact]
    public void Write_ThreeDepartments_FiguresMatchTheInputBesideTheInstitution()
    {
        var path = Write(ThreeDepartments());

        using var document = WordprocessingDocument.Open(path, false);
        var sections = Sections(document.MainDocumentPart!.Document.Body!);
        var family = Rows(sections[1].Tables[0]);
        Assert.Equal(["Family Medicine", "Institution"], new[] { family["Measure"][0], family["Measure"][1] });
        Assert.Equal(["5", "15"], family["Included exams in the period"]);
        Assert.Equal(["2", "2"], family["Excluded: Known or suspected tumor"]);
        Assert.Equal(["0", "1"], family["Excluded: Recent trauma (under 4 weeks)"]);
        Assert.Equal(["0", "0"], family["Excluded: No qualifying indication"]);
        Assert.Equal(["4", "14"], family["Reviewed (of the included)"]);
        Assert.Equal([Major(1, 4), Major(2, 14)], family["Major findings (likely, actionable cause)"]);
        Assert.Equal(["$24,500", "$73,500"], family["Charges for the included exams"]);
        Assert.Equal(["3", "9"], family["Included exams, 2014"]);
        Assert.Equal(["2", "6"], family["Included exams, 2015"]);
        Assert.Equal(["1", "1"], family["Included exams, 2018-07..2018-09 (3 mo, post)"]);

        var ortho = Rows(sections[0].Tables[0]);
        Assert.Equal(["8", "15"], ortho["Included exams in the period"]);
        Assert.Equal([Major(0, 8), Major(2, 14)], ortho["Major findings (likely, actionable cause)"]);
        Assert.Equal(["1", "1"], ortho["Excluded: Recent trauma (under 4 weeks)"]);
        Assert.Equal(["0", "1"], ortho["Included exams, 2018-07..2018-09 (3 mo, post)"]);
    }

    [Fact]
    public void Write_OrdersWithNoDepartment_GroupedUnderUnknownDepartment()
    {
        var path = Write(ThreeDepartments());

        using var document = WordprocessingDocument.Open(path, false);
        var unknown = Sections(document.MainDocumentPart!.Document.Body!).Single(s => s.Heading == DepartmentFeedback.UnknownDepartment);
        var rows = Rows(unknown.Tables[0]);
        // One order with no department and one with a blank one.
        Assert.Equal(["2", "15"], rows["Included exams in the period"]);
        Assert.Equal([Major(1, 2), Major(2, 14)], rows["Major findings (likely, actionable cause)"]);
        Assert.Equal(["$9,800", "$73,500"], rows["Charges for the included exams"]);
    }

    [Fact]
    public void Write_ThreeDepartments_EachSectionEndsWithGuidanceNamingItsOwnFigures()
    {
        var path = Write(ThreeDepartments());

        using var document = WordprocessingDocument.Open(path, false);
        var sections = Sections(document.MainDocumentPart!.Document.Body!);
        Assert.Contains("0 of 8 reviewed MRI sacrum exams", sections[0].Paragraphs[^1], StringComparison.Ordinal);
        Assert.Contains("1 of the 4 reviewed so far (4 of 5 included exams reviewed)", sections[1].Paragraphs[^1], StringComparison.Ordinal);
        Assert.All(sections, s => Assert.EndsWith("; without a red flag, imaging is usually not appropriate.", s.Paragraphs[^1], StringComparison.Ordinal));
    }

    [Fact]
    public void Write_NoExamReviewed_SaysNotReviewedYet()
    {
        var path = Write(Some.Audit(included: 18, major: 0, reviewed: 0));

        using var document = WordprocessingDocument.Open(path, false);
        var section = Sections(document.MainDocumentPart!.Document.Body!).Single();
        var rows = Rows(section.Tables[0]);
        Assert.Equal(["not reviewed yet", "not reviewed yet"], rows["Major findings (likely, actionable cause)"]);
        Assert.Contains("not reviewed yet (0 of 18 included exams reviewed)", section.Paragraphs[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Write_PartlyReviewed_GuidanceSaysHowManyOfTheIncludedWereReviewed()
    {
        var path = Write(Some.Audit(included: 18, major: 1, reviewed: 12));

        using var document = WordprocessingDocument.Open(path, false);
        var section = Sections(document.MainDocumentPart!.Document.Body!).Single();
        Assert.Contains("1 of the 12 reviewed so far (12 of 18 included exams reviewed)", section.Paragraphs[^1], StringComparison.Ordinal);
    }

    /// <summary>
    /// Orthopedics: 8 included (2014: 6, 2015: 2), 0 major, 1 excluded for recent trauma.
    /// Family Medicine: 5 included (2014: 3, 2015: 2), 4 reviewed, 1 major, 2 excluded for tumor, 1 included in follow-up.
    /// No department (null and blank): 2 included in 2015, 1 major.
    /// </summary>
    [Fact]
    public void Write_FollowUpAfterTheData_NoDataForThisWindowNotZero()
    {
        var path = Write(Some.UncoveredAudit());

        using var document = WordprocessingDocument.Open(path, false);
        var rows = document.MainDocumentPart!.Document.Body!.Descendants<TableRow>().Select(CellTexts).ToList();
        var window = rows.Where(r => r[0] == "Included exams, 2019-01..2019-03 (3 mo, post)").ToList();
        Assert.NotEmpty(window);
        Assert.All(window, r => Assert.Equal(["no data for this window", "no data for this window"], r[1..]));
    }

    private static AuditResult ThreeDepartments()
    {
        var orders = new List<ImagingOrder>();
        var decisions = new List<ScreeningDecision>();
        var reviews = new List<ExamReview>();
        void Add(string? department, DateTime at, bool? major, string? excludedFor = null)
        {
            var order = Some.Order(orderedAt: at, department: department);
            orders.Add(order);
            decisions.Add(excludedFor is null ? Some.Included(order) : Some.Excluded(order, excludedFor));
            if (major is { } m)
            {
                reviews.Add(Some.Review(order.OrderId, major: m));
            }
        }

        for (var i = 0; i < 8; i++)
        {
            Add("Orthopedics", i < 6 ? new DateTime(2014, 2, 1).AddDays(i * 20) : new DateTime(2015, 5, 1).AddDays(i), major: false);
        }

        Add("Orthopedics", new DateTime(2014, 6, 1), major: null, excludedFor: "recent_trauma");
        for (var i = 0; i < 5; i++)
        {
            Add("Family Medicine", i < 3 ? new DateTime(2014, 3, 1).AddDays(i * 30) : new DateTime(2015, 9, 1).AddDays(i), major: i == 4 ? null : i == 0);
        }

        Add("Family Medicine", new DateTime(2016, 1, 1), major: null, excludedFor: "tumor");
        Add("Family Medicine", new DateTime(2016, 2, 1), major: null, excludedFor: "tumor");
        Add("Family Medicine", new DateTime(2018, 8, 1), major: null);
        Add(null, new DateTime(2015, 1, 10), major: true);
        Add("  ", new DateTime(2015, 2, 10), major: false);

        // The export runs past the follow-up window: another procedure is ordered after it.
        var later = Some.Order(orderedAt: new DateTime(2018, 10, 1));
        orders.Add(later);
        decisions.Add(new ScreeningDecision(later.OrderId, Decision.NotTarget, false, null, [], []));
        return AuditAnalyzer.Analyze(TestProtocol.Sacrum, Some.PaperOptions, orders, decisions, reviews);
    }

    private static string Major(int major, int reviewed)
    {
        var (low, high) = BinomialInterval.Wilson(major, reviewed);
        return $"{major} of {reviewed} ({100.0 * major / reviewed:0.0}%, 95% CI {low * 100:0.0}%–{high * 100:0.0}%)";
    }

    private string Write(AuditResult audit)
    {
        var path = _temp.File("feedback.docx");
        DepartmentFeedback.Write(path, audit, Some.GeneratedAt);
        return path;
    }

    private sealed record Section(string Heading, List<Table> Tables, List<string> Paragraphs);

    /// <summary>The body split at page breaks: each part's Heading1 text, tables and paragraph texts.</summary>
    private static List<Section> Sections(Body body)
    {
        var sections = new List<List<OpenXmlElement>> { new() };
        foreach (var element in body.ChildElements)
        {
            if (element.Descendants<Break>().Any(b => b.Type?.Value == BreakValues.Page))
            {
                sections.Add([]);
                continue;
            }

            sections[^1].Add(element);
        }

        return sections.Select(elements => new Section(
            Text(elements.OfType<Paragraph>().Single(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == "Heading1")),
            elements.OfType<Table>().ToList(),
            elements.OfType<Paragraph>().Select(Text).ToList())).ToList();
    }

    /// <summary>Each row's cells after the first, by the first cell's text.</summary>
    private static Dictionary<string, string[]> Rows(Table table) =>
        table.Elements<TableRow>().Select(CellTexts).ToDictionary(cells => cells[0], cells => cells[1..]);

    private static string[] CellTexts(TableRow row) => [.. row.Elements<TableCell>().Select(c => Text(c))];

    private static string Text(OpenXmlElement element) => string.Concat(element.Descendants<Text>().Select(t => t.Text));
}

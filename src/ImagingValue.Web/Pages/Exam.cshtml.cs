using System.Globalization;
using ImagingValue.Core.Data;
using ImagingValue.Core.Protocols;
using ImagingValue.Core.Review;
using ImagingValue.Core.Text;
using ImagingValue.Web.Review;
using Microsoft.AspNetCore.Mvc;

namespace ImagingValue.Web.Pages;

/// <summary>
/// One exam's review form: order facts, the indication with the screening evidence marked, the report with the
/// suggested findings marked, same-day exams, the reviews so far, and the person's own review, primary, second or
/// adjudication as the workflow says. A save is refused, with both versions shown, when anyone changed the exam's
/// reviews after the form was loaded.
/// </summary>
public sealed partial class ExamModel(ReviewWorkspace workspace, ILogger<ExamModel> log) : ReviewPageModel
{
    /// <summary>The order, from <c>?id=</c> (<see cref="ExamLinks"/>) or the older path form.</summary>
    [BindProperty(SupportsGet = true, Name = "id")]
    public string OrderId { get; set; } = string.Empty;

    [BindProperty]
    public bool Major { get; set; }

    [BindProperty]
    public bool Minor { get; set; }

    [BindProperty]
    public bool Incidental { get; set; }

    [BindProperty]
    public List<string> Concepts { get; set; } = [];

    [BindProperty]
    public string? Notes { get; set; }

    /// <summary>none, minor or major; no answer is chosen for the reviewer (saving without one is refused).</summary>
    [BindProperty]
    public string? Management { get; set; }

    /// <summary>What the form's button asks after saving: <c>next</c> (Save and next) or nothing (stay on the exam).</summary>
    [BindProperty]
    public string? Then { get; set; }

    /// <summary>The revision of this person's own review when the form was loaded (0: none yet).</summary>
    [BindProperty]
    public long Revision { get; set; }

    /// <summary>The largest revision of any review of the exam when the form was loaded.</summary>
    [BindProperty]
    public long ExamToken { get; set; }

    /// <summary>The exam whose review was just saved (this one, or the one before "Save and next").</summary>
    [BindProperty(SupportsGet = true, Name = "saved")]
    public string? SavedOrder { get; set; }

    public bool JustSaved => SavedOrder == OrderId;

    /// <summary>The worklist the person came from (filter, page, period), kept by the back link and by "Save and next".</summary>
    public WorklistQuery List { get; private set; } = new();

    /// <summary>"Accept suggested findings": the form opens with the report's suggested findings ticked (nothing is saved).</summary>
    [BindProperty(SupportsGet = true, Name = "accept")]
    public bool AcceptedSuggestions { get; set; }

    /// <summary>Why the management answer was refused, shown at the field.</summary>
    public string? ManagementError { get; private set; }

    public ImagingOrder Order { get; private set; } = null!;

    public IReadOnlyList<Core.Screening.ScreeningEvidence> Evidence { get; private set; } = [];

    public IReadOnlyList<TextSegment> IndicationSegments { get; private set; } = [];

    public IReadOnlyList<TextSegment> ReportSegments { get; private set; } = [];

    public FindingSuggestion? Suggestion { get; private set; }

    public IReadOnlyList<ImagingOrder> SameDay { get; private set; } = [];

    public IReadOnlyList<StoredReview> Reviews { get; private set; } = [];

    public ExamReviewState State { get; private set; } = null!;

    public bool Included { get; private set; }

    public bool HasReport { get; private set; }

    public string? Conflict { get; private set; }

    public string? Error { get; private set; }

    public ReportFindingCategories Categories => workspace.Protocol.ReportFindings ?? new ReportFindingCategories([], [], []);

    /// <summary>The form's management choices, as their canonical words (none, minor, major).</summary>
    public static IReadOnlyList<string> ManagementValues { get; } = [.. ManagementChanges.All.Select(m => m.ToWord())];

    /// <summary>The reviews this person may read (<see cref="ReviewBlinding"/>): independent reading until the exam is complete.</summary>
    public IReadOnlyList<StoredReview> VisibleReviews => ReviewBlinding.Visible(State.Stage, Reviews, UserName, Role);

    /// <summary>The review that stands, once the exam's review is complete and this person may read it; else null.</summary>
    public ExamReview? ShownFinal => State.Stage == ReviewStage.Complete && State.Final is { } final && VisibleReviews.Any(r => ReferenceEquals(r.Review, final))
        ? final
        : null;

    public bool CanSave => State.Action != ReviewAction.None;

    public string FormTitle => State.Role switch
    {
        ReviewWorkflow.AdjudicatorRole => "Your adjudication (final)",
        ReviewWorkflow.SecondRole => "Your second review",
        _ => "Your review",
    };

    public static string YesNo(bool? value) => value switch
    {
        true => "yes",
        false => "no",
        _ => "",
    };

    /// <summary>The suggested findings as the form's concept values (<c>major:sacroiliitis</c>), each once.</summary>
    public IReadOnlyList<string> SuggestedConcepts =>
        Suggestion is null ? [] : [.. Suggestion.Evidence.Select(e => e.ClassText + ":" + e.Concept).Distinct(StringComparer.Ordinal)];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        List = WorklistQuery.Read(Request.Query);
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (State.Own is { } own)
        {
            Major = own.Review.MajorFinding;
            Minor = own.Review.MinorFinding ?? false;
            Incidental = own.Review.IncidentalFinding ?? false;
            Notes = own.Review.FindingNotes;
            Management = own.Review.ManagementChange?.ToWord();
            Concepts = [.. own.FindingConcepts];
        }

        if (AcceptedSuggestions && Suggestion is { } suggestion)
        {
            Concepts = [.. Concepts.Union(SuggestedConcepts, StringComparer.Ordinal)];
            Major |= suggestion.Major;
            Minor |= suggestion.Minor;
            Incidental |= suggestion.Incidental;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Role < UserRole.Reviewer)
        {
            return Forbid();
        }

        List = WorklistQuery.Read(Request.Query);
        var loadedRevision = Revision;
        var loadedToken = ExamToken;
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (!CanSave)
        {
            Error = State.Why;
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        var known = Categories.Major.Select(c => "major:" + c)
            .Concat(Categories.Minor.Select(c => "minor:" + c))
            .Concat(Categories.Incidental.Select(c => "incidental:" + c))
            .ToHashSet(StringComparer.Ordinal);
        Concepts = [.. Concepts.Where(known.Contains).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        if (string.IsNullOrEmpty(Management) || !ManagementChanges.TryParse(Management, out var management))
        {
            (Revision, ExamToken) = (loadedRevision, loadedToken);
            ManagementError = "Choose the management impact: none, minor or major.";
            Error = ManagementError + " Nothing was saved.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (loadedToken != ExamToken)
        {
            ShowConflict();
            return Page();
        }

        var review = new ExamReview(
            OrderId,
            UserName,
            Major || Concepts.Any(c => c.StartsWith("major:", StringComparison.Ordinal)),
            Minor || Concepts.Any(c => c.StartsWith("minor:", StringComparison.Ordinal)),
            Incidental || Concepts.Any(c => c.StartsWith("incidental:", StringComparison.Ordinal)),
            string.IsNullOrWhiteSpace(Notes) ? null : Notes.Trim(),
            management,
            State.Role,
            workspace.Time.GetLocalNow().DateTime);
        var result = await workspace.Reviews.SaveReviewAsync(new ReviewDraft(review, Concepts), loadedRevision, UserName, workspace.Time.GetUtcNow(), cancellationToken);
        if (result.IsConflict)
        {
            await LoadAsync(cancellationToken);
            ShowConflict();
            return Page();
        }

        LogSaved(log, OrderId, UserName, State.Role ?? "?");
        var saved = "&saved=" + Uri.EscapeDataString(OrderId);
        if (Then != "next")
        {
            return Redirect(List.ExamLink(OrderId) + saved);
        }

        // The next exam of the same list (filter, period, department) this person may review now.
        var list = await List.WithDefaultPeriodAsync(workspace.Screening, workspace.Protocol.Id, cancellationToken);
        var next = Worklist.NextToReview(
            await list.ExamsAsync(workspace, cancellationToken),
            await workspace.Reviews.GetAllReviewsAsync(cancellationToken),
            list.Period(out _),
            UserName,
            Role,
            workspace.Policy,
            list.Filter,
            Order);
        return Redirect(next is null ? list.WorklistLink + "&done=true" : list.ExamLink(next) + saved);
    }

    private void ShowConflict()
    {
        LogConflict(log, OrderId, UserName);
        Conflict = "Someone saved a review of this exam after you opened it. Nothing was overwritten: the saved reviews are shown below, "
            + "and your values are still in the form. Check them and save again to keep yours.";
        Response.StatusCode = StatusCodes.Status409Conflict;
    }

    /// <summary>Loads the exam; the posted form values stay as they are; the tokens become the current ones.</summary>
    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await workspace.Data.GetOrderAsync(OrderId, cancellationToken) is not { } order)
        {
            return false;
        }

        Order = order;
        var decision = await workspace.Screening.GetLatestDecisionAsync(workspace.Protocol.Id, OrderId, cancellationToken);
        Included = decision?.Decision == Core.Screening.Decision.Included;
        Evidence = decision?.Evidence ?? [];
        IndicationSegments = TextHighlighter.Segments(order.Indication, TextHighlighter.IndicationMarks(order.Indication, Evidence));
        var report = await workspace.Data.GetReportTextAsync(OrderId, order.Accession, cancellationToken);
        HasReport = report is not null;
        Suggestion = report is not null ? workspace.Suggester?.Suggest(OrderId, report) : null;
        ReportSegments = TextHighlighter.Segments(report, Suggestion is null ? [] : TextHighlighter.FindingMarks(report, Suggestion.Evidence));
        SameDay = await workspace.Data.GetSameDayOrdersAsync(order.PatientId, order.ExamDate, OrderId, cancellationToken);
        Reviews = await workspace.Reviews.GetExamReviewsAsync(OrderId, cancellationToken);
        State = ReviewWorkflow.For(OrderId, Reviews, UserName, Role, workspace.Policy);
        Revision = State.Own?.Revision ?? 0;
        ExamToken = Reviews.Count == 0 ? 0 : Reviews.Max(r => r.Revision);
        ModelState.Remove(nameof(Revision));
        ModelState.Remove(nameof(ExamToken));
        return true;
    }

    public string Age => Order.AgeAtOrder is { } age ? age.ToString(CultureInfo.InvariantCulture) : "unknown";

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "review saved: order {OrderId} by {User} as {Role}")]
    private static partial void LogSaved(ILogger log, LogValue orderId, LogValue user, LogValue role);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "review conflict: order {OrderId}, {User} saved over a newer version; refused, both kept")]
    private static partial void LogConflict(ILogger log, LogValue orderId, LogValue user);
}

using System.Globalization;
using System.Security.Claims;
using ImagingValue.Core.Data;
using ImagingValue.Core.Review;
using ImagingValue.Import.Csv;
using ImagingValue.Reports.Exports;

namespace ImagingValue.Web.Review;

/// <summary>Downloads for signed-in users: the current reviews (reviews.csv contract) and the latest screening log (screening.csv).</summary>
public static class ReviewCsvEndpoints
{
    /// <summary>reviews.csv columns: the contract's, its two extensions, then the concepts ticked in the browser.</summary>
    public static readonly IReadOnlyList<string> ReviewColumns =
        [.. CanonicalTable.Reviews.Columns.Select(c => c.Name), "finding_concepts"];

    public static IEndpointRouteBuilder MapReviewCsvEndpoints(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var group = routes.MapGroup("/export").RequireAuthorization(ReviewWorkspaceWeb.SignedIn);
        group.MapGet("/reviews.csv", ReviewsCsv).WithName("ReviewsCsv").WithSummary("Every stored review, imported or saved in the browser, as reviews.csv.");
        group.MapGet("/screening.csv", ScreeningCsv).WithName("ScreeningCsv").WithSummary("The latest screening run's decisions as screening.csv.");
        return routes;
    }

    private static async Task<IResult> ReviewsCsv(ReviewWorkspace workspace, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        // What this person may read, exam by exam (ReviewBlinding): the export is no way around blinded review.
        var name = user.Identity?.Name ?? string.Empty;
        var role = Pages.ReviewPageModel.RoleOf(user);
        var reviews = (await workspace.Reviews.GetAllReviewsAsync(cancellationToken))
            .GroupBy(r => r.Review.OrderId, StringComparer.Ordinal)
            .SelectMany(exam =>
            {
                var ofExam = exam.ToList();
                var stage = ReviewWorkflow.StageOf(exam.Key, [.. ofExam.Select(r => r.Review)], workspace.Policy);
                return ReviewBlinding.Visible(stage, ofExam, name, role);
            })
            .ToList();
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text))
        {
            csv.WriteRow(ReviewColumns);
            foreach (var stored in reviews)
            {
                var r = stored.Review;
                csv.WriteRow([
                    r.OrderId, r.Reviewer, YesNo(r.MajorFinding), YesNo(r.MinorFinding), YesNo(r.IncidentalFinding), r.FindingNotes, r.ManagementChange?.ToWord(), r.Role,
                    r.ReviewedAt?.ToString(CanonicalValues.DateTimeFormat, CultureInfo.InvariantCulture), string.Join(';', stored.FindingConcepts)]);
            }
        }

        return Results.File(System.Text.Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", "reviews.csv");
    }

    private static async Task<IResult> ScreeningCsv(ReviewWorkspace workspace, CancellationToken cancellationToken)
    {
        var decisions = await workspace.Screening.GetLatestDecisionsAsync(workspace.Protocol.Id, cancellationToken);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var log = new ScreeningLogWriter(text))
        {
            log.AddSorted([new ProtocolDecisions(workspace.Protocol.Id, decisions)]);
        }

        return Results.File(System.Text.Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", "screening.csv");
    }

    private static string? YesNo(bool? value) => value switch
    {
        true => "yes",
        false => "no",
        _ => null,
    };
}

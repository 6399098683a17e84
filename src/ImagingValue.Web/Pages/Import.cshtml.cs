using System.Globalization;
using ImagingValue.Core.Data;
using ImagingValue.Core.Text;
using ImagingValue.Import.Csv;
using ImagingValue.Web.Review;
using Microsoft.AspNetCore.Mvc;

namespace ImagingValue.Web.Pages;

/// <summary>
/// Admins upload a reviews CSV (the CLI's contract and importer: bad rows, and reviews of orders not in the workspace,
/// rejected and written to a rejects file, the rest stored in one transaction; idempotent). The upload is kept under WORKSPACE/uploads so the import can be traced; every changed review goes to
/// the audit trail as <c>import N</c>.
/// </summary>
// The host refuses bodies over 1 MiB (CDS calls are a few KB); a reviews CSV of a large audit is bigger.
[RequestSizeLimit(ImportModel.MaxUploadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = ImportModel.MaxUploadBytes)]
public sealed partial class ImportModel(ReviewWorkspace workspace, ILogger<ImportModel> log) : ReviewPageModel
{
    /// <summary>The largest reviews CSV accepted: 64 MiB, some 500,000 reviews.</summary>
    public const long MaxUploadBytes = 64L * 1024 * 1024;

    public const int MaxErrorsShown = 20;

    [BindProperty]
    public IFormFile? Upload { get; set; }

    public ImportReport? Report { get; private set; }

    public string? Problem { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Upload is null || Upload.Length == 0)
        {
            Problem = "Choose a reviews CSV file to upload.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var folder = Path.Combine(workspace.Directory, "uploads");
        Directory.CreateDirectory(folder);
        var stamp = workspace.Time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var path = Path.Combine(folder, $"reviews-{stamp}-{UserName}-{Guid.NewGuid():N}.csv");
        await using (var file = System.IO.File.Create(path))
        {
            await Upload.CopyToAsync(file, cancellationToken);
        }

        // A review must name an order of the workspace; messages name the user's own file, not where the server keeps it.
        var orders = await workspace.Data.GetOrderIdsAsync(cancellationToken);
        var uploadName = Path.GetFileName(Upload.FileName.Replace('\\', '/'));
        Report = await new CsvImporter(workspace.Imports).ImportAsync(
            CanonicalTable.Reviews, path, ColumnMap.None, strict: false, Path.Combine(workspace.Directory, "rejects"), cancellationToken,
            knownOrders: orders, displayName: string.IsNullOrWhiteSpace(uploadName) ? "the uploaded file" : uploadName);

        LogImported(log, UserName, Report.RowsRead, Report.RejectedRows, Report.Refused);
        return Page();
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "reviews upload by {User}: {Rows} rows read, {Rejected} rejected, refused {Refused}")]
    private static partial void LogImported(ILogger log, LogValue user, long rows, long rejected, bool refused);
}

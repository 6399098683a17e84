using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using ImagingValue.Core.Data;
using ImagingValue.Core.Review;
using ImagingValue.Core.Screening;
using ImagingValue.Core.Storage;
using ImagingValue.Storage;
using ImagingValue.Storage.Sqlite;
using ImagingValue.Web.Cds;
using ImagingValue.Web.Review;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImagingValue.Web.Tests.Support;

/// <summary>
/// A small workspace (three included sacrum MRIs, one excluded, reports, accounts of every role) served by the real
/// serve host on a real socket, with every log line captured.
/// </summary>
public sealed partial class ReviewTestHost : IAsyncDisposable
{
    /// <summary>Every account's password (the tests look for it in logs and in the database file).</summary>
    public const string Password = "Sacrum-Review-4242";

    public const string ScriptText = "<script>window.__xss = 1;</script>";

    private readonly WebApplication _app;

    private ReviewTestHost(WebApplication app, string workspace, Uri address, CapturingLoggerProvider logs)
    {
        _app = app;
        Workspace = workspace;
        Address = address;
        Logs = logs;
    }

    public string Workspace { get; }

    public Uri Address { get; }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>The host's services (e.g. its alert recorder, to wait for queued alerts).</summary>
    public IServiceProvider Services => _app.Services;

    public string DatabasePath => Path.Combine(Workspace, SqliteWorkspace.FileName);

    /// <summary>The served workspace's stores, opened as the host opens them (pooled connections), to check what was stored.</summary>
    public IWorkspace OpenStores() => Workspaces.Open(Workspace, TimeProvider.System, WorkspaceUse.Service);

    /// <param name="workspace">A workspace to serve (deleted afterwards); null: a new one with the small seed.</param>
    /// <param name="hasher">The password hasher sign-in uses (e.g. one that counts its checks); null: the real one.</param>
    /// <param name="cds">The CDS service's settings (issuers, public URL, deadline); null: the defaults (every call 401).</param>
    public static async Task<ReviewTestHost> StartAsync(int maxFailedSignIns = 5, string? workspace = null, IPasswordHasher<WorkspaceUser>? hasher = null, CdsSettings? cds = null)
    {
        if (workspace is null)
        {
            workspace = Directory.CreateTempSubdirectory("iv-web-").FullName;
            await SeedAsync(workspace);
        }

        var logs = new CapturingLoggerProvider();
        var app = ImagingValueHost.Build(
            new ServeSettings { Urls = "http://127.0.0.1:0", Workspace = workspace, Cds = cds ?? new CdsSettings() },
            TimeProvider.System,
            builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Trace);
                builder.Logging.AddProvider(logs);
                builder.Services.Configure<ReviewWorkspaceOptions>(o => o.MaxFailedSignIns = maxFailedSignIns);
                if (hasher is not null)
                {
                    builder.Services.AddSingleton(hasher);
                }
            });
        await app.StartAsync();
        var address = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return new ReviewTestHost(app, workspace, address, logs);
    }

    public HttpClient NewClient(bool followRedirects = false) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = followRedirects, UseCookies = true }) { BaseAddress = Address };

    /// <summary>The anti-forgery token of the form on <paramref name="path"/>.</summary>
    public static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        return TokenField().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException($"no anti-forgery token on {path}");
    }

    /// <summary>Signs in through the sign-in form; returns the response (302 on success).</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string name, string password = Password)
    {
        var token = await TokenAsync(client, "signin");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Name"] = name, ["Password"] = password, ["__RequestVerificationToken"] = token });
        return await client.PostAsync(new Uri("signin", UriKind.Relative), form);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Workspace, recursive: true);
        }
        catch (IOException)
        {
            // A late file handle; the temp folder is cleaned by the OS.
        }
    }

    /// <summary>Imports more sacrum MRI orders (not screened) with these ids into the served workspace.</summary>
    public async Task AddOrdersAsync(params string[] ids)
    {
        using var store = OpenStores();
        await ImportOrdersAsync(store, [.. ids.Select(id => (id, "P9", "MRI SACRUM WO CONTRAST", "low back pain", "2015-07-01T09:00:00"))]);
    }

    private static async Task ImportOrdersAsync(IWorkspace store, IReadOnlyList<(string Id, string Patient, string Procedure, string Indication, string Date)> rows)
    {
        await using var orders = await store.Imports.BeginImportAsync(CanonicalTable.Orders, "orders.csv", CancellationToken.None);
        var line = 1;
        foreach (var (id, patient, procedure, indication, date) in rows)
        {
            var values = new string?[CanonicalTable.Orders.Columns.Count];
            values[CanonicalTable.Orders.IndexOf("order_id")] = id;
            values[CanonicalTable.Orders.IndexOf("patient_id")] = patient;
            values[CanonicalTable.Orders.IndexOf("ordered_at")] = date;
            values[CanonicalTable.Orders.IndexOf("performed_at")] = date;
            values[CanonicalTable.Orders.IndexOf("procedure_name")] = procedure;
            values[CanonicalTable.Orders.IndexOf("indication")] = indication;
            values[CanonicalTable.Orders.IndexOf("ordering_department")] = "Family Medicine";
            values[CanonicalTable.Orders.IndexOf("ordering_provider")] = "Dr. Example";
            values[CanonicalTable.Orders.IndexOf("patient_sex")] = "F";
            values[CanonicalTable.Orders.IndexOf("patient_birth_date")] = "1970-05-20";
            values[CanonicalTable.Orders.IndexOf("status")] = "completed";
            await orders.StageAsync(++line, id, values, null, CancellationToken.None);
        }

        await orders.CommitAsync(new HashSet<string>(), 0, CancellationToken.None);
    }

    /// <summary>
    /// Fills the workspace of <paramref name="workspace"/> (a new SQLite one, or the PostgreSQL one its
    /// <c>workspace.json</c> names) with the small seed: five orders, three reports, a screening run, five accounts.
    /// </summary>
    public static async Task SeedAsync(string workspace)
    {
        var time = TimeProvider.System;
        using (var store = Workspaces.Create(workspace, time))
        {
            await ImportOrdersAsync(store, [
                ("E1", "P1", "MRI SACRUM WO CONTRAST", "low back pain for 3 months", "2015-03-17T09:00:00"),
                ("E2", "P2", "MRI SACRUM COCCYX", "tailbone pain, worse sitting", "2015-04-02T10:30:00"),
                ("E3", "P3", "MRI SACRUM WO CONTRAST", "low back pain " + ScriptText, "2015-05-11T08:15:00"),
                ("L1", "P1", "MRI LUMBAR SPINE WO", "low back pain", "2015-03-17T10:00:00"),
                ("X1", "P4", "MRI SACRUM WO CONTRAST", "hx breast cancer, sacral pain", "2015-06-01T08:00:00"),
            ]);

            await using (var reports = await store.Imports.BeginImportAsync(CanonicalTable.Reports, "reports.csv", CancellationToken.None))
            {
                await reports.StageAsync(2, "E1", ["E1", null, "CLINICAL HISTORY: low back pain, r/o sacroiliitis.\nFINDINGS: Bilateral sacroiliac joint edema, consistent with active sacroiliitis. Small Tarlov cyst at S2.\nIMPRESSION: Sacroiliitis.", null], null, CancellationToken.None);
                await reports.StageAsync(3, "E2", ["E2", null, "FINDINGS: No fracture. Mild facet arthropathy at L5-S1.\nIMPRESSION: No acute abnormality.", null], null, CancellationToken.None);
                await reports.StageAsync(4, "E3", ["E3", null, "FINDINGS: Normal sacrum. " + ScriptText + "\nIMPRESSION: Normal.", null], null, CancellationToken.None);
                await reports.CommitAsync(new HashSet<string>(), 0, CancellationToken.None);
            }

            await store.Screening.SaveRunAsync(
                new ScreeningRun("sacrum-mri-lbp", time.GetUtcNow(), [
                    new ScreeningDecision("E1", Decision.Included, true, null, [], [Mentioned("low back pain for 3 months", "low back pain", "low_back_pain")]),
                    new ScreeningDecision("E2", Decision.Included, true, null, [], [Mentioned("tailbone pain, worse sitting", "tailbone pain", "low_back_pain")]),
                    new ScreeningDecision("E3", Decision.Included, true, null, [], [Mentioned("low back pain " + ScriptText, "low back pain", "low_back_pain")]),
                    new ScreeningDecision("L1", Decision.NotTarget, false, null, [], []),
                    new ScreeningDecision("X1", Decision.Excluded, true, "tumor", ["tumor"], [Mentioned("hx breast cancer, sacral pain", "hx breast cancer", "tumor") with { Qualifiers = EvidenceQualifiers.Historical }]),
                ]),
                CancellationToken.None);
        }

        using var service = Workspaces.Open(workspace, time, WorkspaceUse.Service);
        var reviews = service.Users;
        foreach (var (name, role) in new[] { ("ana", UserRole.Reviewer), ("ben", UserRole.Reviewer), ("cy", UserRole.Adjudicator), ("vi", UserRole.Viewer), ("root", UserRole.Admin) })
        {
            await reviews.AddUserAsync(new WorkspaceUser(name, role, Passwords.Hash(Password), 0, null), time.GetUtcNow(), CancellationToken.None);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    /// <summary>Indication evidence for <paramref name="phrase"/> where it is in <paramref name="indication"/>, as the screener writes it.</summary>
    private static ScreeningEvidence Mentioned(string indication, string phrase, string concept)
    {
        var span = new TextSpan(indication.IndexOf(phrase, StringComparison.Ordinal), phrase.Length);
        return new ScreeningEvidence(EvidenceSource.Indication, EvidenceRole.Counted, For: concept, Concept: concept, Text: phrase, Mention: span, Sentence: span);
    }
}

/// <summary>Keeps every formatted log line (with exception text) of the host.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

using System.Globalization;
using System.Numerics;
using System.Text;
using ImagingValue.Core.Data;
using Microsoft.Data.Sqlite;

namespace ImagingValue.Storage.Sqlite;

/// <summary>How the workspace stores values in text columns and reads rows back: one place for every store.</summary>
internal static class SqliteRows
{
    /// <summary>The orders columns in the order <see cref="Order"/> reads them (prefix each with an alias when joining).</summary>
    public static readonly string[] OrderColumnNames =
        ["order_id", "patient_id", "accession", "ordered_at", "performed_at", "procedure_code", "procedure_name", "indication", "reason_codes", "ordering_provider", "ordering_department", "patient_sex", "patient_birth_date", "status"];

    /// <summary>The orders columns, comma-separated, optionally each prefixed with <paramref name="alias"/>.</summary>
    public static string OrderColumns(string? alias = null) => ColumnList(OrderColumnNames, alias);

    /// <summary>The reviews columns in the order <see cref="Review"/> reads them (prefix each with an alias when joining).</summary>
    public static string ReviewColumns(string? alias = null) =>
        ColumnList(["order_id", "reviewer", "major_finding", "minor_finding", "incidental_finding", "finding_notes", "management_change", "review_role", "reviewed_at"], alias);

    /// <summary>A review from the first 9 columns of <paramref name="r"/>, as <see cref="ReviewColumns"/> lists them.</summary>
    public static ExamReview Review(SqliteDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2) == "yes",
            YesNoOf(Text(r, 3)),
            YesNoOf(Text(r, 4)),
            Text(r, 5),
            ManagementChanges.Parse(Text(r, 6)),
            Text(r, 7),
            Text(r, 8) is { } at ? DateTimeOf(at) : null);

    /// <summary>An order from the first 14 columns of <paramref name="r"/>, as <see cref="OrderColumns"/> lists them.</summary>
    public static ImagingOrder Order(SqliteDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            Text(r, 2),
            DateTimeOf(r.GetString(3)),
            r.IsDBNull(4) ? null : DateTimeOf(r.GetString(4)),
            Text(r, 5),
            r.GetString(6),
            Text(r, 7),
            CanonicalValues.SplitCodes(Text(r, 8)),
            Text(r, 9),
            Text(r, 10),
            PatientSexes.Parse(Text(r, 11)),
            DateOf(Text(r, 12)),
            OrderStatuses.Parse(r.GetString(13)));

    public static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Stored date-times are always yyyy-MM-ddTHH:mm:ss (written by the importer): read the digits directly.</summary>
    public static DateTime DateTimeOf(string t) =>
        t.Length == 19
            ? DigitsDateTime(t.AsSpan())
            : DateTime.ParseExact(t, CanonicalValues.DateTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None);

    /// <summary>As <see cref="DateTimeOf(string)"/>, from the value's UTF-8 bytes.</summary>
    public static DateTime DateTimeOf(ReadOnlySpan<byte> utf8) =>
        utf8.Length == 19 ? DigitsDateTime(utf8) : DateTimeOf(Encoding.UTF8.GetString(utf8));

    public static DateOnly? DateOf(string? text) =>
        text is null ? null
        : text.Length == 10 ? new DateOnly(Digits(text.AsSpan(), 0, 4), Digits(text.AsSpan(), 5, 2), Digits(text.AsSpan(), 8, 2))
        : DateOnly.ParseExact(text, CanonicalValues.DateFormat, CultureInfo.InvariantCulture);

    /// <summary>An instant as stored: UTC, round-trip format.</summary>
    public static string Instant(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset InstantOf(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string YesNo(bool value) => value ? "yes" : "no";

    public static bool? YesNoOf(string? text) => text switch
    {
        "yes" => true,
        "no" => false,
        _ => null,
    };

    /// <summary>Runs a statement with parameters.</summary>
    public static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = Parameterised(connection, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The integer a statement returns first (a count, a new id).</summary>
    public static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = Parameterised(connection, sql, parameters);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static SqliteCommand Parameterised(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>
    /// Every row of a query, mapped. Row by row synchronously: SQLite reads are local and ReadAsync per row costs
    /// seconds on a million orders.
    /// </summary>
    public static async Task<IReadOnlyList<T>> ReadAllAsync<T>(
        SqliteConnection connection, string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = Parameterised(connection, sql, parameters);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (reader.Read())
        {
            if ((rows.Count & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            rows.Add(map(reader));
        }

        return rows;
    }

    private static DateTime DigitsDateTime<TChar>(ReadOnlySpan<TChar> t)
        where TChar : IBinaryInteger<TChar> =>
        new(Digits(t, 0, 4), Digits(t, 5, 2), Digits(t, 8, 2), Digits(t, 11, 2), Digits(t, 14, 2), Digits(t, 17, 2));

    /// <summary>The number written in <paramref name="count"/> ASCII digits (UTF-16 or UTF-8) from <paramref name="start"/>.</summary>
    private static int Digits<TChar>(ReadOnlySpan<TChar> text, int start, int count)
        where TChar : IBinaryInteger<TChar>
    {
        var value = 0;
        foreach (var digit in text.Slice(start, count))
        {
            value = (value * 10) + (int.CreateTruncating(digit) - '0');
        }

        return value;
    }

    private static string ColumnList(IEnumerable<string> names, string? alias) =>
        string.Join(", ", names.Select(c => alias is null ? c : $"{alias}.{c}"));
}

using ImagingValue.Core.Data;
using ImagingValue.Storage.Sqlite;
using Npgsql;

namespace ImagingValue.Storage.Postgres;

/// <summary>
/// Reading rows back and running statements on PostgreSQL. The stored text forms (dates, instants, yes/no) are the
/// SQLite provider's (<see cref="SqliteRows"/>), so both engines store and read the same values.
/// </summary>
internal static class PostgresRows
{
    /// <summary>Rows a bulk path must have changed before it refreshes the planner's statistics (<see cref="AnalyzeAfterBulkAsync"/>).</summary>
    public const long AnalyzeAfterRows = 10_000;

    /// <summary>
    /// Refreshes the planner's statistics of <paramref name="tables"/> after a bulk path committed
    /// <paramref name="rows"/> rows into them, as PostgreSQL advises after bulk loading: autovacuum would only get to it
    /// later, and until then the planner guesses from empty tables (the worklist's reviewed-exams query took 165 ms
    /// instead of 34 ms at 100,000 exams). The data is already committed: a failure here (the server gone since) only
    /// leaves the statistics to autovacuum, so it is not the command's failure. Nor is a Ctrl+C: it is not cancelled,
    /// because a cancelled ANALYZE would report a command as cancelled whose rows are stored (ANALYZE reads a sample of
    /// at most 30,000 rows a table, so it ends soon in any case).
    /// </summary>
    public static async Task AnalyzeAfterBulkAsync(NpgsqlConnection connection, long rows, IEnumerable<string> tables)
    {
        if (rows < AnalyzeAfterRows)
        {
            return;
        }

        try
        {
            await ExecuteAsync(connection, $"ANALYZE {string.Join(", ", tables)}", CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // Left to autovacuum (see above).
        }
    }

    /// <summary>A review from the first 9 columns of <paramref name="r"/>, as <see cref="SqliteRows.ReviewColumns"/> lists them.</summary>
    public static ExamReview Review(NpgsqlDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2) == "yes",
            SqliteRows.YesNoOf(Text(r, 3)),
            SqliteRows.YesNoOf(Text(r, 4)),
            Text(r, 5),
            ManagementChanges.Parse(Text(r, 6)),
            Text(r, 7),
            Text(r, 8) is { } at ? SqliteRows.DateTimeOf(at) : null);

    /// <summary>An order from the first 14 columns of <paramref name="r"/>, as <see cref="SqliteRows.OrderColumns"/> lists them.</summary>
    public static ImagingOrder Order(NpgsqlDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            Text(r, 2),
            SqliteRows.DateTimeOf(r.GetString(3)),
            r.IsDBNull(4) ? null : SqliteRows.DateTimeOf(r.GetString(4)),
            Text(r, 5),
            r.GetString(6),
            Text(r, 7),
            CanonicalValues.SplitCodes(Text(r, 8)),
            Text(r, 9),
            Text(r, 10),
            PatientSexes.Parse(Text(r, 11)),
            SqliteRows.DateOf(Text(r, 12)),
            OrderStatuses.Parse(r.GetString(13)));

    public static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Runs a statement with parameters; the rows it changed.</summary>
    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Parameterised(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The integer a statement returns first (a count, a new id).</summary>
    public static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Parameterised(connection, sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A command with named parameters (<c>@name</c> in the SQL); null values are sent as SQL NULL.</summary>
    public static NpgsqlCommand Parameterised(NpgsqlConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Every row of a query, mapped.</summary>
    public static async Task<IReadOnlyList<T>> ReadAllAsync<T>(
        NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Parameterised(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}

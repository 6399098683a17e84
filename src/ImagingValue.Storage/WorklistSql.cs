using System.Globalization;
using System.Text;
using ImagingValue.Core.Storage;

namespace ImagingValue.Storage;

/// <summary>
/// The condition on <c>worklist_exams x</c> that picks an <see cref="IncludedExamFilter"/>'s exams of the protocol's
/// latest run, written once for both providers: they differ only in the parameter marker and in how a list of order
/// ids is passed.
/// </summary>
internal static class WorklistSql
{
    /// <param name="marker">The provider's parameter marker in SQL: <c>$</c> for SQLite, <c>@</c> for PostgreSQL.</param>
    /// <param name="latestRun">The provider's subquery naming the protocol's latest run from the parameter <c>protocol</c>.</param>
    /// <param name="orderIdsCondition">The condition on <c>x.order_id</c> for a list of ids, and the parameter value it reads as <c>ids</c>.</param>
    public static (string Where, List<(string Name, object? Value)> Parameters) Where(
        string protocolId, IncludedExamFilter filter, char marker, string latestRun, Func<IReadOnlyCollection<string>, (string Condition, object Value)> orderIdsCondition)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var where = new StringBuilder($"x.run_id = {latestRun}");
        // Microsoft.Data.Sqlite names a parameter with its marker; this project's Npgsql code names them without.
        string Name(string name) => marker == '@' ? name : marker + name;
        var parameters = new List<(string Name, object? Value)> { (Name("protocol"), protocolId) };
        void Add(string condition, string name, object? value)
        {
            where.Append(" AND ").Append(condition);
            parameters.Add((Name(name), value));
        }

        if (filter.Period is { } period)
        {
            Add($"x.exam_day BETWEEN {marker}from AND {marker}to", "from", period.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            parameters.Add((Name("to"), period.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        if (filter.Department is { } department)
        {
            Add($"x.department = {marker}department", "department", department);
        }

        if (filter.Provider is { } provider)
        {
            Add($"x.provider = {marker}provider", "provider", provider);
        }

        if (filter.Reviewed is { } reviewed)
        {
            // IN over the reviews' index: the engine starts from the reviewed orders (a few) instead of probing every listed one.
            where.Append(reviewed ? " AND x.order_id IN " : " AND x.order_id NOT IN ").Append("(SELECT order_id FROM reviews)");
        }

        if (filter.OrderIds is { } ids)
        {
            var (condition, value) = orderIdsCondition(ids);
            Add(condition, "ids", value);
        }

        return (where.ToString(), parameters);
    }

    /// <summary>
    /// A page of <c>worklist_exams x</c> under <paramref name="where"/> in the worklist's order (parameters
    /// <c>limit</c> and <c>offset</c>), joined to its orders (<paramref name="orderList"/>, the provider's order columns
    /// of <c>o</c>) and its decisions' evidence, the last column.
    /// </summary>
    public static string Page(string where, string orderList, char marker) =>
        $"SELECT {orderList}, d.evidence FROM (SELECT x.run_id, x.exam_day, x.order_id FROM worklist_exams x WHERE {where} ORDER BY x.exam_day, x.order_id LIMIT {marker}limit OFFSET {marker}offset) page "
        + "JOIN screening_decisions d ON d.run_id = page.run_id AND d.order_id = page.order_id JOIN orders o ON o.row_key = page.order_id ORDER BY page.exam_day, page.order_id";
}

namespace ImagingValue.Core.Data;

/// <summary>How a canonical column's text is checked and normalised on import.</summary>
public enum ColumnType
{
    /// <summary>Free text, kept as written.</summary>
    Text,

    /// <summary>An ISO 8601 calendar date, <c>2015-03-17</c>.</summary>
    Date,

    /// <summary>An ISO 8601 local date or date-time, <c>2015-03-17</c> or <c>2015-03-17T14:18</c>.</summary>
    DateTime,

    /// <summary>Administrative sex: F, M, O, U (female/male/other/unknown accepted).</summary>
    Sex,

    /// <summary>An order status (completed, cancelled, scheduled, in-progress, ...).</summary>
    OrderStatus,

    /// <summary>A condition's clinical status (active, resolved, inactive, remission, ...).</summary>
    ClinicalStatus,

    /// <summary>yes or no.</summary>
    YesNo,

    /// <summary>Management impact: major, minor or none.</summary>
    Management,

    /// <summary>A reviewer's role: primary, second or adjudicator.</summary>
    ReviewRole,

    /// <summary>Diagnosis codes separated by <c>;</c>, <c>,</c> or <c>|</c>.</summary>
    Codes,
}

/// <summary>One column of a canonical CSV input (contracts section 2).</summary>
/// <param name="Name">The canonical column name, lower case.</param>
/// <param name="Type">How the value is validated and normalised.</param>
/// <param name="Required">Whether the column must be present in the header and every row must have a value.</param>
public sealed record CanonicalColumn(string Name, ColumnType Type, bool Required = false);

/// <summary>One stored row of a canonical table: values in column order, unknown columns as a JSON object (or null).</summary>
public sealed record CanonicalRow(IReadOnlyList<string?> Values, string? ExtraJson);

/// <summary>
/// A canonical input table: its columns in storage order and how a row's key is formed.
/// The same definition drives validation on import and the storage schema.
/// </summary>
public sealed class CanonicalTable
{
    private readonly Func<IReadOnlyList<string?>, string?> _keyOf;

    private CanonicalTable(string name, string keyDescription, IReadOnlyList<CanonicalColumn> columns, Func<IReadOnlyList<string?>, string?> keyOf)
    {
        Name = name;
        KeyDescription = keyDescription;
        Columns = columns;
        _keyOf = keyOf;
    }

    /// <summary>The input kind and table name: <c>orders</c>, <c>conditions</c>, <c>reports</c>, <c>reviews</c>.</summary>
    public string Name { get; }

    /// <summary>In words, what identifies a row (for error messages).</summary>
    public string KeyDescription { get; }

    /// <summary>The canonical columns, in storage order.</summary>
    public IReadOnlyList<CanonicalColumn> Columns { get; }

    /// <summary>The index of a column by canonical name, or -1.</summary>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, column, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The row key from normalised values in column order; null when the row has no usable key.</summary>
    public string? KeyOf(IReadOnlyList<string?> values) => _keyOf(values);

    public static CanonicalTable Orders { get; } = new(
        "orders",
        "order_id",
        [
            new("order_id", ColumnType.Text, true),
            new("patient_id", ColumnType.Text, true),
            new("accession", ColumnType.Text),
            new("ordered_at", ColumnType.DateTime, true),
            new("performed_at", ColumnType.DateTime),
            new("procedure_code", ColumnType.Text),
            new("procedure_name", ColumnType.Text, true),
            new("indication", ColumnType.Text),
            new("reason_codes", ColumnType.Codes),
            new("ordering_provider", ColumnType.Text),
            new("ordering_department", ColumnType.Text),
            new("patient_sex", ColumnType.Sex),
            new("patient_birth_date", ColumnType.Date),
            new("status", ColumnType.OrderStatus),
        ],
        v => v[0]);

    /// <remarks>
    /// Conditions have no natural id in most exports: the key is <c>condition_id</c> when the export has one,
    /// otherwise patient, code system, code and onset (or recorded) date, so a re-export updates the same row.
    /// </remarks>
    public static CanonicalTable Conditions { get; } = new(
        "conditions",
        "condition_id, or patient_id + code_system + code + onset_date",
        [
            new("condition_id", ColumnType.Text),
            new("patient_id", ColumnType.Text, true),
            new("code", ColumnType.Text, true),
            new("code_system", ColumnType.Text),
            new("description", ColumnType.Text),
            new("onset_date", ColumnType.Date),
            new("recorded_date", ColumnType.Date),
            new("clinical_status", ColumnType.ClinicalStatus),
            new("abatement_date", ColumnType.Date),
        ],
        v => v[0] ?? $"{v[1]}|{v[3]}|{v[2]}|{v[5] ?? v[6]}");

    /// <remarks>A report belongs to an order by <c>order_id</c>, or by <c>accession</c> when the export has no order id.</remarks>
    public static CanonicalTable Reports { get; } = new(
        "reports",
        "order_id or accession",
        [
            new("order_id", ColumnType.Text),
            new("accession", ColumnType.Text),
            new("report_text", ColumnType.Text, true),
            new("finalized_at", ColumnType.DateTime),
        ],
        v => v[0] is { } orderId ? orderId : v[1] is { } accession ? "accession:" + accession : null);

    /// <remarks>One row per order and reviewer; a reviewer's later row for the same order replaces the earlier one.</remarks>
    public static CanonicalTable Reviews { get; } = new(
        "reviews",
        "order_id + reviewer",
        [
            new("order_id", ColumnType.Text, true),
            new("reviewer", ColumnType.Text, true),
            new("major_finding", ColumnType.YesNo, true),
            new("minor_finding", ColumnType.YesNo),
            new("incidental_finding", ColumnType.YesNo),
            new("finding_notes", ColumnType.Text),
            new("management_change", ColumnType.Management),
            new("review_role", ColumnType.ReviewRole),
            new("reviewed_at", ColumnType.DateTime),
        ],
        v => $"{v[0]}|{v[1]}");

    /// <summary>All canonical tables, in the order an import applies them.</summary>
    public static IReadOnlyList<CanonicalTable> All { get; } = [Orders, Conditions, Reports, Reviews];

    /// <summary>The table for an input kind name.</summary>
    public static CanonicalTable ForName(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"unknown input kind '{name}'", nameof(name));
}

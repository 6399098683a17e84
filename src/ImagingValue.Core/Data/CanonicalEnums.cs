namespace ImagingValue.Core.Data;

/// <summary>
/// An order's status (orders.csv <c>status</c>). The contract's words, which storage keeps and every output writes,
/// are given per value; <see cref="OrderStatuses"/> maps between them. Imported synonyms are normalised to these words
/// by <see cref="CanonicalValues"/> first.
/// </summary>
public enum OrderStatus
{
    /// <summary><c>completed</c>: the exam was done.</summary>
    Completed,

    /// <summary><c>cancelled</c>.</summary>
    Cancelled,

    /// <summary><c>scheduled</c>.</summary>
    Scheduled,

    /// <summary><c>in-progress</c>.</summary>
    InProgress,

    /// <summary><c>ordered</c>: placed, not yet scheduled.</summary>
    Ordered,

    /// <summary><c>on-hold</c>.</summary>
    OnHold,

    /// <summary><c>discontinued</c>.</summary>
    Discontinued,

    /// <summary><c>entered-in-error</c>.</summary>
    EnteredInError,
}

/// <summary>
/// The patient's sex on the order (orders.csv <c>patient_sex</c>): the contract's words are <c>F</c>, <c>M</c>,
/// <c>O</c> and <c>U</c>; <see cref="PatientSexes"/> maps between them.
/// </summary>
public enum PatientSex
{
    /// <summary><c>F</c>: female.</summary>
    Female,

    /// <summary><c>M</c>: male.</summary>
    Male,

    /// <summary><c>O</c>: other.</summary>
    Other,

    /// <summary><c>U</c>: unknown.</summary>
    Unknown,
}

/// <summary>
/// The change in management a review's findings led to (reviews.csv <c>management_change</c>): the contract's words
/// are <c>none</c>, <c>minor</c> and <c>major</c>, in that order; <see cref="ManagementChanges"/> maps between them.
/// </summary>
public enum ManagementChange
{
    /// <summary><c>none</c>.</summary>
    None,

    /// <summary><c>minor</c>.</summary>
    Minor,

    /// <summary><c>major</c>.</summary>
    Major,
}

/// <summary>The one mapping between <see cref="OrderStatus"/> and its canonical word.</summary>
public static class OrderStatuses
{
    /// <summary>Every status, in the contract's order (completed, cancelled, ...).</summary>
    public static IReadOnlyList<OrderStatus> All { get; } = Enum.GetValues<OrderStatus>();

    /// <summary>The value of a canonical word (exact, lower case); false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> word, out OrderStatus value)
    {
        switch (word)
        {
            case "completed": value = OrderStatus.Completed; return true;
            case "cancelled": value = OrderStatus.Cancelled; return true;
            case "scheduled": value = OrderStatus.Scheduled; return true;
            case "in-progress": value = OrderStatus.InProgress; return true;
            case "ordered": value = OrderStatus.Ordered; return true;
            case "on-hold": value = OrderStatus.OnHold; return true;
            case "discontinued": value = OrderStatus.Discontinued; return true;
            case "entered-in-error": value = OrderStatus.EnteredInError; return true;
            default: value = default; return false;
        }
    }

    /// <summary>The value of a stored canonical word; anything else in storage is a bug.</summary>
    public static OrderStatus Parse(string word) =>
        TryParse(word, out var value) ? value : throw new FormatException($"'{word}' is not a canonical order status");

    /// <summary>The canonical word, as stored and written.</summary>
    public static string ToWord(this OrderStatus value) => value switch
    {
        OrderStatus.Completed => "completed",
        OrderStatus.Cancelled => "cancelled",
        OrderStatus.Scheduled => "scheduled",
        OrderStatus.InProgress => "in-progress",
        OrderStatus.Ordered => "ordered",
        OrderStatus.OnHold => "on-hold",
        OrderStatus.Discontinued => "discontinued",
        OrderStatus.EnteredInError => "entered-in-error",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };
}

/// <summary>The one mapping between <see cref="PatientSex"/> and its canonical word.</summary>
public static class PatientSexes
{
    /// <summary>Every value, in the contract's order (F, M, O, U).</summary>
    public static IReadOnlyList<PatientSex> All { get; } = Enum.GetValues<PatientSex>();

    /// <summary>The value of a canonical word (exact, upper case); false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> word, out PatientSex value)
    {
        switch (word)
        {
            case "F": value = PatientSex.Female; return true;
            case "M": value = PatientSex.Male; return true;
            case "O": value = PatientSex.Other; return true;
            case "U": value = PatientSex.Unknown; return true;
            default: value = default; return false;
        }
    }

    /// <summary>The value of a stored canonical word, null for none; anything else in storage is a bug.</summary>
    public static PatientSex? Parse(string? word) =>
        word is null ? null
        : TryParse(word, out var value) ? value
        : throw new FormatException($"'{word}' is not a canonical patient sex");

    /// <summary>The canonical word, as stored and written.</summary>
    public static string ToWord(this PatientSex value) => value switch
    {
        PatientSex.Female => "F",
        PatientSex.Male => "M",
        PatientSex.Other => "O",
        PatientSex.Unknown => "U",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };
}

/// <summary>The one mapping between <see cref="ManagementChange"/> and its canonical word.</summary>
public static class ManagementChanges
{
    /// <summary>Every value, from no change to a major one.</summary>
    public static IReadOnlyList<ManagementChange> All { get; } = Enum.GetValues<ManagementChange>();

    /// <summary>The value of a canonical word (exact, lower case); false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> word, out ManagementChange value)
    {
        switch (word)
        {
            case "none": value = ManagementChange.None; return true;
            case "minor": value = ManagementChange.Minor; return true;
            case "major": value = ManagementChange.Major; return true;
            default: value = default; return false;
        }
    }

    /// <summary>The value of a stored canonical word, null for none; anything else in storage is a bug.</summary>
    public static ManagementChange? Parse(string? word) =>
        word is null ? null
        : TryParse(word, out var value) ? value
        : throw new FormatException($"'{word}' is not a canonical management change");

    /// <summary>The canonical word, as stored and written.</summary>
    public static string ToWord(this ManagementChange value) => value switch
    {
        ManagementChange.None => "none",
        ManagementChange.Minor => "minor",
        ManagementChange.Major => "major",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };
}

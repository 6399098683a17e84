namespace ImagingValue.Web.Review;

/// <summary>
/// Links to an exam's pages. The order id travels in the query string, which carries any text exactly: in a path
/// segment a '/' (even as %2F, which the server keeps encoded) splits or garbles it, and "." or ".." are removed as
/// dot segments by browsers and servers alike, so such ids made their page 404. The path forms
/// <c>/exams/{id}</c> and <c>/exams/{id}/audit</c> still answer for plain ids (bookmarks).
/// </summary>
public static class ExamLinks
{
    /// <summary>The exam page (<c>?id=</c>).</summary>
    public const string ExamPage = "/exam";

    /// <summary>The exam's audit trail (<c>?id=</c>).</summary>
    public const string AuditPage = "/exam/audit";

    /// <summary>The exam page of <paramref name="orderId"/>; more query parameters follow with '&amp;'.</summary>
    public static string Exam(string orderId) => $"{ExamPage}?id={Uri.EscapeDataString(orderId)}";

    /// <summary>The audit trail of <paramref name="orderId"/>.</summary>
    public static string Audit(string orderId) => $"{AuditPage}?id={Uri.EscapeDataString(orderId)}";
}

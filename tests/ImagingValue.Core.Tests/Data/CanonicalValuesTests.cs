using ImagingValue.Core.Data;

namespace ImagingValue.Core.Tests.Data;

public class CanonicalValuesTests
{
    private static CanonicalColumn Column(string name) => CanonicalTable.All.SelectMany(t => t.Columns).First(c => c.Name == name);

    [Theory]
    [InlineData("ordered_at", "2015-03-17", "2015-03-17T00:00:00")]
    [InlineData("ordered_at", "2015-03-17T14:18", "2015-03-17T14:18:00")]
    [InlineData("ordered_at", "2015-03-17 14:18:05", "2015-03-17T14:18:05")]
    [InlineData("patient_birth_date", "1967-05-02", "1967-05-02")]
    [InlineData("patient_sex", "female", "F")]
    [InlineData("patient_sex", "m", "M")]
    [InlineData("status", "Canceled", "cancelled")]
    [InlineData("status", "", "completed")]
    [InlineData("clinical_status", "", "active")]
    [InlineData("code_system", "", "ICD-10-CM")]
    [InlineData("reason_codes", "m54.50, Z85.3|c50.911", "M54.50;Z85.3;C50.911")]
    [InlineData("major_finding", "Y", "yes")]
    [InlineData("management_change", "None", "none")]
    [InlineData("indication", "  LBP x3mo ", "LBP x3mo")]
    public void TryNormalize_ValidInput_CanonicalForm(string column, string raw, string expected)
    {
        Assert.True(CanonicalValues.TryNormalize(Column(column), raw, out var value, out var error), error);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("ordered_at", "03/17/2015", "not an ISO 8601 local date or date-time")]
    [InlineData("ordered_at", "2015-02-30", "not an ISO 8601")]
    [InlineData("ordered_at", "", "required value is empty")]
    [InlineData("patient_birth_date", "1967-05-02T10:00", "not an ISO 8601 date")]
    [InlineData("status", "done", "'done' is not one of completed")]
    [InlineData("patient_sex", "X", "'X' is not one of F, M")]
    [InlineData("major_finding", "maybe", "yes or no")]
    [InlineData("indication", "low back \uFFFD pain", "invalid UTF-8")]
    [InlineData("ordered_at", "9999-12-31", "'9999-12-31' is outside 1900-01-01..2099-12-31 (a placeholder for 'no date'?)")]
    [InlineData("ordered_at", "0001-01-01T00:00", "'0001-01-01T00:00' is outside 1900-01-01..2099-12-31")]
    [InlineData("ordered_at", "9999-12-31 23:59:59", "is outside 1900-01-01")]
    [InlineData("ordered_at", "9999-12-31T23:59:59.000", "is outside 1900-01-01")]
    [InlineData("patient_birth_date", "1899-12-31", "'1899-12-31' is outside 1900-01-01..2099-12-31")]
    public void TryNormalize_InvalidInput_SaysWhatIsWrong(string column, string raw, string expected)
    {
        Assert.False(CanonicalValues.TryNormalize(Column(column), raw, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyOf_ConditionWithoutId_UsesPatientCodeAndOnset()
    {
        var table = CanonicalTable.Conditions;
        var values = new string?[table.Columns.Count];
        values[table.IndexOf("patient_id")] = "P1";
        values[table.IndexOf("code")] = "Z85.3";
        values[table.IndexOf("code_system")] = "ICD-10-CM";
        values[table.IndexOf("onset_date")] = "2010-01-01";
        Assert.Equal("P1|ICD-10-CM|Z85.3|2010-01-01", table.KeyOf(values));
        values[table.IndexOf("condition_id")] = "C9";
        Assert.Equal("C9", table.KeyOf(values));
    }

    [Fact]
    public void KeyOf_ReportWithNeitherOrderNorAccession_Null()
    {
        var values = new string?[CanonicalTable.Reports.Columns.Count];
        Assert.Null(CanonicalTable.Reports.KeyOf(values));
    }

    [Theory]
    [InlineData("2024-02-29")]
    [InlineData("1900-01-01")]
    [InlineData("2099-12-31")]
    public void ParseDay_DayInRange_Parsed(string text) => Assert.Equal(text, CanonicalValues.ParseDay(text, "--date").ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("9999-12-31", "--date: '9999-12-31' is outside 1900-01-01..2099-12-31")]
    [InlineData("24-02-29", "--date: '24-02-29' is not a date (yyyy-MM-dd)")]
    public void ParseDay_OutOfRangeOrMalformed_NamesTheOption(string text, string expected) =>
        Assert.Equal(expected, Assert.Throws<FormatException>(() => CanonicalValues.ParseDay(text, "--date")).Message);

    [Fact]
    public void Quote_LongOrControlValue_GivesItsLengthOnly()
    {
        Assert.Equal("'2015-13-01'", CanonicalValues.Quote("2015-13-01"));
        Assert.Equal("a value of 41 characters", CanonicalValues.Quote(new string('a', 41)));
        Assert.Equal("a value of 6 characters", CanonicalValues.Quote("a\u001b[31m"[..6]));
    }
}

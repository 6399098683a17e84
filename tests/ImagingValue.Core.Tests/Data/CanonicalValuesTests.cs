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
}

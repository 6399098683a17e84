using ImagingValue.Core.Data;

namespace ImagingValue.Core.Tests.Data;

public class CanonicalEnumsTests
{
    private static CanonicalColumn Column(string name) => CanonicalTable.All.SelectMany(t => t.Columns).First(c => c.Name == name);

    [Theory]
    [InlineData("completed", OrderStatus.Completed)]
    [InlineData("cancelled", OrderStatus.Cancelled)]
    [InlineData("scheduled", OrderStatus.Scheduled)]
    [InlineData("in-progress", OrderStatus.InProgress)]
    [InlineData("ordered", OrderStatus.Ordered)]
    [InlineData("on-hold", OrderStatus.OnHold)]
    [InlineData("discontinued", OrderStatus.Discontinued)]
    [InlineData("entered-in-error", OrderStatus.EnteredInError)]
    public void OrderStatus_CanonicalWord_RoundTrips(string word, OrderStatus expected)
    {
        Assert.True(OrderStatuses.TryParse(word, out var status));
        Assert.Equal(expected, status);
        Assert.Equal(word, status.ToWord());
        Assert.Equal(expected, OrderStatuses.Parse(word));
        Assert.True(CanonicalValues.TryNormalize(Column("status"), word, out var normalized, out _));
        Assert.Equal(word, normalized); // What the importer stores is the word the enum reads.
    }

    [Theory]
    [InlineData("F", PatientSex.Female)]
    [InlineData("M", PatientSex.Male)]
    [InlineData("O", PatientSex.Other)]
    [InlineData("U", PatientSex.Unknown)]
    public void PatientSex_CanonicalWord_RoundTrips(string word, PatientSex expected)
    {
        Assert.True(PatientSexes.TryParse(word, out var sex));
        Assert.Equal(expected, sex);
        Assert.Equal(word, sex.ToWord());
        Assert.Equal(expected, PatientSexes.Parse(word));
        Assert.True(CanonicalValues.TryNormalize(Column("patient_sex"), word, out var normalized, out _));
        Assert.Equal(word, normalized);
    }

    [Theory]
    [InlineData("none", ManagementChange.None)]
    [InlineData("minor", ManagementChange.Minor)]
    [InlineData("major", ManagementChange.Major)]
    public void ManagementChange_CanonicalWord_RoundTrips(string word, ManagementChange expected)
    {
        Assert.True(ManagementChanges.TryParse(word, out var change));
        Assert.Equal(expected, change);
        Assert.Equal(word, change.ToWord());
        Assert.Equal(expected, ManagementChanges.Parse(word));
        Assert.True(CanonicalValues.TryNormalize(Column("management_change"), word, out var normalized, out _));
        Assert.Equal(word, normalized);
    }

    [Fact]
    public void EveryValue_HasAWordThatParsesBack()
    {
        Assert.Equal(8, OrderStatuses.All.Count);
        Assert.All(OrderStatuses.All, s => Assert.Equal(s, OrderStatuses.Parse(s.ToWord())));
        Assert.Equal(["F", "M", "O", "U"], PatientSexes.All.Select(s => s.ToWord()));
        Assert.Equal(["none", "minor", "major"], ManagementChanges.All.Select(m => m.ToWord()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Completed")]
    [InlineData("canceled")]
    [InlineData("in progress")]
    [InlineData("final")]
    [InlineData("done")]
    public void OrderStatus_UnknownWord_IsRefused(string word)
    {
        Assert.False(OrderStatuses.TryParse(word, out _));
        Assert.Throws<FormatException>(() => OrderStatuses.Parse(word));
    }

    [Theory]
    [InlineData("")]
    [InlineData("f")]
    [InlineData("female")]
    [InlineData("X")]
    public void PatientSex_UnknownWord_IsRefused(string word)
    {
        Assert.False(PatientSexes.TryParse(word, out _));
        Assert.Throws<FormatException>(() => PatientSexes.Parse(word));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no")]
    [InlineData("Major")]
    [InlineData("moderate")]
    public void ManagementChange_UnknownWord_IsRefused(string word)
    {
        Assert.False(ManagementChanges.TryParse(word, out _));
        Assert.Throws<FormatException>(() => ManagementChanges.Parse(word));
    }

    [Fact]
    public void AbsentWord_IsNoValue()
    {
        Assert.Null(PatientSexes.Parse(null));
        Assert.Null(ManagementChanges.Parse(null));
    }

    [Fact]
    public void UndefinedValue_HasNoWord()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((OrderStatus)99).ToWord());
        Assert.Throws<ArgumentOutOfRangeException>(() => ((PatientSex)99).ToWord());
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ManagementChange)99).ToWord());
    }
}

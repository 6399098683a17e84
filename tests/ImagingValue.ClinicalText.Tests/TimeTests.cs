using static ImagingValue.ClinicalText.Tests.TestText;

namespace ImagingValue.ClinicalText.Tests;

public class TimeTests
{
    private static TimeAnchor TimeOf(string text, string matched) =>
        At(text, matched).Time ?? throw new Xunit.Sdk.XunitException($"no time on '{matched}'");

    [Theory]
    [InlineData("fell 10 days ago", "fell", 10, 0)]
    [InlineData("fell 2 weeks ago", "fell", 14, 4)]
    [InlineData("MVC yesterday", "MVC", 0.6, 0.5)]
    [InlineData("fall this morning", "fall", 0.3, 0.3)]
    [InlineData("fall last week", "fall", 7, 4)]
    [InlineData("LBP x 3 months", "LBP", 90, 16)]
    [InlineData("LBP x3 months", "LBP", 90, 16)]
    [InlineData("LBP x 3mo", "LBP", 90, 16)]
    [InlineData("LBP for the past 3 months", "LBP", 90, 16)]
    [InlineData("3 month history of LBP", "LBP", 90, 16)]
    [InlineData("fall 3 months ago", "fall", 90, 16)]
    [InlineData("slipped on ice 3 wks ago", "slipped", 21, 4)]
    [InlineData("fell 2 days prior", "fell", 2, 0)]
    [InlineData("fall 10 years ago", "fall", 3652, 183)]
    [InlineData("fall 2 yrs ago", "fall", 730, 183)]
    [InlineData("fell a week ago", "fell", 7, 4)]
    [InlineData("fell a few days ago", "fell", 3, 0)]
    [InlineData("fell three weeks ago", "fell", 21, 4)]
    [InlineData("fell twelve months ago", "fell", 365, 16)]
    [InlineData("LBP x 6 wks", "LBP", 42, 4)]
    [InlineData("fell 5 d ago", "fell", 5, 0)]
    [InlineData("fell 1 yr ago", "fell", 365, 183)]
    [InlineData("fell 2 mos ago", "fell", 59, 16)]
    [InlineData("LBP 3 months", "LBP", 90, 16)]
    [InlineData("LBP: 3 months", "LBP", 90, 16)]
    [InlineData("LBP 6 wks, no trauma", "LBP", 42, 4)]
    [InlineData("LBP after two months of physiotherapy", "LBP", 59, 16)]
    [InlineData("LBP after 8 weeks of physical therapy", "LBP", 56, 4)]
    [InlineData("LBP since January", "LBP", 60, 16)]
    [InlineData("LBP 3/52", "LBP", 21, 4)]
    [InlineData("LBP x 6/52, failed PT", "LBP", 42, 4)]
    [InlineData("LBP 10/52", "LBP", 70, 4)]
    [InlineData("fell 2/7 ago", "fell", 2, 0)]
    [InlineData("fell 3/7", "fell", 3, 0)]
    [InlineData("LBP for 2/12", "LBP", 59, 16)]
    public void Analyze_RelativeTime_ResolvesAgainstReference(string text, string matched, double days, double tolerance)
    {
        var time = TimeOf(text, matched);
        Assert.InRange(time.DaysBefore(Reference), days - tolerance - 0.01, days + tolerance + 0.01);
        Assert.True(time.Earliest <= time.Latest);
        Assert.True(time.Latest <= Reference);
    }

    // What a mention says, its modifiers included (Assertion's list compares by reference).
    private static string Describe(Mention m) =>
        $"{m} {string.Join(",", m.Assertion.Modifiers.Select(x => x.ToString()))}";

    [Theory]
    [InlineData("LBP, PT not helping")]
    [InlineData("h/o prostate cancer, LBP")]
    [InlineData("tailbone pain. Seen in clinic 2 weeks ago.")]
    public void Analyze_NoTimeExpressionWithATarget_ReferenceNotReadAndMentionsTheSameForAnyReference(string text)
    {
        // Issue 17: the screener keeps such a text's mentions for every order with that text.
        var now = Analyzer.Analyze(text, Reference, out var readsReference);
        var yearsBefore = Analyzer.Analyze(text, Reference.AddYears(-3).AddDays(40), out var readsEarlier);

        Assert.False(readsReference);
        Assert.False(readsEarlier);
        Assert.NotEmpty(now);
        Assert.Equal(now.Select(Describe), yearsBefore.Select(Describe));
    }

    [Theory]
    [InlineData("fell 2 weeks ago", "fell")]
    [InlineData("LBP x 3 months", "LBP")]
    [InlineData("LBP since January", "LBP")]
    public void Analyze_TimeExpressionWithATarget_ReferenceRead(string text, string matched)
    {
        var now = Analyzer.Analyze(text, Reference, out var readsReference);
        var earlier = Analyzer.Analyze(text, Reference.AddYears(-1), out _);

        Assert.True(readsReference);
        Assert.NotEqual(Assert.Single(now, m => m.MatchedText == matched).Time, Assert.Single(earlier, m => m.MatchedText == matched).Time);
    }

    [Fact]
    public void Analyze_InYear_IsWholeYearEvenWithoutReference()
    {
        var m = Assert.Single(Analyzer.Analyze("coccyx pain after fall in 2009"), x => x.Concept == "trauma");
        Assert.Equal(new TimeAnchor("in 2009", new DateTime(2009, 1, 1), new DateTime(2009, 12, 31, 23, 59, 59)), m.Time);
    }

    [Fact]
    public void Analyze_RelativeTimeWithoutReference_IsNull() =>
        Assert.Null(Assert.Single(Analyzer.Analyze("fell 2 weeks ago")).Time);

    [Theory]
    [InlineData("\"52\": \"week\"", "\"52\": \"fortnight\"", "'52': 'fortnight'")]
    [InlineData("\"52\": \"week\"", "\"x\": \"week\"", "'x': 'week'")]
    public void TimeVocabulary_BadFractionUnit_NamesIt(string from, string to, string expected)
    {
        var json = EmbeddedRules.Read("time_rules.json").Replace(from, to, StringComparison.Ordinal);
        var ex = Assert.Throws<FormatException>(() => TimeVocabulary.FromJson(json));
        Assert.Contains("time_rules.fraction_units", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    // A British fraction that is also a month/day stays a date after a date preposition; "3/52" has no such reading.
    [Theory]
    [InlineData("fell on 3/7", 2015, 3, 7)]
    [InlineData("LBP since 2/12", 2015, 2, 12)]
    public void Analyze_FractionAfterDatePreposition_IsThatDay(string text, int year, int month, int day) =>
        Assert.Equal(new DateTime(year, month, day), Assert.Single(Analyzer.Analyze(text, Reference)).Time!.Earliest);

    [Fact]
    public void Analyze_OnDate_IsThatDay()
    {
        var t = TimeOf("fell on 3/2/2015", "fell");
        Assert.Equal("on 3/2/2015", t.Text);
        Assert.Equal(new DateTime(2015, 3, 2), t.Earliest);
        Assert.Equal(new DateTime(2015, 3, 2, 23, 59, 59), t.Latest);
    }

    [Fact]
    public void Analyze_TwoDigitYearDate_ExpandsAroundReference() =>
        Assert.Equal(new DateTime(2014, 12, 25), TimeOf("fell 12/25/14", "fell").Earliest);

    [Fact]
    public void Analyze_SinceMonth_IsThatMonthBeforeReference()
    {
        var t = TimeOf("LBP since March", "LBP");
        Assert.Equal("since March", t.Text);
        Assert.Equal(new DateTime(2015, 3, 1), t.Earliest);
        Assert.Equal(Reference, t.Latest); // clipped: the event cannot be after the order
    }

    [Fact]
    public void Analyze_SinceLaterMonth_IsPreviousYear() =>
        Assert.Equal(new DateTime(2014, 11, 1), TimeOf("LBP since November", "LBP").Earliest);

    [Fact]
    public void Analyze_MonthAndYear_IsThatMonth()
    {
        var t = TimeOf("fall in March 2014", "fall");
        Assert.Equal(new DateTime(2014, 3, 1), t.Earliest);
        Assert.Equal(new DateTime(2014, 3, 31, 23, 59, 59), t.Latest);
    }

    [Fact]
    public void Analyze_MonthDayYear_IsThatDay() =>
        Assert.Equal(new DateTime(2015, 3, 2), TimeOf("fell March 2, 2015", "fell").Earliest);

    [Fact]
    public void Analyze_ModalMay_IsNotAMonth() =>
        Assert.Null(Only("fracture may be present", "fracture").Time);

    [Fact]
    public void Analyze_Yesterday_IsWholePreviousDay()
    {
        var t = TimeOf("MVC yesterday", "MVC");
        Assert.Equal(new DateTime(2015, 3, 16), t.Earliest);
        Assert.Equal(new DateTime(2015, 3, 16, 23, 59, 59), t.Latest);
    }

    [Fact]
    public void Analyze_TwoWeeksAgo_IsFuzzyByHalfAWeek()
    {
        var t = TimeOf("fell 2 weeks ago", "fell");
        Assert.Equal(Reference.AddDays(-14 - 3.5), t.Earliest);
        Assert.Equal(Reference.AddDays(-14 + 3.5), t.Latest);
        Assert.Equal("2 weeks ago", t.Text);
    }

    [Theory]
    [InlineData("LBP 2000 mg tylenol")]
    [InlineData("LBP 3 months pregnant")]
    [InlineData("LBP, age 45")]
    [InlineData("LBP, recheck in 2 weeks")]
    [InlineData("LBP q 2 weeks")]
    [InlineData("LBP, review in 6/52")]
    [InlineData("LBP, f/u 6/52")]
    public void Analyze_NumberWithoutTimeCue_NoTime(string text) =>
        Assert.Null(Only(text, "low_back_pain").Time);

    [Fact]
    public void Analyze_TimeAttachesToEventItFollows()
    {
        const string text = "coccyx pain after fall in 2009";
        Assert.Equal(2009, TimeOf(text, "fall").Earliest.Year);
        Assert.Null(At(text, "coccyx pain").Time);
    }

    [Fact]
    public void Analyze_TwoClauses_EachTimeToItsOwnTarget()
    {
        const string text = "LBP x 3 months, fell 2 weeks ago";
        Assert.InRange(TimeOf(text, "LBP").DaysBefore(Reference), 80, 100);
        Assert.InRange(TimeOf(text, "fell").DaysBefore(Reference), 10, 18);
    }

    [Fact]
    public void Analyze_SinceAFallLastWeek_AttachesToFall()
    {
        const string text = "tailbone pain since a fall last week";
        Assert.InRange(TimeOf(text, "fall").DaysBefore(Reference), 3, 11);
        Assert.Null(At(text, "tailbone pain").Time);
    }

    [Fact]
    public void Analyze_FallYearsAgoWithPain_AttachesToFall()
    {
        const string text = "fall 2 years ago with persistent coccyx pain";
        Assert.InRange(TimeOf(text, "fall").DaysBefore(Reference), 600, 900);
        Assert.Null(At(text, "coccyx pain").Time);
    }

    [Fact]
    public void Analyze_TimeBeforeEvent_AttachesForward() =>
        Assert.InRange(TimeOf("2 weeks ago fell on ice", "fell").DaysBefore(Reference), 10, 18);

    [Fact]
    public void Analyze_LeadingTimeClause_AttachesToNextTarget() =>
        Assert.Equal(new DateTime(2015, 3, 1), TimeOf("Since March, LBP", "LBP").Earliest);

    [Fact]
    public void Analyze_TimeAfterBut_DoesNotCrossTerminator()
    {
        const string text = "LBP but fell 2 weeks ago";
        Assert.Null(At(text, "LBP").Time);
        Assert.NotNull(At(text, "fell").Time);
    }

    [Fact]
    public void Analyze_TimeInOtherSentence_NotAttached() =>
        Assert.Null(Only("LBP. Seen 2 weeks ago in clinic.", "low_back_pain").Time);

    // A score out of ten is not a date: it leaves the mention undated; after a date preposition it is that day.
    [Theory]
    [InlineData("LBP 8/10", "LBP")]
    [InlineData("fell 10/10 pain, LBP", "fell")]
    public void Analyze_ScoreOutOfTen_IsNoDate(string text, string matched) =>
        Assert.Null(At(text, matched).Time);

    [Fact]
    public void Analyze_ScoreOutOfTenAfterDatePreposition_IsThatDay() =>
        Assert.Equal(new DateTime(2014, 8, 10), TimeOf("fell on 8/10", "fell").Earliest);
}

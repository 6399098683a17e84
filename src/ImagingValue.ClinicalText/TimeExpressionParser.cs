using System.Globalization;

namespace ImagingValue.ClinicalText;

/// <summary>A time expression over tokens [Start, End) of a sentence; <see cref="Anchor"/> is null when it
/// could not be resolved (a relative expression without a reference time).</summary>
internal readonly record struct TimeExpression(int Start, int End, TimeAnchor? Anchor);

/// <summary>
/// Finds and resolves time expressions on tokens, using the words in <see cref="TimeVocabulary"/>:
/// counted ("2 weeks ago", "x 3 months", "for the past 3 months", "3 month history", "2 months of physiotherapy"), relative ("last week"),
/// named ("yesterday", "this morning"), British fractions ("LBP 3/52", "fell 2/7 ago"), dates ("on 3/2/2015"), months ("since March", "March 2014") and years
/// ("in 2009"). Years and full dates resolve without a reference; everything else needs one.
/// </summary>
internal sealed class TimeExpressionParser
{
    private const int MinYear = 1900;
    private const int MaxYear = 2100;
    private const int MaxCount = 200;

    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    private readonly TimeVocabulary _v;

    public TimeExpressionParser(TimeVocabulary vocabulary) => _v = vocabulary;

    public List<TimeExpression> Find(SentenceView sentence, DateTime? reference)
    {
        var found = new List<TimeExpression>();
        var tokens = sentence.Tokens;
        var i = 0;
        while (i < tokens.Count)
        {
            if (TryNamed(tokens, i, reference, out var e) || TryCounted(tokens, i, reference, out e)
                || TryRelative(tokens, i, reference, out e) || TryFraction(tokens, i, reference, out e) || TryDate(tokens, i, reference, out e)
                || TryMonth(tokens, i, reference, out e) || TryYear(tokens, i, out e))
            {
                found.Add(e);
                i = e.End;
                continue;
            }

            i++;
        }

        for (var k = 0; k < found.Count; k++)
        {
            var f = found[k];
            if (f.Anchor is not null)
            {
                found[k] = f with { Anchor = f.Anchor with { Text = sentence.Written(f.Start, f.End) } };
            }
        }

        return found;
    }

    public bool IsClauseBreak(Token token) => _v.ClauseBreaks.Contains(token.Norm);

    private bool TryNamed(List<Token> tokens, int i, DateTime? reference, out TimeExpression e)
    {
        e = default;
        var length = _v.NamedTimes.LongestMatch(tokens, i, tokens.Count, false, out var values);
        if (length == 0)
        {
            return false;
        }

        TimeAnchor? anchor = null;
        if (reference is { } r)
        {
            var named = values![0];
            var day = r.Date.AddDays(named.DayOffset);
            anchor = Clip(new TimeAnchor(string.Empty, day.AddHours(named.FromHour), day.AddHours(named.ToHour) - OneSecond), r);
        }

        e = new TimeExpression(i, i + length, anchor);
        return true;
    }

    // "<n> <unit> ago", "x <n> <unit>", "for the past <n> <unit>", "<n> <unit> history".
    private bool TryCounted(List<Token> tokens, int i, DateTime? reference, out TimeExpression e)
    {
        e = default;
        var j = i;
        if (tokens[j].Norm is "a" or "an" && j + 1 < tokens.Count && tokens[j + 1].Norm is not ("a" or "an")
            && _v.Numbers.ContainsKey(tokens[j + 1].Norm))
        {
            j++; // "a few days ago"
        }

        if (!TryNumber(tokens[j], out var count))
        {
            return false;
        }

        var k = j + 1;
        if (k < tokens.Count && _v.Fillers.Contains(tokens[k].Norm))
        {
            k++; // "a couple of weeks"
        }

        if (k >= tokens.Count || !_v.Units.TryGetValue(tokens[k].Norm, out var unit))
        {
            return false;
        }

        var end = k + 1;
        var start = i;
        if (end < tokens.Count && _v.AgoWords.Contains(tokens[end].Norm))
        {
            end++;
        }
        else if (PrefixStart(tokens, i) is var p && p < i)
        {
            start = p;
        }
        else if (end < tokens.Count && _v.DurationSuffixes.Contains(tokens[end].Norm))
        {
            end++;
        }
        else if (end < tokens.Count && _v.DurationOfWords.Contains(tokens[end].Norm))
        {
            // "after 2 months of physiotherapy": the count is how long what follows has gone on, so it began that long ago.
        }
        else if (!IsBareDuration(tokens, i, end))
        {
            return false;
        }

        e = new TimeExpression(start, end, reference is { } r ? Point(r, count, unit.Unit, unit.Fuzzy) : null);
        return true;
    }

    // A bare "LBP 3 months" reads as a duration only when it closes its clause and nothing before it makes it
    // something else ("recheck in 2 weeks", "q 2 weeks"); "3 months pregnant" goes on, so it is not a duration.
    private bool IsBareDuration(List<Token> tokens, int start, int end) =>
        (end == tokens.Count || _v.ClauseBreaks.Contains(tokens[end].Norm))
        && (start == 0 || !_v.BareBlockers.Contains(tokens[start - 1].Norm));

    // "last week", "over the past month": one unit back.
    private bool TryRelative(List<Token> tokens, int i, DateTime? reference, out TimeExpression e)
    {
        e = default;
        if (!_v.RelativeWords.Contains(tokens[i].Norm) || i + 1 >= tokens.Count
            || !_v.Units.TryGetValue(tokens[i + 1].Norm, out var unit))
        {
            return false;
        }

        e = new TimeExpression(PrefixStart(tokens, i), i + 2, reference is { } r ? Point(r, 1, unit.Unit, unit.Fuzzy) : null);
        return true;
    }

    // British shorthand "3/52" (three weeks), "2/7 ago" (two days), "x 1/12" (a month): a count over the units in the
    // next larger one. A count as large as the denominator, a blocker before it ("review in 6/52") or, for a fraction
    // that is also a month/day, a date preposition before it ("on 3/7") leaves it to TryDate.
    private bool TryFraction(List<Token> tokens, int i, DateTime? reference, out TimeExpression e)
    {
        e = default;
        var parts = tokens[i].Kind == TokenKind.Date ? tokens[i].Norm.Split('/') : [];
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var count)
            || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var denominator)
            || !_v.FractionUnits.TryGetValue(denominator, out var unit) || count < 1 || count >= denominator)
        {
            return false;
        }

        var before = i > 0 ? tokens[i - 1].Norm : null;
        var alsoADate = count <= 12 && denominator <= 31;
        if (before is not null && (_v.BareBlockers.Contains(before) || (alsoADate && _v.DatePrepositions.Contains(before))))
        {
            return false;
        }

        var end = i + 1;
        if (end < tokens.Count && (_v.AgoWords.Contains(tokens[end].Norm) || _v.DurationSuffixes.Contains(tokens[end].Norm)))
        {
            end++;
        }

        e = new TimeExpression(PrefixStart(tokens, i), end, reference is { } r ? Point(r, count, unit.Unit, unit.Fuzzy) : null);
        return true;
    }

    // "on 3/2/2015", "3/2015", "3/2" (needs the reference for its year).
    private bool TryDate(List<Token> tokens, int i, DateTime? reference, out TimeExpression e)
    {
        e = default;
        if (tokens[i].Kind != TokenKind.Date)
        {
            return false;
        }

        var parts = tokens[i].Norm.Split('/');
        if (parts.Length is < 2 or > 3 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var month)
            || month is < 1 or > 12 || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var second))
        {
            return false;
        }

        // "8/10", "10/10": a pain or severity score out of ten, not the 8th or 10th of October ("thunderclap HA 10/10"
        // read as a date put the headache 248 days back), unless a date preposition makes it a date ("on 8/10").
        if (parts.Length == 2 && parts[1] == "10" && (i == 0 || !_v.DatePrepositions.Contains(tokens[i - 1].Norm)))
        {
            return false;
        }

        TimeAnchor? anchor = null;
        if (parts.Length == 2 && parts[1].Length == 4)
        {
            anchor = MonthInterval(second, month, reference);
        }
        else if (second is >= 1 and <= 31)
        {
            int? year = null;
            if (parts.Length == 3 && int.TryParse(parts[2], CultureInfo.InvariantCulture, out var y))
            {
                year = parts[2].Length == 4 ? y : ExpandTwoDigitYear(y, reference);
            }
            else if (reference is { } r)
            {
                year = new DateTime(r.Year, month, 1) > r ? r.Year - 1 : r.Year;
            }

            if (year is { } yy && yy is >= MinYear and <= MaxYear && second <= DateTime.DaysInMonth(yy, month))
            {
                var day = new DateTime(yy, month, second, 0, 0, 0, DateTimeKind.Unspecified);
                anchor = Clip(new TimeAnchor(string.Empty, day, day.AddDays(1) - OneSecond), reference);
            }
        }
        else
        {
            return false;
        }

        var start = i > 0 && _v.DatePrepositions.Contains(tokens[i - 1].Norm) ? i - 1 : i;
        e = new TimeExpression(start, i + 1, anchor);
        return true;
    }

    // "since March", "in March 2014", "March 2, 2015". A month word needs a preposition before it or a number after
    // it, so "may be ruled out" is not May.
    private bool TryMonth(List<Token> tokens, int i, DateTime? reference, out TimeExpression e)
    {
        e = default;
        if (!_v.Months.TryGetValue(tokens[i].Norm, out var month))
        {
            return false;
        }

        var hasPreposition = i > 0 && _v.DatePrepositions.Contains(tokens[i - 1].Norm);
        var end = i + 1;
        int? day = null;
        int? year = null;
        if (end < tokens.Count && tokens[end].Kind == TokenKind.Number && tokens[end].Norm.Length <= 2
            && int.TryParse(tokens[end].Norm, CultureInfo.InvariantCulture, out var d) && d is >= 1 and <= 31)
        {
            day = d;
            end++;
            if (end + 1 < tokens.Count && tokens[end].Norm == ",")
            {
                end++;
            }
        }

        if (end < tokens.Count && IsYear(tokens[end], out var y))
        {
            year = y;
            end++;
        }
        else if (day is not null && tokens[end - 1].Norm == ",")
        {
            end--;
        }

        if (!hasPreposition && day is null && year is null)
        {
            return false;
        }

        TimeAnchor? anchor = null;
        var resolvedYear = year ?? (reference is { } r ? (month > r.Month ? r.Year - 1 : r.Year) : null);
        if (resolvedYear is { } ry)
        {
            if (day is { } dd && dd <= DateTime.DaysInMonth(ry, month))
            {
                var date = new DateTime(ry, month, dd, 0, 0, 0, DateTimeKind.Unspecified);
                anchor = Clip(new TimeAnchor(string.Empty, date, date.AddDays(1) - OneSecond), reference);
            }
            else
            {
                anchor = MonthInterval(ry, month, reference);
            }
        }

        e = new TimeExpression(hasPreposition ? i - 1 : i, end, anchor);
        return true;
    }

    // "in 2009", "since 2009": a year needs a preposition so "2000 mg" is not a year.
    private bool TryYear(List<Token> tokens, int i, out TimeExpression e)
    {
        e = default;
        if (i == 0 || !IsYear(tokens[i], out var year) || !_v.DatePrepositions.Contains(tokens[i - 1].Norm))
        {
            return false;
        }

        var first = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        e = new TimeExpression(i - 1, i + 1, new TimeAnchor(string.Empty, first, first.AddYears(1) - OneSecond));
        return true;
    }

    // Walks back over "x", "for", "over the past", ... and returns the first token of the prefix (i when none).
    private int PrefixStart(List<Token> tokens, int i)
    {
        var p = i;
        var start = i;
        while (p > 0 && (_v.DurationPrefixes.Contains(tokens[p - 1].Norm) || _v.Fillers.Contains(tokens[p - 1].Norm)))
        {
            p--;
            if (_v.DurationPrefixes.Contains(tokens[p].Norm))
            {
                start = p;
            }
        }

        return start;
    }

    private bool TryNumber(Token token, out int value)
    {
        if (token.Kind == TokenKind.Number)
        {
            return int.TryParse(token.Norm, CultureInfo.InvariantCulture, out value) && value is > 0 and <= MaxCount;
        }

        return _v.Numbers.TryGetValue(token.Norm, out value);
    }

    private static bool IsYear(Token token, out int year)
    {
        year = 0;
        return token.Kind == TokenKind.Number && token.Norm.Length == 4
            && int.TryParse(token.Norm, CultureInfo.InvariantCulture, out year) && year is >= MinYear and <= MaxYear;
    }

    private static int ExpandTwoDigitYear(int yy, DateTime? reference)
    {
        if (yy >= 100)
        {
            return yy;
        }

        var pivot = reference?.Year % 100 ?? 50;
        return yy <= pivot ? 2000 + yy : 1900 + yy;
    }

    private static TimeAnchor? MonthInterval(int year, int month, DateTime? reference)
    {
        if (year is < MinYear or > MaxYear)
        {
            return null;
        }

        var first = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        return Clip(new TimeAnchor(string.Empty, first, first.AddMonths(1) - OneSecond), reference);
    }

    // n units before the reference; fuzzy units (weeks, months, years) widen by half a unit each way, because
    // "2 weeks ago" is rarely exactly 14 days.
    private static TimeAnchor? Point(DateTime reference, int count, TimeUnit unit, bool fuzzy)
    {
        try
        {
            var center = unit switch
            {
                TimeUnit.Hour => reference.AddHours(-count),
                TimeUnit.Day => reference.AddDays(-count),
                TimeUnit.Week => reference.AddDays(-7 * count),
                TimeUnit.Month => reference.AddMonths(-count),
                _ => reference.AddYears(-count),
            };
            if (!fuzzy)
            {
                return new TimeAnchor(string.Empty, center, center);
            }

            var half = unit switch
            {
                TimeUnit.Week => TimeSpan.FromDays(3.5),
                TimeUnit.Month => TimeSpan.FromDays(15),
                TimeUnit.Year => TimeSpan.FromDays(182.5),
                _ => TimeSpan.Zero,
            };
            return Clip(new TimeAnchor(string.Empty, center - half, center + half), reference);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    // An event can't be after the order: cut the interval at the reference time.
    private static TimeAnchor? Clip(TimeAnchor anchor, DateTime? reference)
    {
        if (reference is not { } r || anchor.Latest <= r)
        {
            return anchor;
        }

        return anchor.Earliest > r ? anchor with { Latest = anchor.Earliest } : anchor with { Latest = r };
    }
}

using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ImagingValue.Core.Data;
using ImagingValue.Core.Screening;
using Microsoft.Data.Sqlite;
using static ImagingValue.Storage.Sqlite.SqliteRows;

namespace ImagingValue.Storage.Sqlite;

/// <summary>How a screening decision is stored in <c>screening_decisions</c> and read back unchanged.</summary>
internal static class ScreeningDecisionRows
{
    /// <summary>A decision's columns, read from <see cref="From"/>.</summary>
    public const string Columns = "d.order_id, d.decision, d.is_target, d.reason, d.reasons, COALESCE(d.evidence, e.evidence)";

    /// <summary>Decisions a page of a run's streamed read holds: a few MB, and few enough queries for a million.</summary>
    public const int PageSize = 10_000;

    /// <summary>
    /// The page of run <paramref name="marker"/>run's decisions after order id <paramref name="marker"/>after, by order
    /// id: a range of the primary key (run_id, order_id).
    /// </summary>
    public static string PageAfter(char marker) =>
        $"SELECT {Columns} FROM {From} WHERE d.run_id = {marker}run AND d.order_id > {marker}after ORDER BY d.order_id LIMIT {PageSize}";

    /// <summary>
    /// A run's decisions by order id, a page at a time (keyset paging; <paramref name="readPageAfter"/> reads the page
    /// after an order id with <see cref="PageAfter"/>): no connection is held between pages, so the caller may use the
    /// workspace while it reads.
    /// </summary>
    public static async IAsyncEnumerable<ScreeningDecision> ReadPagesAsync(
        Func<string, CancellationToken, Task<IReadOnlyList<ScreeningDecision>>> readPageAfter,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = string.Empty;
        while (true)
        {
            var page = await readPageAfter(after, cancellationToken);
            foreach (var decision in page)
            {
                yield return decision;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = page[^1].OrderId;
        }
    }

    /// <summary><see cref="Columns"/> with the evidence read as null, from <c>screening_decisions d</c> alone (no join).</summary>
    public const string ColumnsWithoutEvidence = "d.order_id, d.decision, d.is_target, d.reason, d.reasons, NULL";

    /// <summary>
    /// The decisions (<c>d</c>) with the evidence their run shares (<c>e</c>, migration 15): a not-target decision whose
    /// only evidence is its procedure's exam match names that item's row instead of repeating it.
    /// </summary>
    public const string From = "screening_decisions d LEFT JOIN screening_evidence e ON e.run_id = d.run_id AND e.evidence_id = d.evidence_id";

    /// <summary>Whether a decision's evidence is stored once per run and item (<see cref="From"/>) rather than in its own row.</summary>
    public static bool SharesEvidence(ScreeningDecision decision, out ScreeningEvidence exam)
    {
        if (decision.Decision == Decision.NotTarget && decision.Evidence is [{ Source: EvidenceSource.Exam } only])
        {
            exam = only;
            return true;
        }

        exam = null!;
        return false;
    }

    private const string LegacySeparator = " | ";

    // Keys of the typed form, short because a workspace holds one row per order (millions).
    private static readonly JsonEncodedText _source = JsonEncodedText.Encode("s");
    private static readonly JsonEncodedText _role = JsonEncodedText.Encode("r");
    private static readonly JsonEncodedText _for = JsonEncodedText.Encode("f");
    private static readonly JsonEncodedText _concept = JsonEncodedText.Encode("c");
    private static readonly JsonEncodedText _code = JsonEncodedText.Encode("k");
    private static readonly JsonEncodedText _text = JsonEncodedText.Encode("t");
    private static readonly JsonEncodedText _mention = JsonEncodedText.Encode("m");
    private static readonly JsonEncodedText _sentence = JsonEncodedText.Encode("n");
    private static readonly JsonEncodedText _qualifiers = JsonEncodedText.Encode("q");
    private static readonly JsonEncodedText _days = JsonEncodedText.Encode("d");
    private static readonly JsonEncodedText _since = JsonEncodedText.Encode("since");
    private static readonly JsonEncodedText _known = JsonEncodedText.Encode("known");

    private static readonly JsonWriterOptions _writerOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] _sourceWords = ["legacy", "exam", "status", "reason_code", "condition", "condition_text", "indication", "requirement"];
    private static readonly string[] _roleWords = ["counted", "ignored", "unmet", "missing"];
    // One letter each in what is written (a million rows are a million copies); the words are still read (rows of 2026-12).
    private static readonly string[] _sourceCodes = ["l", "e", "s", "r", "c", "t", "i", "q"];
    private static readonly string[] _roleCodes = ["c", "i", "u", "m"];
    private static readonly JsonEncodedText[] _sourceText = [.. _sourceCodes.Select(w => JsonEncodedText.Encode(w))];
    private static readonly JsonEncodedText[] _roleText = [.. _roleCodes.Select(w => JsonEncodedText.Encode(w))];

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    /// <summary>
    /// A decision's evidence in one text column, typed: <c>[{"s":"i","r":"c","f":"tumor",...}]</c>, an array of items
    /// (keys: s source and r role as one letter (source: l legacy, e exam, s status, r reason code, c condition code,
    /// t condition text, i indication; role: c counted, i ignored, u unmet, m missing), f for, c concept, k code, t text,
    /// m mention span and n sentence span as [start, length], q qualifier bits (<see cref="EvidenceQualifiers"/>), d days
    /// before order, since, known). Absent keys are null (qualifiers: none). Empty evidence is nothing at all.
    /// Short because a run stores one row per order: the first typed form (<c>{"v":1,"e":[...]}</c> with whole words,
    /// still read) doubled the bytes a run writes and made screening a million orders 10 % slower.
    /// </summary>
    /// <remarks>
    /// Workspaces written before typed evidence hold each item as its screening.csv line, joined with " | " or, when an
    /// item held " | ", as a JSON array of strings (<c>["...</c>); <see cref="DecodeEvidence"/> reads those as
    /// <see cref="EvidenceSource.Legacy"/> items. Legacy text starts with a word or <c>["</c>, never with <c>[{</c> or '{'.
    /// Migration 0006 stops runs stored before it from being reused as current.
    /// </remarks>
    public static string EncodeEvidence(IReadOnlyList<ScreeningEvidence> evidence) => Encoding.UTF8.GetString(EncodeEvidenceUtf8(evidence));

    /// <summary><see cref="EncodeEvidence"/> as the UTF-8 bytes SQLite stores (the run writer binds them as they are).</summary>
    public static byte[] EncodeEvidenceUtf8(IReadOnlyList<ScreeningEvidence> evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        if (evidence.Count == 0)
        {
            return [];
        }

        var buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var w = _writer ??= new Utf8JsonWriter(buffer, _writerOptions);
        w.Reset(buffer);
        w.WriteStartArray();
        foreach (var e in evidence)
        {
            w.WriteStartObject();
            w.WriteString(_source, _sourceText[(int)e.Source]);
            w.WriteString(_role, _roleText[(int)e.Role]);
            WriteText(w, _for, e.For);
            WriteText(w, _concept, e.Concept);
            WriteText(w, _code, e.Code);
            WriteText(w, _text, e.Text);
            WriteSpan(w, _mention, e.Mention);
            WriteSpan(w, _sentence, e.Sentence);
            if (e.Qualifiers != EvidenceQualifiers.None)
            {
                w.WriteNumber(_qualifiers, (int)e.Qualifiers);
            }

            if (e.DaysBeforeOrder is { } days)
            {
                w.WriteNumber(_days, days);
            }

            WriteDate(w, _since, e.Since);
            WriteDate(w, _known, e.KnownFrom);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteText(Utf8JsonWriter w, JsonEncodedText key, string? value)
    {
        if (value is not null)
        {
            w.WriteString(key, value);
        }
    }

    private static void WriteSpan(Utf8JsonWriter w, JsonEncodedText key, TextSpan? span)
    {
        if (span is { } s)
        {
            w.WriteStartArray(key);
            w.WriteNumberValue(s.Start);
            w.WriteNumberValue(s.Length);
            w.WriteEndArray();
        }
    }

    private static void WriteDate(Utf8JsonWriter w, JsonEncodedText key, DateOnly? date)
    {
        if (date is { } d)
        {
            Span<char> text = stackalloc char[10];
            d.TryFormat(text, out var written, CanonicalValues.DateFormat, CultureInfo.InvariantCulture);
            w.WriteString(key, text[..written]);
        }
    }

    /// <summary>The evidence as <see cref="EncodeEvidence"/> stored it, or an older workspace's text items as legacy items.</summary>
    public static IReadOnlyList<ScreeningEvidence> DecodeEvidence(string? stored) =>
        stored is not { Length: > 0 } ? []
        : stored[0] == '{' || stored.StartsWith("[{", StringComparison.Ordinal) ? DecodeTyped(stored)
        : stored[0] == '[' ? [.. (JsonSerializer.Deserialize(stored, LegacyJson.Default.StringArray) ?? []).Select(ScreeningEvidence.FromLegacyText)]
        : [.. stored.Split(LegacySeparator).Select(ScreeningEvidence.FromLegacyText)];

    /// <summary>The typed form: an array of items, or the first typed form's <c>{"v":1,"e":[items]}</c>.</summary>
    private static List<ScreeningEvidence> DecodeTyped(string stored)
    {
        var r = new Utf8JsonReader(Encoding.UTF8.GetBytes(stored));
        var items = new List<ScreeningEvidence>();
        if (Next(ref r) == JsonTokenType.StartArray)
        {
            ReadItems(ref r, items);
            return items;
        }

        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("v"u8))
            {
                Next(ref r);
                if (r.GetInt32() != 1)
                {
                    throw new InvalidDataException($"screening evidence of version {r.GetInt32()} is newer than this program's: update imaging-value");
                }
            }
            else if (r.ValueTextEquals("e"u8))
            {
                Expect(ref r, JsonTokenType.StartArray);
                ReadItems(ref r, items);
            }
            else
            {
                Next(ref r);
                r.Skip();
            }
        }

        return items;
    }

    /// <summary>The items of an array whose start the reader has just read, up to its end.</summary>
    private static void ReadItems(ref Utf8JsonReader r, List<ScreeningEvidence> items)
    {
        while (Next(ref r) == JsonTokenType.StartObject)
        {
            items.Add(ReadItem(ref r));
        }
    }

    private static ScreeningEvidence ReadItem(ref Utf8JsonReader r)
    {
        var source = EvidenceSource.Legacy;
        var role = EvidenceRole.Counted;
        string? forWhat = null, concept = null, code = null, text = null;
        TextSpan? mention = null, sentence = null;
        var qualifiers = EvidenceQualifiers.None;
        int? days = null;
        DateOnly? since = null, known = null;
        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            var key = r.GetString();
            Next(ref r);
            switch (key)
            {
                case "s": source = (EvidenceSource)Word(_sourceCodes, _sourceWords, r.GetString()); break;
                case "r": role = (EvidenceRole)Word(_roleCodes, _roleWords, r.GetString()); break;
                case "f": forWhat = r.GetString(); break;
                case "c": concept = r.GetString(); break;
                case "k": code = r.GetString(); break;
                case "t": text = r.GetString(); break;
                case "m": mention = ReadSpan(ref r); break;
                case "n": sentence = ReadSpan(ref r); break;
                case "q": qualifiers = (EvidenceQualifiers)r.GetInt32(); break;
                case "d": days = r.GetInt32(); break;
                case "since": since = ReadDate(ref r); break;
                case "known": known = ReadDate(ref r); break;
                default: r.Skip(); break;
            }
        }

        return new ScreeningEvidence(source, role, forWhat, concept, code, text, mention, sentence, qualifiers, days, since, known);
    }

    private static TextSpan ReadSpan(ref Utf8JsonReader r)
    {
        Next(ref r);
        var start = r.GetInt32();
        Next(ref r);
        var length = r.GetInt32();
        Expect(ref r, JsonTokenType.EndArray);
        return new TextSpan(start, length);
    }

    private static DateOnly ReadDate(ref Utf8JsonReader r) =>
        DateOnly.ParseExact(r.GetString()!, CanonicalValues.DateFormat, CultureInfo.InvariantCulture);

    private static int Word(string[] codes, string[] words, string? word) =>
        Array.IndexOf(codes, word) is var i and >= 0 ? i
        : Array.IndexOf(words, word) is var j and >= 0 ? j
        : throw new InvalidDataException($"unknown screening evidence word '{word}'");

    private static JsonTokenType Next(ref Utf8JsonReader r) =>
        r.Read() ? r.TokenType : throw new InvalidDataException("screening evidence ends early");

    private static void Expect(ref Utf8JsonReader r, JsonTokenType type)
    {
        if (Next(ref r) != type)
        {
            throw new InvalidDataException($"screening evidence: expected {type}, found {r.TokenType}");
        }
    }

    /// <summary>A decision from a row of <see cref="Columns"/>.</summary>
    public static ScreeningDecision Read(SqliteDataReader r) => Read(r, 0);

    /// <summary>A decision from the columns of <see cref="ScreeningDecisionRows.Columns"/> starting at column <paramref name="first"/> (after an order's, in a join).</summary>
    public static ScreeningDecision Read(SqliteDataReader r, int first) =>
        new(
            r.GetString(first),
            r.GetString(first + 1) switch
            {
                "included" => Decision.Included,
                "excluded" => Decision.Excluded,
                _ => Decision.NotTarget,
            },
            r.GetInt64(first + 2) != 0,
            Text(r, first + 3),
            Text(r, first + 4) is { Length: > 0 } reasons ? reasons.Split(';') : [],
            DecodeEvidence(Text(r, first + 5)));
}

/// <summary>The one JSON shape of older workspaces' evidence: an array of strings.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class LegacyJson : System.Text.Json.Serialization.JsonSerializerContext;

using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Hl7.Fhir.Model;

namespace ImagingValue.Import.Fhir;

public sealed partial class FhirImporter
{
    /// <summary>The kinds of draft an import keeps in its <see cref="Core.Storage.IImportScratch"/>.</summary>
    private static class Kinds
    {
        /// <summary>ServiceRequests by <c>ServiceRequest/id</c>.</summary>
        public const int Orders = 1;

        /// <summary>Conditions by <c>Condition/id</c>.</summary>
        public const int Conditions = 2;

        /// <summary>DiagnosticReports, in the order read.</summary>
        public const int Reports = 3;

        /// <summary>Each ServiceRequest named by an ImagingStudy, Procedure or DiagnosticReport, in the order read.</summary>
        public const int Events = 4;

        /// <summary>The earliest performed time of a ServiceRequest, by <c>ServiceRequest/id</c>.</summary>
        public const int Performed = 5;

        /// <summary>The first ImagingStudy accession of a ServiceRequest, by <c>ServiceRequest/id</c>.</summary>
        public const int StudyAccessions = 6;

        /// <summary>The ICD-10-CM codes of each Condition stored, by <c>Condition/id</c>.</summary>
        public const int ConditionsAccepted = 7;

        /// <summary>The order id and accession of each order stored, by <c>ServiceRequest/id</c> (only when there are reports).</summary>
        public const int OrdersAccepted = 8;

        /// <summary>Where each staged row came from, by its number.</summary>
        public const int Staged = 9;
    }

    /// <summary>
    /// Drafts in a compact binary form: each string as its UTF-8 length (-1 for null) and bytes, each list as its count
    /// (-1 for null) and strings. One writer an import (the mapping runs on one thread), reused for every draft.
    /// </summary>
    private sealed class Drafts
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(1024);

        public ReadOnlySpan<byte> Of(OrderDraft order)
        {
            _buffer.ResetWrittenCount();
            Write(order.At);
            Write(order.OrderId);
            Write(order.Accession);
            Write(order.AuthoredOn);
            Write(order.Status is { } status ? (int)status : -1);
            Write(order.Code);
            Write(order.Name);
            Write(order.Indication);
            Write(order.ReasonCodes);
            Write(order.ReasonReferences);
            Write(order.Requester);
            Write(order.RequesterDisplay);
            Write(order.Subject);
            return _buffer.WrittenSpan;
        }

        public ReadOnlySpan<byte> Of(ConditionDraft condition)
        {
            _buffer.ResetWrittenCount();
            Write(condition.At);
            Write(condition.Id);
            Write(condition.Subject);
            Write(condition.Code);
            Write(condition.System);
            Write(condition.Description);
            Write(condition.Onset);
            Write(condition.Recorded);
            Write(condition.ClinicalStatus);
            Write(condition.Abatement);
            Write(condition.IcdCodes);
            return _buffer.WrittenSpan;
        }

        public ReadOnlySpan<byte> Of(ReportDraft report)
        {
            _buffer.ResetWrittenCount();
            Write(report.At);
            Write(report.Order);
            Write(report.Text);
            Write(report.Issued);
            return _buffer.WrittenSpan;
        }

        public ReadOnlySpan<byte> Of(string first, string? second)
        {
            _buffer.ResetWrittenCount();
            Write(first);
            Write(second);
            return _buffer.WrittenSpan;
        }

        public ReadOnlySpan<byte> Of(Where at, string order)
        {
            _buffer.ResetWrittenCount();
            Write(at);
            Write(order);
            return _buffer.WrittenSpan;
        }

        public ReadOnlySpan<byte> Of(Where at)
        {
            _buffer.ResetWrittenCount();
            Write(at);
            return _buffer.WrittenSpan;
        }

        public ReadOnlySpan<byte> Of(List<string>? texts)
        {
            _buffer.ResetWrittenCount();
            Write(texts);
            return _buffer.WrittenSpan;
        }

        public static OrderDraft Order(byte[] value)
        {
            var reader = new Reader(value);
            return new OrderDraft(
                reader.Where(), reader.Text()!, reader.Text(), reader.Text(), reader.Int() is var status and >= 0 ? (RequestStatus)status : null,
                reader.Text(), reader.Text(), reader.Text(), reader.Texts(), reader.Texts(), reader.Text(), reader.Text(), reader.Text()!);
        }

        public static ConditionDraft Condition(byte[] value)
        {
            var reader = new Reader(value);
            return new ConditionDraft(
                reader.Where(), reader.Text()!, reader.Text()!, reader.Text()!, reader.Text(), reader.Text(), reader.Text(), reader.Text(), reader.Text(), reader.Text(), reader.Texts());
        }

        public static ReportDraft Report(byte[] value)
        {
            var reader = new Reader(value);
            return new ReportDraft(reader.Where(), reader.Text()!, reader.Text()!, reader.Text());
        }

        public static (Where At, string Order) Event(byte[] value)
        {
            var reader = new Reader(value);
            return (reader.Where(), reader.Text()!);
        }

        public static (string First, string? Second) Pair(byte[] value)
        {
            var reader = new Reader(value);
            return (reader.Text()!, reader.Text());
        }

        public static Where Where(byte[] value) => new Reader(value).Where();

        public static List<string>? Texts(byte[] value) => new Reader(value).Texts();

        private void Write(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
            _buffer.Advance(4);
        }

        private void Write(string? value)
        {
            if (value is null)
            {
                Write(-1);
                return;
            }

            var length = Encoding.UTF8.GetByteCount(value);
            Write(length);
            Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
            _buffer.Advance(length);
        }

        private void Write(List<string>? values)
        {
            Write(values?.Count ?? -1);
            foreach (var value in values ?? [])
            {
                Write(value);
            }
        }

        private void Write(Where at)
        {
            Write(at.File);
            Write(at.Line);
            Write(at.Entry ?? -1);
            Write(at.Type);
            Write(at.Id);
        }

        private sealed class Reader(byte[] value)
        {
            private int _at;

            public int Int()
            {
                var result = BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(_at));
                _at += 4;
                return result;
            }

            public string? Text()
            {
                var length = Int();
                if (length < 0)
                {
                    return null;
                }

                var result = Encoding.UTF8.GetString(value, _at, length);
                _at += length;
                return result;
            }

            public List<string>? Texts()
            {
                var count = Int();
                if (count < 0)
                {
                    return null;
                }

                var result = new List<string>(count);
                for (var i = 0; i < count; i++)
                {
                    result.Add(Text()!);
                }

                return result;
            }

            public Where Where()
            {
                var file = Text()!;
                var line = Int();
                var entry = Int();
                return new Where(file, line, entry < 0 ? null : entry) { Type = Text(), Id = Text() };
            }
        }
    }
}

using System.IO.Hashing;
using System.Runtime.InteropServices;
using ImagingValue.Core.Data;
using ImagingValue.Storage.Sqlite;
using ImagingValue.Storage.Tests.Contracts;
using Microsoft.Data.Sqlite;

namespace ImagingValue.Storage.Tests.Sqlite;

/// <summary>
/// The stored row hash keeps its definition (both engines share it): a workspace imported by an earlier build must see
/// the same file as unchanged, so the hash may be computed faster but never differently.
/// </summary>
public sealed class RowHashDefinitionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iv-rowhash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The definition, value by value: XXH64 (seed 0) of each value's UTF-16 code units and 0x1F, an absent one 0xFF.</summary>
    private static long Reference(IReadOnlyList<string?> values, string? extraJson)
    {
        var hash = new XxHash64();
        foreach (var value in values.Append(extraJson))
        {
            if (value is null)
            {
                hash.Append([0xFF]);
                continue;
            }

            hash.Append(MemoryMarshal.AsBytes(value.AsSpan()));
            hash.Append([0x1F]);
        }

        return unchecked((long)hash.GetCurrentHashAsUInt64());
    }

    [Fact]
    public async Task Import_RowsShortLongAndWithAbsentValues_StoredHashIsTheDefinitions()
    {
        var ct = CancellationToken.None;
        (string Key, string?[] Values, string? Extra)[] rows =
        [
            ("O1", Seed.OrderValues("O1"), null),
            ("O2", Seed.OrderValues("O2", indication: null), "{\"site\":\"Nord\"}"),
            ("O3", Seed.OrderValues("O3", indication: "Ölbild 腰痛 😀 " + new string('x', 5000)), null),
            ("O4", Seed.OrderValues("O4", indication: ""), "{}"),
        ];
        using (var store = SqliteWorkspace.Create(_dir, TimeProvider.System))
        {
            await using var session = await store.Imports.BeginImportAsync(CanonicalTable.Orders, "a.csv", ct);
            var line = 1;
            foreach (var (key, values, extra) in rows)
            {
                await session.StageAsync(++line, key, values, extra, ct);
            }

            Assert.Empty(await session.FindConflictsAsync(ct));
            await session.CommitAsync(new HashSet<string>(), 0, ct);
        }

        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir, SqliteWorkspace.FileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT row_key, row_hash FROM orders ORDER BY row_key";
        var stored = new List<(string, long)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                stored.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        Assert.Equal(rows.Select(r => (r.Key, Reference(r.Values, r.Extra))), stored);
    }
}

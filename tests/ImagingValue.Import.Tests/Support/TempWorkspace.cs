using System.Text;
using ImagingValue.Storage.Sqlite;

namespace ImagingValue.Import.Tests.Support;

/// <summary>A throwaway folder with a real SQLite workspace, deleted at the end of the test.</summary>
internal sealed class TempWorkspace : IDisposable
{
    public TempWorkspace()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("iv-test-").FullName;
        Store = SqliteWorkspace.Create(Path.Combine(Directory, "ws"), TimeProvider.System);
    }

    public string Directory { get; }

    public SqliteWorkspace Store { get; }

    public string Rejects => Path.Combine(Directory, "rejects");

    /// <summary>Writes a file in the folder: text as UTF-8, or raw bytes.</summary>
    public string File(string name, string text) => File(name, new UTF8Encoding(false).GetBytes(text));

    public string File(string name, byte[] bytes)
    {
        var path = Path.Combine(Directory, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Every row of a table as text, to compare a workspace before and after.</summary>
    public string Snapshot()
    {
        var builder = new StringBuilder();
        foreach (var table in new[] { "orders", "conditions", "reports", "reviews" })
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Directory, "ws", SqliteWorkspace.FileName)};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table} ORDER BY row_key";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    builder.Append(reader.IsDBNull(i) ? "∅" : reader.GetValue(i)).Append('|');
                }

                builder.AppendLine();
            }
        }

        return builder.ToString();
    }

    public void Dispose()
    {
        Store.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

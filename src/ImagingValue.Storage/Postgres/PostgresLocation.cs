using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace ImagingValue.Storage.Postgres;

/// <summary>
/// Where a PostgreSQL workspace lives: <c>DIR/workspace.json</c> names the provider and the connection string,
/// always without a password (the password comes from <c>PGPASSWORD</c> or a <c>.pgpass</c> file, as for psql).
/// </summary>
public static class PostgresLocation
{
    /// <summary>The file in the workspace folder that names the database.</summary>
    public const string FileName = "workspace.json";

    private const string Provider = "postgresql";

    /// <summary>True when <paramref name="folder"/> names a PostgreSQL database rather than holding a SQLite file.</summary>
    public static bool IsIn(string folder) => File.Exists(Path.Combine(folder, FileName));

    /// <summary>
    /// A connection string from <paramref name="connection"/>: <c>Host=…;Port=…;Username=…;Database=…</c> or a
    /// <c>postgresql://user[:password]@host[:port]/database[?key=value…]</c> URI (Npgsql takes no URIs).
    /// </summary>
    /// <exception cref="FormatException">Neither form, or a key Npgsql does not know.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var text = connection.Trim();
        try
        {
            return text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
                ? FromUri(text)
                : new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception ex) when (ex is ArgumentException or UriFormatException or KeyNotFoundException)
        {
            // The text itself may hold a password: name the problem, not the text.
            throw new FormatException($"--database: not a PostgreSQL connection string or postgresql:// URI ({WithoutPasswords(ex.Message)})", ex);
        }
    }

    /// <summary>The connection string without its password: what is written to the folder or printed.</summary>
    public static string WithoutPassword(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var copy = new NpgsqlConnectionStringBuilder(builder.ConnectionString);
        copy.Remove("Password");
        return copy.ConnectionString;
    }

    /// <summary>A short description for messages: <c>postgresql://user@host:port/database</c>, never a password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var user = string.IsNullOrEmpty(builder.Username) ? "" : Uri.EscapeDataString(builder.Username) + "@";
        return string.Create(CultureInfo.InvariantCulture, $"postgresql://{user}{builder.Host}:{builder.Port}/{builder.Database}");
    }

    /// <summary>Writes <c>DIR/workspace.json</c> (owner-only) naming the database, without its password.</summary>
    public static void Write(string folder, NpgsqlConnectionStringBuilder builder)
    {
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var json = new JsonObject { ["provider"] = Provider, ["connection"] = WithoutPassword(builder) }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        var path = Path.Combine(folder, FileName);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(json);
            writer.Write('\n');
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The connection string <c>DIR/workspace.json</c> names.</summary>
    /// <exception cref="InvalidDataException">The file is not what <see cref="Write"/> writes (names file and field).</exception>
    public static NpgsqlConnectionStringBuilder Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: line {(ex.LineNumber ?? 0) + 1}: not JSON ({ex.Message})", ex);
        }

        var provider = (root as JsonObject)?["provider"]?.GetValueKind() == JsonValueKind.String ? (string?)root!["provider"] : null;
        if (!string.Equals(provider, Provider, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: field \"provider\": expected \"{Provider}\", found {(provider is null ? "none" : $"\"{provider}\"")}");
        }

        var connection = root!["connection"]?.GetValueKind() == JsonValueKind.String ? (string?)root["connection"] : null;
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new InvalidDataException($"{path}: field \"connection\": missing or empty (a connection string such as Host=…;Port=…;Username=…;Database=…)");
        }

        try
        {
            return new NpgsqlConnectionStringBuilder(connection);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{path}: field \"connection\": {WithoutPasswords(ex.Message)}", ex);
        }
    }

    private static NpgsqlConnectionStringBuilder FromUri(string text)
    {
        var uri = new Uri(text);
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            // libpq's names for the options a URI usually carries; others are given to Npgsql as they are.
            builder[key switch
            {
                "sslmode" => "SSL Mode",
                "application_name" => "Application Name",
                "connect_timeout" => "Timeout",
                "passfile" => "Passfile",
                _ => key,
            }] = value;
        }

        return builder;
    }

    // Npgsql's messages quote the offending key, not values; this guards the one value that must never be shown.
    private static string WithoutPasswords(string message) =>
        message.Contains("assword", StringComparison.OrdinalIgnoreCase) ? "check the password part" : message;
}

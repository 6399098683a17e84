using System.Net;
using System.Text;
using System.Text.Json;
using ImagingValue.Cli.Tests.Support;

namespace ImagingValue.Cli.Tests;

/// <summary>
/// serve and listen settings from appsettings.json, the environment and the command line (issue 16 item 6):
/// the command line wins over the environment, which wins over the file; a misspelt or mistyped key stops the start.
/// </summary>
public sealed class ServiceConfigurationTests
{
    // listen opens the workspace it was given first, so the folder its error names says which source won.
    [Fact]
    public void Listen_WorkspaceInFileEnvironmentAndOption_OptionThenEnvironmentThenFileWins()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("appsettings.json"), """{"Listen": {"Workspace": "ws-from-file", "Mllp": "127.0.0.1:0"}}""");
        var noEnvironment = new Dictionary<string, string?> { ["Listen__Workspace"] = null };
        var environment = new Dictionary<string, string?> { ["Listen__Workspace"] = "ws-from-env" };

        var fileOnly = CliRunner.RunWithEnvironment(dir.Path, noEnvironment, "listen");
        var fileAndEnvironment = CliRunner.RunWithEnvironment(dir.Path, environment, "listen");
        var all = CliRunner.RunWithEnvironment(dir.Path, environment, "listen", "--workspace", "ws-from-option");

        Assert.Contains("ws-from-file: no workspace here", fileOnly.Stderr, StringComparison.Ordinal);
        Assert.Contains("ws-from-env: no workspace here", fileAndEnvironment.Stderr, StringComparison.Ordinal);
        Assert.Contains("ws-from-option: no workspace here", all.Stderr, StringComparison.Ordinal);
        Assert.All([fileOnly, fileAndEnvironment, all], r => Assert.NotEqual(0, r.ExitCode));
    }

    [Fact]
    public void Serve_MisspeltKeyInTheFile_FailsNamingKeyAndFile()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("site.json"), """{"Serve": {"PublicUrll": "https://cds.example.org/"}}""");

        var result = CliRunner.Run(dir.Path, "serve", "--dev", "--config", "site.json");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"unknown setting Serve:PublicUrll (in {dir.File("site.json")})", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_MisspeltEnvironmentVariable_FailsNamingIt()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.RunWithEnvironment(dir.Path, new Dictionary<string, string?> { ["Serve__DeadlineMillis"] = "500" }, "serve", "--dev");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("unknown setting Serve:DeadlineMillis (environment variable Serve__DeadlineMillis)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_ValueOfTheWrongType_FailsNamingKeyAndSource()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("appsettings.json"), """{"Serve": {"DeadlineMs": "soon"}}""");

        var result = CliRunner.Run(dir.Path, "serve", "--dev");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Serve:DeadlineMs = 'soon' (in {dir.File("appsettings.json")}): not a whole number", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_BadPublicUrlFromEnvironment_FailsNamingTheOption()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.RunWithEnvironment(dir.Path, new Dictionary<string, string?> { ["Serve__PublicUrl"] = "https://cds.example.org/?x=1" }, "serve", "--dev");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--public-url 'https://cds.example.org/?x=1' has a query or fragment", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_LimitOutOfRangeFromEnvironment_FailsNamingTheOption()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.RunWithEnvironment(dir.Path, new Dictionary<string, string?> { ["Serve__MaxRequestBytes"] = "10" }, "serve", "--dev");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--max-request-bytes: must be between 1 KiB and 64 MiB", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_ConfigFileThatIsNotJson_FailsNamingTheFile()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("site.json"), "{\"Serve\": {\"Dev\": true,,}}");

        var result = CliRunner.Run(dir.Path, "serve", "--config", "site.json");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{dir.File("site.json")}: not a valid settings file", result.Stderr, StringComparison.Ordinal);
    }

    // Logging:Format=json from the file: every line on standard output is one JSON object; the call's own line is there
    // and holds none of the order's text.
    [Fact]
    public async Task Serve_JsonLogsFromTheFile_EachLineIsOneObjectWithoutPatientText()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("appsettings.json"), """{"Logging": {"Format": "json"}}""");
        string output;
        await using (var server = await ServeProcess.StartAsync(dir.Path, "--dev"))
        {
            using var call = await server.Http.PostAsync(new Uri("/cds-services/sacrum-mri-lbp-select", UriKind.Relative), new StringContent(Hook, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
            await server.StopAsync();
            output = await server.Output;
        }

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var objects = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(objects, o => Assert.Equal(JsonValueKind.Object, o.ValueKind));
        var advised = Assert.Single(objects, o => o.GetProperty("Category").GetString()!.EndsWith("CdsHooksEndpoints", StringComparison.Ordinal)
            && o.GetProperty("Message").GetString()!.Contains("json-log-hook", StringComparison.Ordinal));
        Assert.Equal("Information", advised.GetProperty("LogLevel").GetString());
        Assert.DoesNotContain("tailbone", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Nobody", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_CertificateThatIsNotPkcs12_FailsNamingTheOption()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("cds.pfx"), "not a certificate");

        var result = CliRunner.RunWithEnvironment(dir.Path, new Dictionary<string, string?> { ["Serve__HttpsCertificatePassword"] = "secret-password" }, "serve", "--dev", "--https-certificate", "cds.pfx");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--https-certificate cds.pfx: cannot read it as PKCS#12", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-password", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_KeyCertificateWithPasswordFromSettings_KeysEncryptedAtRest()
    {
        using var dir = new TempDirectory();
        const string Password = "key-cert-password-7c1e";
        WriteKeyCertificate(dir.File("keys.pfx"), Password);
        Assert.Equal(0, CliRunner.Run(dir.Path, "init", "--workspace", "ws").ExitCode);
        File.WriteAllText(dir.File("serve.json"), $$$"""{"Serve": {"KeyCertificatePassword": "{{{Password}}}"}}""");

        await using (var server = await ServeProcess.StartAsync(dir.Path, "--dev", "--workspace", "ws", "--key-certificate", "keys.pfx", "--config", "serve.json"))
        {
            // The sign-in form carries an antiforgery token: the first key is made and stored now.
            using var signIn = await server.Http.GetAsync(new Uri("/signin", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
            await server.StopAsync();
            Assert.DoesNotContain(Password, await server.Output, StringComparison.Ordinal);
        }

        var key = File.ReadAllText(Assert.Single(Directory.GetFiles(dir.File("ws/keys"), "*.xml")));
        Assert.Contains("encryptedSecret", key, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", key, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-pkcs12", "--key-certificate keys.pfx: cannot read it as PKCS#12")]
    [InlineData("wrong-password", "--key-certificate keys.pfx: cannot read it as PKCS#12 with the password given")]
    [InlineData("missing", "--key-certificate keys.pfx: no such file")]
    public void Serve_KeyCertificateUnusable_FailsNamingTheOption(string fault, string expected)
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, "init", "--workspace", "ws").ExitCode);
        switch (fault)
        {
            case "not-pkcs12":
                File.WriteAllText(dir.File("keys.pfx"), "not a certificate");
                break;
            case "wrong-password":
                WriteKeyCertificate(dir.File("keys.pfx"), "the-right-one");
                break;
        }

        // The older variable is still read when no setting gives the password.
        var result = CliRunner.RunWithEnvironment(dir.Path, new Dictionary<string, string?> { ["IV_KEY_CERTIFICATE_PASSWORD"] = "wrong-secret-3b9" }, "serve", "--dev", "--workspace", "ws", "--key-certificate", "keys.pfx");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-3b9", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", result.Stderr, StringComparison.Ordinal);
    }

    private static void WriteKeyCertificate(string path, string password)
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=imaging-value keys", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddYears(1));
        File.WriteAllBytes(path, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, password));
    }

    private const string Hook = """
        {"hook":"order-select","hookInstance":"json-log-hook","context":{"userId":"Practitioner/dr-1","patientId":"pat-1","selections":["ServiceRequest/sr-1"],
         "draftOrders":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"ServiceRequest","id":"sr-1","status":"draft","intent":"order",
          "subject":{"reference":"Patient/pat-1"},"requester":{"reference":"Practitioner/dr-1","display":"Dr. Nobody"},
          "code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"72195"}],"text":"MRI SACRUM WO CONTRAST"},
          "reasonCode":[{"text":"chronic tailbone pain, no trauma"}]}}]}},
         "prefetch":{"patient":{"resourceType":"Patient","id":"pat-1","gender":"female","birthDate":"1970-01-01"},"conditions":{"resourceType":"Bundle","type":"searchset"}}}
        """;
}
